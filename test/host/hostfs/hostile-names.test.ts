/**
 * Hostile names and hostile host trees: every attack is refused with the expected status, and
 * nothing outside the share is read, written, created or deleted (the sentinel directory next to
 * the share, and a decoy `passwd` file next to it, are compared before and after).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  DELETE,
  FILE_CREATE,
  FILE_DELETE_ON_CLOSE,
  FILE_DIRECTORY_FILE,
  FILE_GENERIC_READ,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OPEN_REPARSE_POINT,
  FILE_OVERWRITE_IF,
  FILE_SUPERSEDE,
  FileDispositionInformation,
  FileLinkInformation,
  FileRenameInformation,
  STATUS_ACCESS_DENIED,
  STATUS_BAD_NETWORK_NAME,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_NOT_SAME_DEVICE,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_REPARSE_POINT_NOT_RESOLVED,
  STATUS_SUCCESS,
  SYNCHRONIZE,
  statusName,
} from '../../../src/base/index.ts';
import { HostFsAddShare } from '../../../src/host/hostfs/index.ts';
import { type HostShareFixture, withShare } from './setup.ts';

/** A share full of traps: links out of it, loops, links into it that are fine. */
function populate(share: string, sentinel: string): void {
  const realShare = fs.realpathSync(share);
  fs.writeFileSync(path.join(share, 'file.txt'), 'inside');
  fs.mkdirSync(path.join(share, 'dir'));
  fs.writeFileSync(path.join(share, 'dir', 'inner.txt'), 'inner');
  // Host names HostFS never shows (a DOS device name, a trailing dot), and links to them.
  fs.writeFileSync(path.join(share, 'CON'), 'device name');
  fs.writeFileSync(path.join(share, 'trail.'), 'trailing dot');
  const links: Array<[string, string]> = [
    ['con_link', 'CON'],
    ['trail_link', 'dir/../trail.'],
    ['etc_link', '/etc'],
    ['passwd_link', '/etc/passwd'],
    ['up_link', '..'],
    ['sentinel_link', '../sentinel'],
    ['secret_link', '../sentinel/secret.txt'],
    ['abs_secret', path.join(fs.realpathSync(sentinel), 'secret.txt')],
    ['abs_sentinel', fs.realpathSync(sentinel)],
    ['abs_prefix_trick', `${realShare}-not-the-share/x`],
    ['dir/deep_escape', '../../sentinel'],
    ['chain', 'dir/../../sentinel/secret.txt'],
    ['loop1', 'loop2'],
    ['loop2', 'loop1'],
    ['self_loop', 'self_loop'],
    ['dangling', 'nowhere'],
    ['dangling_out', '../sentinel/new.txt'],
    ['root_parent', '/'],
    ['inside_link', 'dir'],
    ['inside_file_link', 'dir/inner.txt'],
    ['abs_inside', path.join(realShare, 'dir', 'inner.txt')],
    ['dotdot_inside', 'dir/../file.txt'],
    ['dir/up_inside', '../file.txt'],
    ['root_self', '.'],
  ];
  for (const [name, target] of links) fs.symlinkSync(target, path.join(share, name));
}

interface Attack {
  what: string;
  name: string;
  status: number;
  disposition?: number;
  options?: number;
}

const D = FILE_DIRECTORY_FILE;

/** Rows of [what, name, status?, disposition?, options?]: the status defaults to the table's. */
type AttackRow = [string, string, number?, number?, number?];

function attacks(status: number, rows: AttackRow[]): Attack[] {
  return rows.map(([what, name, rowStatus, disposition, options]) => ({
    what,
    name,
    status: rowStatus ?? status,
    ...(disposition !== undefined ? { disposition } : {}),
    ...(options !== undefined ? { options } : {}),
  }));
}

