/** The shared behaviour cases on MemFS. */
import { test } from 'node:test';
import { memfsVolume } from '../memfs/setup.ts';
import { BEHAVIOUR_CASES } from './cases.ts';

for (const [name, run] of BEHAVIOUR_CASES) test(`MemFS: ${name}`, () => run(memfsVolume()));
