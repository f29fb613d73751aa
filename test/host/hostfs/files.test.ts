import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { test } from 'node:test';
import {
  DELETE,
  FILE_APPEND_DATA,
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_CREATE,
  FILE_CREATED,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_DISPOSITION_DELETE,
  FILE_DISPOSITION_POSIX_SEMANTICS,
  FILE_GENERIC_READ,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPENED,
  FILE_OVERWRITE,
  FILE_OVERWRITE_IF,
  FILE_OVERWRITTEN,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_READ,
  FILE_SUPERSEDE,
  FILE_SUPERSEDED,
  FILE_SYNCHRONOUS_IO_NONALERT,
  FILE_WRITE_ATTRIBUTES,
  type FileAllInfo,
  FileAllInformation,
  type FileBasicInfo,
  FileBasicInformation,
  FileDispositionInformation,
  FileDispositionInformationEx,
  FileEndOfFileInformation,
  FileInternalInformation,
  type FileNameInfo,
  FileNameInformation,
  type FileNetworkOpenInfo,
  FileNetworkOpenInformation,
  type FileStandardInfo,
  FileStandardInformation,
  type FileStatLxInfo,
  FileStatLxInformation,
  STATUS_BUFFER_OVERFLOW,
  STATUS_CANNOT_DELETE,
  STATUS_DELETE_PENDING,
  STATUS_DIRECTORY_NOT_EMPTY,
  STATUS_END_OF_FILE,
  STATUS_FILE_IS_A_DIRECTORY,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SHARING_VIOLATION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { withShare } from './setup.ts';

for (const containment of ['procfs', 'path'] as const) {
  const named = (sentence: string): string => `${sentence} (${containment})`;

  test(named('what Strata writes the host reads byte for byte, and the reverse'), () => {
    withShare({ containment }, (v) => {
      const data = randomBytes(300_000);
      v.writeFile('blob.bin', data);
      assert.deepEqual(fs.readFileSync(v.host('blob.bin')), data);
      const fromHost = randomBytes(200_001);
      fs.writeFileSync(v.host('host.bin'), fromHost);
      assert.deepEqual(Buffer.from(v.readBytes('host.bin') as Uint8Array), fromHost);
      // A handle sees the host's later writes at once: HostFS keeps no cache.
      const h = v.handle('host.bin', { access: FILE_GENERIC_READ });
      fs.writeFileSync(v.host('host.bin'), 'changed');
      const r = v.read(h, 100, 0);
      assert.equal(Buffer.from(r.data).toString(), 'changed');
      v.close(h);
      v.assertOutsideUntouched();
    });
  });

  test(named('reads at and past the end, cut reads, sparse writes and appends behave as on NTFS'), () => {
    withShare({ containment }, (v) => {
      const h = v.handle('f', { disposition: FILE_CREATE });
      assert.deepEqual(v.write(h, 'abc', 0), { status: STATUS_SUCCESS, bytes: 3 });
      assert.equal(v.read(h, 10, 3).status, STATUS_END_OF_FILE);
      assert.equal(v.read(h, 10, 100).status, STATUS_END_OF_FILE);
      const cut = v.read(h, 10, 1);
      assert.equal(Buffer.from(cut.data).toString(), 'bc');
      assert.equal(v.write(h, 'Z', 6).status, STATUS_SUCCESS);
      assert.deepEqual(fs.readFileSync(v.host('f')), Buffer.from('abc\0\0\0Z'));
      assert.equal(v.write(h, '!', -1).status, STATUS_SUCCESS); // -1: at the end
      assert.equal(fs.readFileSync(v.host('f'), 'latin1'), 'abc\0\0\0Z!');
      v.close(h);
      const appender = v.handle('f', { access: FILE_APPEND_DATA | SYNCHRONIZE });
      fs.appendFileSync(v.host('f'), 'host');
      assert.equal(v.write(appender, '+', 0).status, STATUS_SUCCESS); // append-only: the offset is ignored
      v.close(appender);
      assert.equal(fs.readFileSync(v.host('f'), 'latin1'), 'abc\0\0\0Z!host+');
    });
  });

  test(named('synchronous handles advance their position through reads and writes'), () => {
    withShare({ containment }, (v) => {
      const h = v.handle('seq', { disposition: FILE_CREATE, options: FILE_SYNCHRONOUS_IO_NONALERT });
      v.write(h, 'one', null);
      v.write(h, 'two', null);
      assert.equal(fs.readFileSync(v.host('seq'), 'utf8'), 'onetwo');
      assert.equal(Buffer.from(v.read(h, 3, 0).data).toString(), 'one');
      assert.equal(Buffer.from(v.read(h, 3, null).data).toString(), 'two');
      v.close(h);
    });
  });

  test(named('create dispositions report what they did and refuse what they must'), () => {
    withShare({ containment }, (v) => {
      const created = v.open('d.txt', { disposition: FILE_CREATE });
      assert.equal(created.information, FILE_CREATED);
      v.write(created.handle!, 'data');
      v.close(created.handle!);
      assert.equal(v.open('d.txt', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_COLLISION);
      assert.equal(v.open('D.TXT', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_COLLISION);
      const opened = v.open('d.txt', { disposition: FILE_OPEN_IF });
      assert.equal(opened.information, FILE_OPENED);
      v.close(opened.handle!);
      const overwritten = v.open('D.txt', { disposition: FILE_OVERWRITE });
      assert.equal(overwritten.information, FILE_OVERWRITTEN);
      v.close(overwritten.handle!);
      assert.equal(fs.readFileSync(v.host('d.txt'), 'utf8'), '');
      fs.writeFileSync(v.host('d.txt'), 'again');
      const superseded = v.open('d.txt', { disposition: FILE_SUPERSEDE });
      assert.equal(superseded.information, FILE_SUPERSEDED);
      v.close(superseded.handle!);
      assert.equal(fs.statSync(v.host('d.txt')).size, 0);
      assert.equal(v.open('none', { disposition: FILE_OPEN }).status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.equal(v.open('none', { disposition: FILE_OVERWRITE }).status, STATUS_OBJECT_NAME_NOT_FOUND);
      assert.equal(v.open('no\\where', { disposition: FILE_OPEN_IF }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      assert.equal(v.open('d.txt\\x', { disposition: FILE_OPEN_IF }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      const made = v.open('new', { disposition: FILE_OVERWRITE_IF });
      assert.equal(made.information, FILE_CREATED);
      v.close(made.handle!);
      assert.deepEqual(fs.readdirSync(v.shareDir).sort(), ['d.txt', 'new']);
    });
  });

  test(named('files and directories refuse the wrong kind of open'), () => {
    withShare({ containment }, (v) => {
      assert.equal(v.mkdir('dir'), STATUS_SUCCESS);
      assert.ok(fs.statSync(v.host('dir')).isDirectory());
      v.writeFile('file', 'x');
      assert.equal(v.open('dir', { options: FILE_NON_DIRECTORY_FILE }).status, STATUS_FILE_IS_A_DIRECTORY);
      assert.equal(v.open('dir', { disposition: FILE_OVERWRITE_IF }).status, STATUS_FILE_IS_A_DIRECTORY);
      assert.equal(v.open('file', { options: FILE_DIRECTORY_FILE }).status, STATUS_NOT_A_DIRECTORY);
      assert.equal(v.open('file\\', {}).status, STATUS_OBJECT_NAME_INVALID);
      assert.equal(v.open('newfile\\', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_INVALID);
      assert.equal(v.mkdir('dir'), STATUS_OBJECT_NAME_COLLISION);
      const d = v.handle('dir', { options: FILE_DIRECTORY_FILE });
      assert.equal(v.read(d, 10).status, STATUS_INVALID_DEVICE_REQUEST);
      assert.equal(v.write(d, 'x').status, STATUS_INVALID_DEVICE_REQUEST);
      v.close(d);
    });
  });

  test(named('relative opens work from an open directory and may reopen it'), () => {
    withShare({ containment }, (v) => {
      v.mkdir('dir');
      v.mkdir('dir\\sub');
      const dir = v.handle('dir', { options: FILE_DIRECTORY_FILE });
      const made = v.open('sub\\rel.txt', { root: dir, disposition: FILE_CREATE });
      assert.equal(made.status, STATUS_SUCCESS);
      v.write(made.handle!, 'relative');
      v.close(made.handle!);
      assert.equal(fs.readFileSync(v.host('dir', 'sub', 'rel.txt'), 'utf8'), 'relative');
      const again = v.open('', { root: dir, options: FILE_DIRECTORY_FILE });
      assert.equal(again.status, STATUS_SUCCESS);
      const name = v.query<FileNameInfo>(again.handle!, FileNameInformation);
      assert.equal(name.info!.fileName, '\\share\\dir');
      v.close(again.handle!);
      v.close(dir);
    });
  });

  test(
    named('delete disposition removes the name at the last close, delete-on-close at its handle close'),
    () => {
      withShare({ containment }, (v) => {
        v.writeFile('gone', 'x');
        const a = v.handle('gone', { access: DELETE | SYNCHRONIZE });
        const b = v.handle('gone', { access: FILE_GENERIC_READ });
        assert.equal(v.set(a, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
        assert.equal(v.open('gone').status, STATUS_DELETE_PENDING);
        const standard = v.query<FileStandardInfo>(b, FileStandardInformation);
        assert.equal(standard.info!.deletePending, true);
        v.close(a);
        assert.ok(fs.existsSync(v.host('gone')), 'still there while a handle is open');
        v.close(b);
        assert.equal(fs.existsSync(v.host('gone')), false);

        const temp = v.open('temp', {
          access: DELETE | SYNCHRONIZE | FILE_GENERIC_READ,
          disposition: FILE_CREATE,
          options: FILE_DELETE_ON_CLOSE,
        });
        assert.ok(fs.existsSync(v.host('temp')));
        v.close(temp.handle!);
        assert.equal(fs.existsSync(v.host('temp')), false);

        v.mkdir('full');
        v.writeFile('full\\x', '1');
        assert.equal(v.remove('full'), STATUS_DIRECTORY_NOT_EMPTY);
        assert.equal(v.remove('full\\x'), STATUS_SUCCESS);
        assert.equal(v.remove('full'), STATUS_SUCCESS);
        assert.deepEqual(fs.readdirSync(v.shareDir), []);
        const root = v.handle('', { access: DELETE | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
        assert.equal(v.set(root, FileDispositionInformation, { deleteFile: true }), STATUS_CANNOT_DELETE);
        v.close(root);
        v.assertOutsideUntouched();
      });
    },
  );

  test(named('POSIX delete removes the name at once while other handles keep reading'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('p', 'posix');
      const reader = v.handle('p', { access: FILE_GENERIC_READ });
      const deleter = v.handle('p', { access: DELETE | SYNCHRONIZE });
      const flags = FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS;
      assert.equal(v.set(deleter, FileDispositionInformationEx, { flags }), STATUS_SUCCESS);
      v.close(deleter);
      assert.equal(fs.existsSync(v.host('p')), false);
      assert.equal(Buffer.from(v.read(reader, 10, 0).data).toString(), 'posix');
      v.writeFile('p', 'new');
      v.close(reader);
      assert.equal(fs.readFileSync(v.host('p'), 'utf8'), 'new');
    });
  });

  test(named('a deferred delete never removes a file the host put in place of the one opened'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('swap', 'original');
      const h = v.handle('swap', { access: DELETE | SYNCHRONIZE });
      assert.equal(v.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
      fs.rmSync(v.host('swap'));
      fs.writeFileSync(v.host('swap'), 'host replacement');
      v.close(h);
      assert.equal(fs.readFileSync(v.host('swap'), 'utf8'), 'host replacement');
    });
  });

  test(named('share access is enforced between Strata opens'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('s', 'x');
      const exclusive = v.handle('s', { access: FILE_GENERIC_READ, share: 0 });
      assert.equal(v.open('s', { access: FILE_GENERIC_READ }).status, STATUS_SHARING_VIOLATION);
      assert.equal(v.open('S', { access: FILE_GENERIC_READ }).status, STATUS_SHARING_VIOLATION, 'any case');
      const attributes = v.open('s', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(attributes.status, STATUS_SUCCESS, 'attributes-only opens never conflict');
      v.close(attributes.handle!);
      assert.equal(fs.readFileSync(v.host('s'), 'utf8'), 'x', 'the host itself is not locked');
      v.close(exclusive);
      const reader = v.handle('s', { access: FILE_GENERIC_READ, share: FILE_SHARE_READ });
      assert.equal(v.open('s').status, STATUS_SHARING_VIOLATION, 'a writer needs FILE_SHARE_WRITE');
      v.close(reader);
      assert.equal(v.open('s').status, STATUS_SUCCESS);
    });
  });

  test(named('end of file truncates and extends the host file; flush succeeds'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('eof', 'abcdef');
      const h = v.handle('eof');
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 2 }), STATUS_SUCCESS);
      assert.equal(fs.readFileSync(v.host('eof'), 'utf8'), 'ab');
      assert.equal(v.set(h, FileEndOfFileInformation, { endOfFile: 5 }), STATUS_SUCCESS);
      assert.deepEqual(fs.readFileSync(v.host('eof')), Buffer.from('ab\0\0\0'));
      assert.equal(v.flush(h), STATUS_SUCCESS);
      v.close(h);
    });
  });

  test(named('information classes report the host metadata'), () => {
    withShare({ containment }, (v) => {
      v.mkdir('dir');
      v.writeFile('dir\\Report.TXT', 'twelve bytes');
      const h = v.handle('DIR\\report.txt', { access: FILE_GENERIC_READ });
      const stat = fs.statSync(v.host('dir', 'Report.TXT'));
      const basic = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      assert.equal(basic.fileAttributes, FILE_ATTRIBUTE_ARCHIVE);
      assert.equal(basic.lastWriteTime, stat.mtimeMs);
      assert.equal(basic.changeTime, stat.ctimeMs);
      const standard = v.query<FileStandardInfo>(h, FileStandardInformation).info!;
      assert.equal(standard.endOfFile, 12);
      assert.equal(standard.numberOfLinks, 1);
      assert.equal(standard.directory, false);
      assert.equal(v.query<{ indexNumber: number }>(h, FileInternalInformation).info!.indexNumber, stat.ino);
      const network = v.query<FileNetworkOpenInfo>(h, FileNetworkOpenInformation).info!;
      assert.equal(network.endOfFile, 12);
      const all = v.query<FileAllInfo>(h, FileAllInformation).info!;
      assert.equal(all.name.fileName, '\\share\\dir\\Report.TXT', 'the name has the host case');
      const cut = v.query<FileNameInfo>(h, FileNameInformation, 4 + 2 * 5);
      assert.equal(cut.status, STATUS_BUFFER_OVERFLOW);
      assert.equal(cut.info!.fileName, '\\shar');
      v.close(h);
      const d = v.handle('dir', { options: FILE_DIRECTORY_FILE, access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(
        v.query<FileBasicInfo>(d, FileBasicInformation).info!.fileAttributes,
        FILE_ATTRIBUTE_DIRECTORY,
      );
      v.close(d);
      const root = v.handle('', { options: FILE_DIRECTORY_FILE, access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(v.query<FileNameInfo>(root, FileNameInformation).info!.fileName, '\\share\\');
      v.close(root);
      fs.chmodSync(v.host('dir', 'Report.TXT'), 0o640);
      const lx = v.handle('dir\\Report.TXT', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      const info = v.query<FileStatLxInfo>(lx, FileStatLxInformation).info!;
      const lxStat = fs.statSync(v.host('dir', 'Report.TXT'));
      assert.deepEqual([info.lxUid, info.lxGid, info.lxMode], [lxStat.uid, lxStat.gid, lxStat.mode]);
      assert.equal(info.lxMode & 0o777, 0o640);
      assert.equal(info.fileId, lxStat.ino);
      v.close(lx);
    });
  });

  test(named('READONLY follows the owner write bit, HIDDEN follows a leading dot'), () => {
    withShare({ containment }, (v) => {
      const made = v.open('ro', { disposition: FILE_CREATE, attributes: FILE_ATTRIBUTE_READONLY });
      assert.equal(made.status, STATUS_SUCCESS);
      assert.equal(v.write(made.handle!, 'still writable through this handle').status, STATUS_SUCCESS);
      v.close(made.handle!);
      assert.equal(fs.statSync(v.host('ro')).mode & 0o222, 0);
      const h = v.handle('ro', { access: FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE });
      const basic = v.query<FileBasicInfo>(h, FileBasicInformation).info!;
      assert.equal(basic.fileAttributes, FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_READONLY);
      assert.equal(v.open('ro', { access: FILE_GENERIC_READ | FILE_APPEND_DATA }).status, 0xc0000022);
      assert.equal(v.remove('ro'), STATUS_CANNOT_DELETE);
      assert.equal(
        v.set(h, FileBasicInformation, { ...basic, fileAttributes: FILE_ATTRIBUTE_ARCHIVE }),
        STATUS_SUCCESS,
      );
      assert.notEqual(fs.statSync(v.host('ro')).mode & 0o200, 0);
      assert.equal(
        v.set(h, FileBasicInformation, {
          creationTime: 0,
          changeTime: 0,
          lastAccessTime: Date.UTC(2001, 0, 1),
          lastWriteTime: Date.UTC(2002, 0, 1),
          fileAttributes: 0,
        }),
        STATUS_SUCCESS,
      );
      v.close(h);
      const stat = fs.statSync(v.host('ro'));
      assert.equal(stat.mtimeMs, Date.UTC(2002, 0, 1));
      assert.equal(stat.atimeMs, Date.UTC(2001, 0, 1));
      assert.equal(v.remove('ro'), STATUS_SUCCESS);

      fs.writeFileSync(v.host('.profile'), '');
      const dot = v.handle('.profile', { access: FILE_READ_ATTRIBUTES | SYNCHRONIZE });
      assert.equal(
        v.query<FileBasicInfo>(dot, FileBasicInformation).info!.fileAttributes,
        FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_HIDDEN,
      );
      v.close(dot);
      v.writeFile('.profile', 'overwriting a dot file needs no HIDDEN');
    });
  });
}
