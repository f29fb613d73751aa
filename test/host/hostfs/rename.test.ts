import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import {
  DELETE,
  FILE_ATTRIBUTE_READONLY,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  type FileNameInfo,
  FileNameInformation,
  FileRenameInformation,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { withShare } from './setup.ts';

for (const containment of ['procfs', 'path'] as const) {
  const named = (sentence: string): string => `${sentence} (${containment})`;

  test(named('a rename in place and a move to another directory are host renames'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('a.txt', 'content');
      v.mkdir('dir');
      assert.equal(v.rename('a.txt', 'b.txt'), STATUS_SUCCESS);
      assert.deepEqual(fs.readdirSync(v.shareDir).sort(), ['b.txt', 'dir']);
      const ino = fs.statSync(v.host('b.txt')).ino;
      assert.equal(v.rename('B.TXT', '\\??\\H:\\DIR\\moved.txt'), STATUS_SUCCESS);
      assert.deepEqual(fs.readdirSync(v.host('dir')), ['moved.txt']);
      assert.equal(fs.statSync(v.host('dir', 'moved.txt')).ino, ino, 'the same file, not a copy');
      assert.equal(v.rename('dir', 'folder'), STATUS_SUCCESS);
      assert.equal(fs.readFileSync(v.host('folder', 'moved.txt'), 'utf8'), 'content');
    });
  });

  test(named('an open handle keeps working and reports its new name after a rename'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('old', 'x');
      const h = v.handle('old', { access: DELETE | SYNCHRONIZE | FILE_GENERIC_READ });
      assert.equal(
        v.set(h, FileRenameInformation, { replaceIfExists: false, rootDirectory: null, fileName: 'new' }),
        STATUS_SUCCESS,
      );
      assert.equal(v.query<FileNameInfo>(h, FileNameInformation).info!.fileName, '\\share\\new');
      assert.equal(Buffer.from(v.read(h, 10, 0).data).toString(), 'x');
      v.close(h);
      assert.equal(v.open('old').status, STATUS_OBJECT_NAME_NOT_FOUND);
    });
  });

  test(named('an existing target needs ReplaceIfExists and must be a closed, writable file'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('src', 'source');
      v.writeFile('dst', 'target');
      assert.equal(v.rename('src', 'dst'), STATUS_OBJECT_NAME_COLLISION);
      assert.equal(v.rename('src', 'DST'), STATUS_OBJECT_NAME_COLLISION, 'found case-insensitively');
      const open = v.handle('dst', { access: FILE_GENERIC_READ });
      assert.equal(v.rename('src', 'dst', true), STATUS_ACCESS_DENIED, 'the target is open');
      v.close(open);
      v.mkdir('adir');
      assert.equal(v.rename('src', 'adir', true), STATUS_ACCESS_DENIED, 'a directory is never replaced');
      const ro = v.open('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY });
      v.close(ro.handle!);
      assert.equal(v.rename('src', 'ro', true), STATUS_ACCESS_DENIED, 'a read-only file is never replaced');
      assert.equal(v.rename('src', 'DST', true), STATUS_SUCCESS);
      assert.deepEqual(
        fs.readdirSync(v.shareDir).sort(),
        ['DST', 'adir', 'ro'],
        'the new case replaced the old name',
      );
      assert.equal(fs.readFileSync(v.host('DST'), 'utf8'), 'source');
    });
  });

  test(named('renaming to a name that differs only in case renames on the host'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('readme', 'r');
      assert.equal(v.rename('readme', 'README'), STATUS_SUCCESS);
      assert.deepEqual(fs.readdirSync(v.shareDir), ['README']);
      assert.equal(v.rename('README', 'README'), STATUS_SUCCESS);
      assert.deepEqual(fs.readdirSync(v.shareDir), ['README']);
    });
  });

  test(named('a directory cannot move into itself, nor while files below it are open'), () => {
    withShare({ containment }, (v) => {
      v.mkdir('top');
      v.mkdir('top\\below');
      assert.equal(v.rename('top', '\\??\\H:\\top\\below\\top'), STATUS_INVALID_PARAMETER);
      v.writeFile('top\\below\\f', '');
      const h = v.handle('top\\below\\f', { access: FILE_GENERIC_READ });
      assert.equal(v.rename('top', 'elsewhere'), STATUS_ACCESS_DENIED);
      v.close(h);
      assert.equal(v.rename('top', 'elsewhere'), STATUS_SUCCESS);
      assert.ok(fs.existsSync(v.host('elsewhere', 'below', 'f')));
      assert.equal(v.rename('elsewhere', '\\??\\H:\\missing\\x'), STATUS_OBJECT_PATH_NOT_FOUND);
    });
  });

  test(named('a rename of a file the host moved away is refused'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('f', '');
      const h = v.handle('f', { access: DELETE | SYNCHRONIZE });
      fs.renameSync(v.host('f'), v.host('g'));
      const status = v.set(h, FileRenameInformation, {
        replaceIfExists: false,
        rootDirectory: null,
        fileName: 'h',
      });
      assert.equal(status, STATUS_OBJECT_NAME_NOT_FOUND);
      v.close(h);
      assert.deepEqual(fs.readdirSync(v.shareDir), ['g']);
    });
  });

  test(named('the share root cannot be renamed'), () => {
    withShare({ containment }, (v) => {
      const root = v.handle('', { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
      assert.equal(
        v.set(root, FileRenameInformation, { replaceIfExists: false, rootDirectory: null, fileName: 'x' }),
        STATUS_INVALID_PARAMETER,
      );
      v.close(root);
    });
  });
}
