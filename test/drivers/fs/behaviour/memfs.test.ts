/** The shared behaviour cases on MemFS, the reference driver the capabilities are written against. */
import { memfsVolume } from '../memfs/setup.ts';
import { runBehaviourSuite } from './cases.ts';
import { populate, REFERENCE } from './fixture.ts';

runBehaviourSuite({
  name: 'MemFS',
  capabilities: REFERENCE,
  withVolume(tree, body) {
    const v = memfsVolume();
    populate(v, tree);
    body(v);
  },
});
