/** The shared behaviour cases on FAT12, FAT16 and FAT32. */
import { test } from 'node:test';
import { FAT_TYPES, fatVolume } from '../fat/setup.ts';
import { BEHAVIOUR_CASES } from './cases.ts';

for (const fatType of FAT_TYPES) {
  for (const [name, run] of BEHAVIOUR_CASES)
    test(`FAT${fatType}: ${name}`, () => run(fatVolume({ fatType })));
}
