/**
 * The shared behaviour cases on HostFS: a temporary host directory shared as `\Device\HostFs\share`
 * and linked as M:, in both containment modes. HostFS stores no DOS attributes but READONLY, lists
 * `.` and `..` in the share root, takes a snapshot of a listing at its first query, names files
 * `\share\path`, has no volume open (the drive is the share's root), and keeps the host's times,
 * sizes and link counts (docs/deviations.md: HostFS attributes, HostFS listings and names;
 * docs/drivers.md: HostFS metadata).
 */
import { withShare } from '../../../host/hostfs/setup.ts';
import { runBehaviourSuite } from './cases.ts';
import { populate, REFERENCE } from './fixture.ts';

for (const containment of ['procfs', 'path'] as const) {
  runBehaviourSuite({
    name: `HostFS (${containment})`,
    capabilities: {
      ...REFERENCE,
      storedAttributes: false,
      rootDotEntries: true,
      listingCursor: 'snapshot',
      namePrefix: '\\share',
      times: 'host',
      volumeOpens: false,
      directoriesHaveNoSize: false,
    },
    withVolume(tree, body) {
      withShare({ containment, driveLetter: 'M' }, (v) => {
        populate(v, tree);
        body(v);
      });
    },
  });
}
