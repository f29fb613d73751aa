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
  knownBugs: {
    'an unknown class is STATUS_INVALID_INFO_CLASS, and a volume open has no file information':
      'NtQueryInformationFile with class 999 on CDFS is STATUS_INVALID_PARAMETER, elsewhere STATUS_INVALID_INFO_CLASS: cdfs/information.ts chooses it "as in CDFS", but no document says so, and NT\'s I/O manager refuses a class past FileMaximumInformation before any file system sees it',
  },
  withVolume(tree, body) {
    const v = cdVolume(buildIso(tree), { driveLetter: 'M' });
    body({ ...v, tick: () => 0 });
  },
});
