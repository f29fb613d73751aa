/**
 * The shared behaviour cases that only read, on CDFS: each case's tree is written to a temporary
 * host directory and made into an ISO image by genisoimage (Rock Ridge and Joliet), mounted from a
 * read-only CD-ROM RAM disk linked as M:. The cases that change the volume do not run here; the
 * changes case asserts what they would all meet, STATUS_MEDIA_WRITE_PROTECTED (docs/deviations.md:
 * CDFS write refusals). CDFS lists in disc order, takes its times from the disc, and answers a
 * file named with a trailing backslash as CdCommonCreate does (docs/drivers.md, CDFS).
 */
import { STATUS_MEDIA_WRITE_PROTECTED, STATUS_NOT_A_DIRECTORY } from '../../../../src/base/index.ts';
import { buildIso, cdVolume } from '../cdfs/setup.ts';
import { runBehaviourSuite } from './cases.ts';
import { REFERENCE } from './fixture.ts';

runBehaviourSuite({
  name: 'CDFS',
  capabilities: {
    ...REFERENCE,
    readOnly: STATUS_MEDIA_WRITE_PROTECTED,
    sortedListing: false,
    listingCursor: 'slot',
    times: 'recorded',
    trailingBackslashOnFile: STATUS_NOT_A_DIRECTORY,
  },
  withVolume(tree, body) {
    const v = cdVolume(buildIso(tree), { driveLetter: 'M' });
    body({ ...v, tick: () => 0 });
  },
});