/** Names that must never reach the host: NT name syntax and HostFS's own rules. */
const nameAttacks = attacks(STATUS_OBJECT_NAME_INVALID, [
  ['a parent escape', '..\\..\\etc\\passwd'],
  ['an escape after a directory', 'dir\\..\\..\\sentinel\\secret.txt'],
  ['a name going down then up', 'a\\..\\..\\x'],
  ['".." alone', '..'],
  ['"." alone', '.'],
  ['a "." component', 'dir\\.\\inner.txt'],
  ['the share followed by ..', '\\Device\\HostFs\\share\\..'],
  ['the share then .. then the sentinel', '\\Device\\HostFs\\share\\..\\sentinel\\secret.txt'],
  ['a share named ..', '\\Device\\HostFs\\..\\sentinel'],
  ['a share named .', '\\Device\\HostFs\\.\\share\\file.txt'],
  ['a share that does not exist', '\\Device\\HostFs\\sentinel\\secret.txt', STATUS_BAD_NETWORK_NAME],
  ['a share name with a colon', '\\Device\\HostFs\\C:\\Windows'],
  ['a share name with a slash', '\\Device\\HostFs\\share/..\\x'],
  ['an absolute host path', '/etc/passwd'],
  ['an absolute host path after the share', '\\Device\\HostFs\\share\\/etc/passwd'],
  ['a forward-slash escape', '..//..//etc'],
  ['a forward slash inside a name', 'dir/inner.txt'],
  ['a drive path as a component', 'C:\\Windows\\win.ini'],
  ['a UNC path inside the name', '\\??\\H:\\\\\\server\\share'],
  ['an empty component', 'dir\\\\inner.txt'],
  ['a NUL', 'file.txt\0.jpg'],
  ['a NUL before an escape', 'x\0\\..\\..\\etc'],
  ['an alternate data stream', 'file.txt:stream'],
  ['the default data stream syntax', 'file.txt::$DATA'],
  ['a stream on a directory', 'dir:$I30:$INDEX_ALLOCATION'],
  ['a star', '*'],
  ['a question mark', 'file.tx?'],
  ['a less-than', 'a<b'],
  ['a greater-than', 'a>b'],
  ['a pipe', 'a|b'],
  ['a double quote', 'a"b'],
  ['a tab', 'a\tb'],
  ['a newline', 'a\nb'],
  ['a control character', 'a\u0001b'],
  ['an escape character', '\u001b[31m'],
  ['unit separator', 'a\u001fb'],
  ['a name of 256 characters', 'n'.repeat(256)],
  ['a directory name of 256 characters', `${'d'.repeat(256)}\\x`],
  ['a name of 256 UTF-8 bytes', '\u00e9'.repeat(128)],
  ['an unpaired high surrogate', 'a\ud800'],
  ['an unpaired low surrogate', '\udc00b'],
  ['the device name CON', 'CON'],
  ['the device name con.txt', 'con.txt'],
  ['the device name NUL', 'NUL'],
  ['the device name AUX in a directory', 'dir\\aux'],
  ['the device name PRN', 'prn.log'],
  ['the device name COM1', 'COM1'],
  ['the device name LPT9 with an extension', 'LPT9.txt'],
  ['the device name COM\u00b9', 'COM\u00b9'],
  ['the device name CONIN$', 'CONIN$'],
  ['a device name with trailing spaces', 'CON  .txt'],
  ['a trailing dot', 'file.txt.'],
  ['a trailing space', 'file.txt '],
  ['dots and spaces posing as ..', '.. '],
  ['dot dot dot', '...'],
  ['a trailing dot on a directory', 'dir.\\inner.txt'],
]);

