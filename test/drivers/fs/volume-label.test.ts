/**
 * IRP_MJ_SET_VOLUME_INFORMATION read alike on every disk file system (requestedVolumeLabel): a
 * request that is not a well-formed FileFsLabelInformation record is STATUS_INVALID_PARAMETER
 * before the media's write protection is considered, on MemFS and FAT disks that are write-protected
 * and on CDFS (a genisoimage disc) alike; a well-formed one meets the write protection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FileFsLabelInformation,
  FileFsVolumeInformation,
  type NTSTATUS,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../src/base/index.ts';
import type { FsHarness } from '../../support/fs-harness.ts';
import { buildIso, cdVolume } from './cdfs/setup.ts';
import { fatVolume } from './fat/setup.ts';
import { memfsVolume } from './memfs/setup.ts';

function setLabel(volume: FsHarness, infoClass: number, info: unknown): NTSTATUS {
  const opened = volume.openVolume(FILE_GENERIC_READ | FILE_GENERIC_WRITE);
  assert.equal(opened.status, STATUS_SUCCESS);
  try {
    return volume.setVolume(opened.handle!, infoClass, info);
  } finally {
    volume.close(opened.handle!);
  }
}

const READ_ONLY_VOLUMES: Array<[string, () => FsHarness]> = [
  ['MemFS on a write-protected disk', () => memfsVolume({ readOnly: true })],
  ['FAT on a write-protected disk', () => fatVolume({ fatType: 12, readOnly: true })],
  ['CDFS', () => cdVolume(buildIso({ 'a.txt': 'a' }))],
];

for (const [name, make] of READ_ONLY_VOLUMES) {
  test(`${name}: a malformed label request is STATUS_INVALID_PARAMETER, a well-formed one STATUS_MEDIA_WRITE_PROTECTED`, () => {
    const volume = make();
    assert.equal(setLabel(volume, FileFsLabelInformation, { volumeLabel: 42 }), STATUS_INVALID_PARAMETER);
    assert.equal(setLabel(volume, FileFsLabelInformation, {}), STATUS_INVALID_PARAMETER);
    assert.equal(setLabel(volume, FileFsVolumeInformation, { volumeLabel: 'NEW' }), STATUS_INVALID_PARAMETER);
    assert.equal(
      setLabel(volume, FileFsLabelInformation, { volumeLabel: 'NEW' }),
      STATUS_MEDIA_WRITE_PROTECTED,
    );
  });
}
