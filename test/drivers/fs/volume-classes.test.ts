/**
 * Which status a volume information class a file system does not answer gets (queryVolumeInformation):
 * a number that is no FS_INFORMATION_CLASS is STATUS_INVALID_INFO_CLASS on every file system, as
 * NT's I/O manager answers before any file system sees it; a real class the file system does not
 * answer gets the file system's own status (CDFS: STATUS_INVALID_PARAMETER as CdCommonQueryVolInfo;
 * MemFS and FAT: STATUS_INVALID_INFO_CLASS, docs/drivers.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FileFsControlInformation,
  type NTSTATUS,
  STATUS_INVALID_INFO_CLASS,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import type { FsHarness } from '../../support/fs-harness.ts';
import { buildIso, cdVolume } from './cdfs/setup.ts';
import { fatVolume } from './fat/setup.ts';
import { memfsVolume } from './memfs/setup.ts';

const VOLUMES: Array<[string, () => FsHarness, NTSTATUS]> = [
  ['MemFS', () => memfsVolume(), STATUS_INVALID_INFO_CLASS],
  ['FAT', () => fatVolume({ fatType: 12 }), STATUS_INVALID_INFO_CLASS],
  ['CDFS', () => cdVolume(buildIso({ 'a.txt': 'a' })), STATUS_INVALID_PARAMETER],
];

for (const [name, make, unanswered] of VOLUMES) {
  test(`${name}: class 999 is STATUS_INVALID_INFO_CLASS; FileFsControlInformation, not answered, is the file system's own status`, () => {
    const volume = make();
    const opened = volume.openVolume();
    assert.equal(opened.status, STATUS_SUCCESS);
    assert.equal(volume.queryVolume(opened.handle!, 999).status, STATUS_INVALID_INFO_CLASS);
    assert.equal(volume.queryVolume(opened.handle!, FileFsControlInformation).status, unanswered);
    volume.close(opened.handle!);
  });
}