/** Symbolic links in the host tree that lead out of the share, loop, or dangle. */
const linkAttacks = attacks(STATUS_ACCESS_DENIED, [
  ['a link to /etc', 'etc_link', STATUS_ACCESS_DENIED, FILE_OPEN, D],
  ['a file below a link to /etc', 'etc_link\\passwd'],
  ['a link to /etc/passwd', 'passwd_link'],
  ['a link to ..', 'up_link\\passwd'],
  ['a link to the sentinel directory', 'sentinel_link\\secret.txt'],
  ['a directory open of an outside link', 'sentinel_link', STATUS_ACCESS_DENIED, FILE_OPEN, D],
  ['a link to a file outside', 'secret_link'],
  ['an absolute link to a file outside', 'abs_secret'],
  ['an absolute link to a directory outside', 'abs_sentinel\\secret.txt'],
  ['an absolute link whose path only starts like the share', 'abs_prefix_trick'],
  ['a link in a subdirectory climbing out', 'dir\\deep_escape\\secret.txt'],
  ['a link whose target goes down and out', 'chain'],
  ['a link to /', 'root_parent\\etc\\passwd'],
  ['a loop of two links', 'loop1', STATUS_REPARSE_POINT_NOT_RESOLVED],
  ['a link to itself', 'self_loop', STATUS_REPARSE_POINT_NOT_RESOLVED],
  ['a link to nothing', 'dangling', STATUS_OBJECT_NAME_NOT_FOUND],
  ['a link to a host file named like a DOS device', 'con_link', STATUS_OBJECT_NAME_INVALID],
  ['a link to a host name with a trailing dot', 'trail_link', STATUS_OBJECT_NAME_INVALID],
  ['creating through a link to nothing', 'dangling', STATUS_ACCESS_DENIED, FILE_OPEN_IF, 0],
  ['superseding through a link to nothing', 'dangling', STATUS_ACCESS_DENIED, FILE_SUPERSEDE, 0],
  ['creating through a link out of the share', 'dangling_out', STATUS_ACCESS_DENIED, FILE_OVERWRITE_IF, 0],
  ['creating in a linked directory outside', 'sentinel_link\\new.txt', STATUS_ACCESS_DENIED, FILE_CREATE, 0],
  [
    'a directory created in a linked directory outside',
    'abs_sentinel\\newdir',
    STATUS_ACCESS_DENIED,
    FILE_CREATE,
    D,
  ],
  [
    'deleting on close through an outside link',
    'secret_link',
    STATUS_ACCESS_DENIED,
    FILE_OPEN,
    FILE_DELETE_ON_CLOSE,
  ],
]);

function attempt(v: HostShareFixture, attack: Attack): number {
  const result = v.open(attack.name, {
    access: FILE_GENERIC_READ | DELETE,
    disposition: attack.disposition ?? FILE_OPEN,
    options: attack.options ?? 0,
  });
  if (result.handle !== null) v.close(result.handle);
  return result.status;
}

