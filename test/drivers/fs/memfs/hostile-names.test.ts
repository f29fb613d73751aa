/**
 * MemFS after hostile names: the names every file system refuses (the behaviour suite's
 * cases-names.ts) leave a volume that writes back and mounts the same tree, and the names NT
 * allows but FAT and HostFS refuse (trailing dots and spaces) are MemFS's to keep.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_CREATE, FSCTL_DISMOUNT_VOLUME, STATUS_SUCCESS } from '../../../../src/base/index.ts';
import { INVALID_NAMES } from '../behaviour/cases-names.ts';
import { memfsVolume } from './setup.ts';

const ROOT = '\\??\\M:\\';

test('the volume stays consistent after hostile names: it writes back and mounts the same tree', () => {
  const v = memfsVolume();
  v.writeFile('keep', 'safe');
  for (const [, name] of INVALID_NAMES) v.open(name, { disposition: FILE_CREATE });
  const volume = v.openVolume();
  assert.equal(v.fsctl(volume.handle!, FSCTL_DISMOUNT_VOLUME), STATUS_SUCCESS);
  v.close(volume.handle!);
  assert.deepEqual(v.list(ROOT), ['keep']);
  assert.equal(v.readFile('keep'), 'safe');
});

test('names of exactly 255 characters, odd but legal characters, and trailing dots are accepted', () => {
  const v = memfsVolume();
  const legal = [
    'n'.repeat(255),
    'trailing.',
    'trailing ',
    ' leading',
    '...',
    'semi;colon',
    'brackets[1]',
    '#hash',
    'émoji 🙂',
    "+=,'`~!@$%^&()",
  ];
  for (const name of legal) {
    const result = v.open(name, { disposition: FILE_CREATE });
    assert.equal(result.status, STATUS_SUCCESS, JSON.stringify(name));
    v.close(result.handle!);
  }
  assert.equal(v.list(ROOT).length, legal.length);
  assert.equal(v.exists('TRAILING.'), true);
  assert.equal(v.exists('trailing'), false, '"trailing." and "trailing" are different names at the NT level');
});
