import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_LIST_DIRECTORY,
  FILE_OPEN_IF,
  FileNamesInformation,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MORE_FILES,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_SUCCESS,
  SYNCHRONIZE,
} from '../../../src/base/index.ts';
import { withShare } from './setup.ts';

for (const containment of ['procfs', 'path'] as const) {
  const named = (sentence: string): string => `${sentence} (${containment})`;

  test(
    named('a listing shows the host entries with their metadata, "." and ".." first, in upcased order'),
    () => {
      withShare({ containment }, (v) => {
        fs.writeFileSync(v.host('b.txt'), '12345');
        fs.writeFileSync(v.host('A.txt'), '');
        fs.mkdirSync(v.host('Sub'));
        fs.writeFileSync(v.host('.hidden'), 'h');
        fs.writeFileSync(v.host('locked'), 'l');
        fs.chmodSync(v.host('locked'), 0o444);
        const entries = v.listEntries('');
        assert.deepEqual(
          entries.map((e) => e.fileName),
          ['.', '..', '.hidden', 'A.txt', 'b.txt', 'locked', 'Sub'],
        );
        const byName = new Map(entries.map((e) => [e.fileName, e]));
        const b = byName.get('b.txt')!;
        const stat = fs.statSync(v.host('b.txt'));
        assert.equal(b.endOfFile, 5);
        assert.equal(b.fileAttributes, FILE_ATTRIBUTE_ARCHIVE);
        assert.equal(b.lastWriteTime, stat.mtimeMs);
        assert.equal(b.fileId, stat.ino);
        assert.equal(byName.get('Sub')!.fileAttributes, FILE_ATTRIBUTE_DIRECTORY);
        assert.equal(byName.get('.hidden')!.fileAttributes, FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_HIDDEN);
        assert.equal(byName.get('locked')!.fileAttributes, FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_READONLY);
        assert.equal(byName.get('.')!.fileAttributes, FILE_ATTRIBUTE_DIRECTORY);
        assert.equal(
          byName.get('..')!.fileId,
          fs.statSync(v.shareDir).ino,
          'the root\'s ".." is the root itself',
        );
        fs.mkdirSync(v.host('Sub', 'deeper'));
        const inner = v.listEntries('Sub');
        assert.equal(inner.find((e) => e.fileName === '..')!.fileId, fs.statSync(v.shareDir).ino);
        assert.equal(inner.find((e) => e.fileName === '.')!.fileId, fs.statSync(v.host('Sub')).ino);
      });
    },
  );

  test(named('wildcards match case-insensitively with the DOS forms'), () => {
    withShare({ containment }, (v) => {
      for (const name of ['report.doc', 'Report.TXT', 'readme', 'notes.txt', 'a.b.c'])
        fs.writeFileSync(v.host(name), '');
      assert.deepEqual(v.list('', '*.txt'), ['notes.txt', 'Report.TXT']);
      assert.deepEqual(v.list('', 'RE*'), ['readme', 'report.doc', 'Report.TXT']);
      assert.deepEqual(v.list('', '?????'), ['a.b.c']);
      assert.deepEqual(v.list('', 'readm?'), ['readme']);
      assert.deepEqual(v.list('', '<.c'), ['a.b.c']);
      assert.deepEqual(v.list('', 'README'), ['readme'], 'an exact name is a lookup');
      assert.deepEqual(v.list('', 'nothing*'), []);
    });
  });

  test(named('small buffers return the listing across several queries without repeats or gaps'), () => {
    withShare({ containment }, (v) => {
      const names = Array.from({ length: 60 }, (_, i) => `file-${String(i).padStart(3, '0')}`);
      for (const name of names) fs.writeFileSync(v.host(name), name);
      const entries = v.listEntries('', null, 200);
      assert.deepEqual(
        entries.map((e) => e.fileName).filter((n) => n !== '.' && n !== '..'),
        names,
      );
    });
  });

  test(
    named('entries removed by the host during a scan are skipped; new ones appear after a restart'),
    () => {
      withShare({ containment }, (v) => {
        for (const name of ['a', 'b', 'c', 'd']) fs.writeFileSync(v.host(name), '');
        const dir = v.handle('', { access: FILE_LIST_DIRECTORY | SYNCHRONIZE, options: FILE_DIRECTORY_FILE });
        const first = v.queryDirectory(dir, { returnSingleEntry: true });
        assert.equal(first.status, STATUS_SUCCESS);
        fs.rmSync(v.host('c'));
        fs.writeFileSync(v.host('e'), '');
        const rest: string[] = [];
        for (;;) {
          const r = v.queryDirectory(dir);
          if (r.status === STATUS_NO_MORE_FILES) break;
          assert.equal(r.status, STATUS_SUCCESS);
          rest.push(...r.entries.map((e) => e.fileName));
        }
        assert.equal(rest.includes('c'), false);
        assert.equal(rest.includes('e'), false);
        const restarted = v.queryDirectory(dir, { restartScan: true, fileName: 'E' });
        assert.equal(restarted.status, STATUS_SUCCESS);
        assert.deepEqual(
          restarted.entries.map((e) => e.fileName),
          ['e'],
        );
        v.close(dir);
        assert.ok(v.list('').includes('e'));
      });
    },
  );

  test(named('links, special files and unreadable names are listed as HostFS serves them'), () => {
    withShare({ containment }, (v) => {
      fs.mkdirSync(v.host('real'));
      fs.writeFileSync(v.host('real', 'f'), 'abc');
      fs.symlinkSync('real', v.host('to_real'));
      fs.symlinkSync('real/f', v.host('to_f'));
      fs.symlinkSync('../sentinel/secret.txt', v.host('to_outside'));
      fs.symlinkSync('nothing', v.host('to_nothing'));
      try {
        execFileSync('mkfifo', [v.host('fifo')]);
      } catch {
        fs.writeFileSync(v.host('fifo'), ''); // no mkfifo: the entry is then a plain file
      }
      const byName = new Map(v.listEntries('').map((e) => [e.fileName, e]));
      assert.equal(byName.get('to_real')!.fileAttributes, FILE_ATTRIBUTE_DIRECTORY);
      assert.equal(byName.get('to_f')!.endOfFile, 3);
      assert.equal(byName.get('to_outside')!.fileAttributes, FILE_ATTRIBUTE_REPARSE_POINT);
      assert.equal(byName.get('to_outside')!.endOfFile, 0, 'nothing about the outside target is shown');
      assert.equal(byName.get('to_nothing')!.fileAttributes, FILE_ATTRIBUTE_REPARSE_POINT);
      if (fs.lstatSync(v.host('fifo')).isFIFO()) {
        assert.equal(byName.get('fifo')!.fileAttributes, FILE_ATTRIBUTE_SYSTEM);
        assert.equal(v.open('fifo').status, 0xc0000022, 'a FIFO is listed but not opened');
      }
    });
  });

  test(named('names are case-insensitive; names that differ only in case are each reachable exactly'), () => {
    withShare({ containment }, (v) => {
      fs.writeFileSync(v.host('Mixed.Case'), 'one');
      assert.equal(v.readFile('MIXED.CASE'), 'one');
      assert.equal(v.open('mixed.case', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_COLLISION);
      const opened = v.open('mixed.CASE', { disposition: FILE_OPEN_IF });
      assert.equal(opened.status, STATUS_SUCCESS);
      v.close(opened.handle!);
      assert.deepEqual(fs.readdirSync(v.shareDir), ['Mixed.Case']);
      fs.writeFileSync(v.host('MIXED.CASE'), 'two');
      assert.equal(v.readFile('Mixed.Case'), 'one');
      assert.equal(v.readFile('MIXED.CASE'), 'two');
      assert.equal(v.open('mixed.case').status, STATUS_OBJECT_NAME_COLLISION, 'ambiguous: refused');
      assert.deepEqual(v.list('').sort(), ['MIXED.CASE', 'Mixed.Case']);
      assert.deepEqual(v.list('', 'mixed.case').sort(), ['MIXED.CASE', 'Mixed.Case']);
    });
  });

  test(named('a new file created by the host is found case-insensitively right away'), () => {
    withShare({ containment }, (v) => {
      assert.equal(v.mkdir('dir'), STATUS_SUCCESS);
      assert.equal(v.open('dir\\ONE').status !== STATUS_SUCCESS, true);
      for (let i = 0; i < 50; i++) v.writeFile(`dir\\f${i}`, `${i}`);
      fs.writeFileSync(path.join(v.shareDir, 'dir', 'one'), 'host');
      assert.equal(v.readFile('dir\\ONE'), 'host');
      assert.equal(v.open('dir\\F7', { disposition: FILE_CREATE }).status, STATUS_OBJECT_NAME_COLLISION);
      assert.equal(fs.readdirSync(path.join(v.shareDir, 'dir')).length, 51);
    });
  });

  test(named('a file handle cannot be enumerated'), () => {
    withShare({ containment }, (v) => {
      v.writeFile('f', '');
      const h = v.handle('f');
      assert.equal(
        v.queryDirectory(h, { fileInformationClass: FileNamesInformation }).status,
        STATUS_INVALID_PARAMETER,
      );
      v.close(h);
    });
  });
}
