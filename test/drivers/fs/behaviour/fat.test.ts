/**
 * The shared behaviour cases on FAT12, FAT16 and FAT32. FAT lists in on-disk order, keeps FAT's
 * time resolutions and no change time, and its index number is the directory entry's place, so a
 * rename changes it (docs/deviations.md: FAT enumeration, FAT times, Crypt's keystream).
 */
import { FAT_TYPES, fatVolume } from '../fat/setup.ts';
import { runBehaviourSuite } from './cases.ts';
import { populate, REFERENCE } from './fixture.ts';

for (const fatType of FAT_TYPES) {
  runBehaviourSuite({
    name: `FAT${fatType}`,
    capabilities: {
      ...REFERENCE,
      sortedListing: false,
      listingCursor: 'slot',
      times: 'fat',
      renameKeepsIndexNumber: false,
    },
    withVolume(tree, body) {
      const v = fatVolume({ fatType });
      populate(v, tree);
      body(v);
    },
  });
}
