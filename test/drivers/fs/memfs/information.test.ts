/**
 * What MemFS itself answers in its information records: allocation in 512-byte units, the
 * classes it does not keep. What every file system answers is in the behaviour suite
 * (test/drivers/fs/behaviour/cases-information.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FILE_CREATE,
  FileEaInformation,
  FileEndOfFileInformation,
  type FileStandardInfo,
  FileStandardInformation,
  STATUS_INVALID_INFO_CLASS,
} from '../../../../src/base/index.ts';
import { memfsVolume } from './setup.ts';

test('allocation is the end of file rounded up to 512 bytes', () => {
  const v = memfsVolume();
  const h = v.handle('f', { disposition: FILE_CREATE });
  for (const [size, allocation] of [
    [0, 0],
    [1, 512],
    [1000, 1024],
    [1024, 1024],
  ]) {
    v.write(h, new Uint8Array(size));
    v.set(h, FileEndOfFileInformation, { endOfFile: size });
    const standard = v.query<FileStandardInfo>(h, FileStandardInformation).info!;
    assert.deepEqual([standard.endOfFile, standard.allocationSize], [size, allocation]);
  }
  v.close(h);
});

test('MemFS keeps no extended attributes: FileEaInformation is STATUS_INVALID_INFO_CLASS', () => {
  const v = memfsVolume();
  v.writeFile('f', 'x');
  const h = v.handle('f');
  assert.equal(v.query(h, FileEaInformation).status, STATUS_INVALID_INFO_CLASS);
  v.close(h);
});
