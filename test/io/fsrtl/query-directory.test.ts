/**
 * The directory query rules every file system shares (src/io/fsrtl/query-directory.ts), through
 * real queries on MemFS, FAT and HostFS: a malformed search expression is refused on every query,
 * not only the one that starts the scan, and the refusal loses nothing of the scan.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createSystem, NtClose, NtCreateFile, NtQueryDirectoryFile } from '../../../src/api/index.ts';
import {
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_GENERIC_WRITE,
  FILE_LIST_DIRECTORY,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FileNamesInformation,
  mustBeSync,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MORE_FILES,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { fatFormat } from '../../../src/drivers/fs/fat/format.ts';
import { fatDriver } from '../../../src/drivers/fs/fat/index.ts';
import { memFsDriver, memFsFormat } from '../../../src/drivers/fs/memfs/index.ts';
import { IoCreateRamDisk } from '../../../src/drivers/storage/ramdisk/index.ts';
import { HostFsAddShare } from '../../../src/host/hostfs/index.ts';
import { IoLoadDriver } from '../../../src/io/index.ts';

/** A booted system with `root` naming the root directory of a volume of the given file system. */
function volume(fileSystem: 'memfs' | 'fat' | 'hostfs', base: string) {
  const system = createSystem();
  const process = system.createProcess('t.exe');
  let root = '\\Device\\RamDisk0\\';
  if (fileSystem === 'hostfs') {
    assert.equal(HostFsAddShare(system, { name: 'share', path: base, readOnly: false }), STATUS_SUCCESS);
    root = '\\Device\\HostFs\\share\\';
  } else {
    IoLoadDriver(system, fileSystem === 'memfs' ? memFsDriver : fatDriver);
    IoCreateRamDisk(system, {
      sizeBytes: 2 * 1024 * 1024,
      format: fileSystem === 'memfs' ? memFsFormat() : fatFormat(),
    });
  }
  const open = (name: string, disposition: number, options: number, access: number) =>
    mustBeSync(
      NtCreateFile(system, process, {
        objectName: root + name,
        desiredAccess: access | SYNCHRONIZE,
        createDisposition: disposition,
        createOptions: options | FILE_SYNCHRONOUS_IO_NONALERT,
      }),
      'open',
    );
  return { process, open };
}

for (const fileSystem of ['memfs', 'fat', 'hostfs'] as const) {
  test(`${fileSystem}: a search expression that is not a string is refused on a continuing query, and the scan goes on`, (t) => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-query-directory-'));
    t.after(() => fs.rmSync(base, { recursive: true, force: true }));
    const { process, open } = volume(fileSystem, base);
    const access = FILE_GENERIC_READ | FILE_GENERIC_WRITE;
    const made = open('dir', FILE_CREATE, FILE_DIRECTORY_FILE, access);
    assert.equal(made.status, STATUS_SUCCESS);
    NtClose(process, made.handle!);
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      const created = open(`dir\\${name}`, FILE_CREATE, FILE_NON_DIRECTORY_FILE, access);
      assert.equal(created.status, STATUS_SUCCESS);
      NtClose(process, created.handle!);
    }
    const dir = open('dir', FILE_OPEN, FILE_DIRECTORY_FILE, FILE_LIST_DIRECTORY).handle!;
    const query = (fileName: unknown) =>
      mustBeSync(
        NtQueryDirectoryFile(process, dir, {
          fileInformationClass: FileNamesInformation,
          returnSingleEntry: true,
          fileName: fileName as string | null,
        }),
        'query',
      );
    const seen: string[] = [];
    const first = query('*.TXT');
    assert.equal(first.status, STATUS_SUCCESS);
    seen.push(first.entries[0]!.fileName);
    assert.equal(query(42).status, STATUS_INVALID_PARAMETER);
    assert.equal(query({ name: '*' }).status, STATUS_INVALID_PARAMETER);
    for (;;) {
      const next = query(null);
      if (next.status === STATUS_NO_MORE_FILES) break;
      assert.equal(next.status, STATUS_SUCCESS);
      seen.push(next.entries[0]!.fileName);
    }
    assert.deepEqual(seen.map((name) => name.toLowerCase()).sort(), ['a.txt', 'b.txt', 'c.txt']);
    NtClose(process, dir);
  });
}
