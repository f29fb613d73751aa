/**
 * HostFS applies the create checks every file system shares (src/io/fsrtl/create-checks.ts) in
 * FastFat's order: name syntax before anything HostFS itself refuses.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createSystem, NtCreateFile } from '../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_SYNCHRONOUS_IO_NONALERT,
  mustBeSync,
  STATUS_ACCESS_DENIED,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { HostFsAddShare } from '../../../src/host/hostfs/index.ts';

test('a trailing backslash on a new file is STATUS_OBJECT_NAME_INVALID even where the name is a dangling link', (t) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostfs-create-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  fs.symlinkSync('nowhere', path.join(base, 'dangling'));
  const system = createSystem();
  const process = system.createProcess('t.exe');
  assert.equal(HostFsAddShare(system, { name: 'share', path: base, readOnly: false }), STATUS_SUCCESS);
  const create = (name: string, options: number) =>
    mustBeSync(
      NtCreateFile(system, process, {
        objectName: `\\Device\\HostFs\\share\\${name}`,
        desiredAccess: FILE_GENERIC_READ | FILE_GENERIC_WRITE | SYNCHRONIZE,
        createDisposition: FILE_CREATE,
        createOptions: options | FILE_SYNCHRONOUS_IO_NONALERT,
      }),
      'create',
    ).status;
  assert.equal(create('dangling\\', 0), STATUS_OBJECT_NAME_INVALID, 'the name is checked first');
  assert.equal(create('dangling', 0), STATUS_ACCESS_DENIED, 'nothing is created through a link');
  assert.equal(create('dangling\\', FILE_DIRECTORY_FILE), STATUS_ACCESS_DENIED);
  assert.equal(fs.readlinkSync(path.join(base, 'dangling')), 'nowhere', 'the link is left as it was');
  assert.deepEqual(fs.readdirSync(base), ['dangling']);
});