for (const containment of ['procfs', 'path'] as const) {
  const named = (sentence: string): string => `${sentence} (${containment})`;

  test(
    named(
      'every hostile name is refused with its status, for every disposition, and nothing outside changes',
    ),
    () => {
      withShare({ containment, populate }, (v) => {
        const before = fs.readdirSync(v.shareDir).sort();
        for (const attack of nameAttacks) {
          for (const disposition of [FILE_OPEN, FILE_OPEN_IF, FILE_CREATE, FILE_SUPERSEDE]) {
            for (const options of [0, FILE_DIRECTORY_FILE]) {
              if (options === FILE_DIRECTORY_FILE && disposition === FILE_SUPERSEDE) continue;
              const status = attempt(v, { ...attack, disposition, options });
              assert.equal(
                statusName(status),
                statusName(attack.status),
                `${attack.what}: ${JSON.stringify(attack.name)}`,
              );
            }
          }
        }
        assert.deepEqual(fs.readdirSync(v.shareDir).sort(), before, 'nothing was created in the share');
        v.assertOutsideUntouched();
      });
    },
  );

  test(
    named('every link out of the share, loop and dangling link is refused, and nothing outside changes'),
    () => {
      withShare({ containment, populate }, (v) => {
        for (const attack of linkAttacks)
          assert.equal(statusName(attempt(v, attack)), statusName(attack.status), attack.what);
        assert.equal(
          fs.existsSync(path.join(v.shareDir, 'nowhere')),
          false,
          'nothing created through a dangling link',
        );
        v.assertOutsideUntouched();
        assert.ok(fs.readFileSync('/etc/passwd').length > 0);
      });
    },
  );

  test(named('links that stay inside the share are followed'), () => {
    withShare({ containment, populate }, (v) => {
      assert.equal(v.readFile('inside_link\\inner.txt'), 'inner');
      assert.equal(v.readFile('INSIDE_LINK\\INNER.TXT'), 'inner', 'case-insensitive through links');
      assert.equal(v.readFile('inside_file_link'), 'inner');
      assert.equal(v.readFile('abs_inside'), 'inner');
      assert.equal(v.readFile('dotdot_inside'), 'inside');
      assert.equal(v.readFile('dir\\up_inside'), 'inside');
      assert.equal(v.readFile('root_self\\file.txt'), 'inside');
      v.writeFile('inside_link\\via_link.txt', 'made');
      assert.equal(fs.readFileSync(path.join(v.shareDir, 'dir', 'via_link.txt'), 'utf8'), 'made');
      v.assertOutsideUntouched();
    });
  });

  test(named('a link opened as itself can be deleted without touching its target'), () => {
    withShare({ containment, populate }, (v) => {
      for (const name of ['secret_link', 'sentinel_link', 'etc_link', 'loop1']) {
        const link = v.open(name, { access: DELETE | SYNCHRONIZE, options: FILE_OPEN_REPARSE_POINT });
        assert.equal(link.status, STATUS_SUCCESS, name);
        assert.equal(v.set(link.handle!, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
        v.close(link.handle!);
        assert.equal(
          fs.existsSync(path.join(v.shareDir, name)) || isLink(path.join(v.shareDir, name)),
          false,
          name,
        );
      }
      v.assertOutsideUntouched();
      assert.ok(fs.statSync('/etc').isDirectory());
    });
  });

  test(named('a link opened as itself gives no data and takes no writes'), () => {
    withShare({ containment, populate }, (v) => {
      const link = v.open('secret_link', { access: FILE_GENERIC_READ, options: FILE_OPEN_REPARSE_POINT });
      assert.equal(link.status, STATUS_SUCCESS);
      const r = v.read(link.handle!, 100, 0);
      assert.equal(r.data.length, 0);
      v.close(link.handle!);
      assert.equal(
        v.open('secret_link', { options: FILE_OPEN_REPARSE_POINT, disposition: FILE_OPEN }).status,
        STATUS_ACCESS_DENIED,
        'write access to a link is refused',
      );
      v.assertOutsideUntouched();
    });
  });

  test(named('renames cannot leave the share, nor reach through a link out of it'), () => {
    withShare({ containment, populate }, (v) => {
      const h = v.handle('file.txt', { access: DELETE | SYNCHRONIZE });
      const rename = (fileName: string, replaceIfExists = false): number =>
        v.set(h, FileRenameInformation, { replaceIfExists, rootDirectory: null, fileName });
      assert.equal(
        rename('..\\escaped.txt'),
        STATUS_OBJECT_PATH_SYNTAX_BAD,
        'not absolute: the I/O manager refuses',
      );
      assert.equal(rename('\\??\\H:\\..\\sentinel\\x'), STATUS_OBJECT_NAME_INVALID);
      assert.equal(rename('\\??\\H:\\sentinel_link\\stolen.txt'), STATUS_ACCESS_DENIED);
      assert.equal(rename('\\??\\H:\\abs_sentinel\\stolen.txt'), STATUS_ACCESS_DENIED);
      assert.equal(rename('\\??\\H:\\dir\\deep_escape\\x'), STATUS_ACCESS_DENIED);
      assert.equal(rename('a/b'), STATUS_OBJECT_NAME_INVALID);
      assert.equal(rename('CON'), STATUS_OBJECT_NAME_INVALID);
      assert.equal(rename('x:stream'), STATUS_OBJECT_NAME_INVALID);
      assert.equal(rename('\\Device\\HostFs\\other\\x'), STATUS_BAD_NETWORK_NAME);
      // A link in the target position is replaced, never followed.
      assert.equal(rename('passwd_link', true), STATUS_SUCCESS);
      v.close(h);
      assert.equal(fs.readFileSync(path.join(v.shareDir, 'passwd_link'), 'utf8'), 'inside');
      assert.equal(isLink(path.join(v.shareDir, 'passwd_link')), false);
      v.assertOutsideUntouched();
    });
  });

  test(named('a rename into another share is STATUS_NOT_SAME_DEVICE'), () => {
    withShare({ containment, populate }, (v) => {
      assert.equal(
        HostFsAddShare(v.system, { name: 'other', path: v.sentinelDir, readOnly: true }),
        STATUS_SUCCESS,
      );
      assert.equal(
        v.rename('file.txt', '\\Device\\HostFs\\other\\moved.txt'),
        STATUS_ACCESS_DENIED,
        'read-only target',
      );
      assert.equal(
        HostFsAddShare(v.system, { name: 'third', path: path.join(v.shareDir, 'dir') }),
        STATUS_SUCCESS,
      );
      assert.equal(v.rename('file.txt', '\\Device\\HostFs\\third\\moved.txt'), STATUS_NOT_SAME_DEVICE);
      assert.ok(fs.existsSync(path.join(v.shareDir, 'file.txt')));
      v.assertOutsideUntouched();
    });
  });

  test(named('relative opens cannot climb out of their directory'), () => {
    withShare({ containment, populate }, (v) => {
      const dir = v.handle('dir', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE });
      assert.equal(v.open('..\\file.txt', { root: dir }).status, STATUS_OBJECT_NAME_INVALID);
      assert.equal(v.open('..', { root: dir }).status, STATUS_OBJECT_NAME_INVALID);
      assert.equal(v.open('\\etc\\passwd', { root: dir }).status, STATUS_OBJECT_PATH_SYNTAX_BAD);
      assert.equal(v.open('deep_escape\\secret.txt', { root: dir }).status, STATUS_ACCESS_DENIED);
      assert.equal(v.open('inner.txt\\x', { root: dir }).status, STATUS_OBJECT_PATH_NOT_FOUND);
      v.close(dir);
      v.assertOutsideUntouched();
    });
  });

  test(named('HostFS makes no hard links'), () => {
    withShare({ containment, populate }, (v) => {
      const h = v.handle('file.txt', { access: DELETE | SYNCHRONIZE });
      const status = v.set(h, FileLinkInformation, {
        replaceIfExists: false,
        rootDirectory: null,
        fileName: 'hard',
      });
      assert.equal(status, STATUS_INVALID_DEVICE_REQUEST);
      v.close(h);
    });
  });

  test(named('entries HostFS cannot name are neither listed nor reachable'), () => {
    withShare({ containment, populate }, (v) => {
      for (const name of ['bad:colon', 'trailing.', 'con', 'back\\slash', 'star*', 'tab\there'])
        fs.writeFileSync(path.join(v.shareDir, name), 'hidden from Windows');
      fs.writeFileSync(Buffer.from([...Buffer.from(v.shareDir), 0x2f, 0x66, 0xff, 0xfe]), 'not UTF-8');
      const listed = v.list('');
      for (const name of ['bad:colon', 'trailing.', 'con', 'back\\slash', 'star*', 'tab\there'])
        assert.equal(listed.includes(name), false, name);
      assert.equal(
        listed.some((name) => name.startsWith('f') && name !== 'file.txt'),
        false,
      );
      assert.ok(listed.includes('file.txt'));
    });
  });
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

test('over-long total names are refused before they reach HostFS', () => {
  withShare({}, (v) => {
    const long = Array.from({ length: 2000 }, () => 'abcdefghijklmnop').join('\\');
    assert.equal(v.open(long).status, STATUS_OBJECT_NAME_INVALID);
    v.assertOutsideUntouched();
  });
});

test('a directory swapped for an outside link after its open does not redirect relative opens (procfs)', () => {
  withShare({ containment: 'procfs', populate }, (v) => {
    const dir = v.handle('dir', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE });
    fs.renameSync(path.join(v.shareDir, 'dir'), path.join(v.shareDir, 'dir_old'));
    fs.symlinkSync('../sentinel', path.join(v.shareDir, 'dir'));
    assert.equal(
      v.open('secret.txt', { root: dir, access: FILE_GENERIC_READ }).status,
      STATUS_OBJECT_NAME_NOT_FOUND,
    );
    const inner = v.open('inner.txt', { root: dir, access: FILE_GENERIC_READ });
    assert.equal(inner.status, STATUS_SUCCESS, 'the directory opened is still the one served');
    v.close(inner.handle!);
    assert.equal(v.open('planted.txt', { root: dir, disposition: FILE_CREATE }).status, STATUS_SUCCESS);
    v.close(dir);
    assert.ok(
      fs.existsSync(path.join(v.shareDir, 'dir_old', 'planted.txt')),
      'created in the directory that was opened',
    );
    assert.equal(v.open('dir\\secret.txt').status, STATUS_ACCESS_DENIED, 'the new link is judged by name');
    v.assertOutsideUntouched();
  });
});

for (const containment of ['procfs', 'path'] as const) {
  test(`a file swapped for an outside link after its open keeps serving the file opened (${containment})`, () => {
    withShare({ containment, populate }, (v) => {
      const h = v.handle('file.txt', { access: FILE_GENERIC_READ | DELETE });
      fs.renameSync(path.join(v.shareDir, 'file.txt'), path.join(v.shareDir, 'file.old'));
      fs.symlinkSync('../sentinel/secret.txt', path.join(v.shareDir, 'file.txt'));
      assert.equal(Buffer.from(v.read(h, 100, 0).data).toString(), 'inside');
      assert.equal(v.set(h, FileDispositionInformation, { deleteFile: true }), STATUS_SUCCESS);
      v.close(h);
      assert.ok(
        isLink(path.join(v.shareDir, 'file.txt')),
        'the planted link is not the file opened: it stays',
      );
      assert.equal(v.readFile('file.txt'), STATUS_ACCESS_DENIED);
      v.assertOutsideUntouched();
    });
  });
}

test('a directory the host moves out of the share no longer serves relative opens or listings (procfs)', () => {
  withShare({ containment: 'procfs', populate }, (v) => {
    const dir = v.handle('dir', { access: FILE_GENERIC_READ, options: FILE_DIRECTORY_FILE });
    fs.renameSync(path.join(v.shareDir, 'dir'), path.join(v.base, 'moved-out'));
    assert.equal(v.open('inner.txt', { root: dir, access: FILE_GENERIC_READ }).status, STATUS_ACCESS_DENIED);
    assert.equal(v.open('planted', { root: dir, disposition: FILE_CREATE }).status, STATUS_ACCESS_DENIED);
    assert.equal(v.queryDirectory(dir).status, STATUS_ACCESS_DENIED);
    fs.renameSync(path.join(v.base, 'moved-out'), path.join(v.shareDir, 'renamed-inside'));
    const inner = v.open('inner.txt', { root: dir, access: FILE_GENERIC_READ });
    assert.equal(inner.status, STATUS_SUCCESS, 'back inside the share, under another name: served again');
    v.close(inner.handle!);
    v.close(dir);
    assert.deepEqual(fs.readdirSync(path.join(v.shareDir, 'renamed-inside')).sort(), [
      'deep_escape',
      'inner.txt',
      'up_inside',
    ]);
    v.assertOutsideUntouched();
  });
});
