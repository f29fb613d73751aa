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
  const links: Array<[string, string]> = [
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

/** Names that must never reach the host: NT name syntax and HostFS's own rules. */
const nameAttacks: Attack[] = [
  { what: 'a parent escape', name: '..\\..\\etc\\passwd', status: STATUS_OBJECT_NAME_INVALID },
  {
    what: 'an escape after a directory',
    name: 'dir\\..\\..\\sentinel\\secret.txt',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  { what: 'a name going down then up', name: 'a\\..\\..\\x', status: STATUS_OBJECT_NAME_INVALID },
  { what: '".." alone', name: '..', status: STATUS_OBJECT_NAME_INVALID },
  { what: '"." alone', name: '.', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a "." component', name: 'dir\\.\\inner.txt', status: STATUS_OBJECT_NAME_INVALID },
  {
    what: 'the share followed by ..',
    name: '\\Device\\HostFs\\share\\..',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  {
    what: 'the share then .. then the sentinel',
    name: '\\Device\\HostFs\\share\\..\\sentinel\\secret.txt',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  { what: 'a share named ..', name: '\\Device\\HostFs\\..\\sentinel', status: STATUS_OBJECT_NAME_INVALID },
  {
    what: 'a share named .',
    name: '\\Device\\HostFs\\.\\share\\file.txt',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  {
    what: 'a share that does not exist',
    name: '\\Device\\HostFs\\sentinel\\secret.txt',
    status: STATUS_BAD_NETWORK_NAME,
  },
  {
    what: 'a share name with a colon',
    name: '\\Device\\HostFs\\C:\\Windows',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  {
    what: 'a share name with a slash',
    name: '\\Device\\HostFs\\share/..\\x',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  { what: 'an absolute host path', name: '/etc/passwd', status: STATUS_OBJECT_NAME_INVALID },
  {
    what: 'an absolute host path after the share',
    name: '\\Device\\HostFs\\share\\/etc/passwd',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  { what: 'a forward-slash escape', name: '..//..//etc', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a forward slash inside a name', name: 'dir/inner.txt', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a drive path as a component', name: 'C:\\Windows\\win.ini', status: STATUS_OBJECT_NAME_INVALID },
  {
    what: 'a UNC path inside the name',
    name: '\\??\\H:\\\\\\server\\share',
    status: STATUS_OBJECT_NAME_INVALID,
  },
  { what: 'an empty component', name: 'dir\\\\inner.txt', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a NUL', name: 'file.txt\0.jpg', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a NUL before an escape', name: 'x\0\\..\\..\\etc', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'an alternate data stream', name: 'file.txt:stream', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the default data stream syntax', name: 'file.txt::$DATA', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a stream on a directory', name: 'dir:$I30:$INDEX_ALLOCATION', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a star', name: '*', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a question mark', name: 'file.tx?', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a less-than', name: 'a<b', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a greater-than', name: 'a>b', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a pipe', name: 'a|b', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a double quote', name: 'a"b', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a tab', name: 'a\tb', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a newline', name: 'a\nb', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a control character', name: 'a\u0001b', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'an escape character', name: '\u001b[31m', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'unit separator', name: 'a\u001fb', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a name of 256 characters', name: 'n'.repeat(256), status: STATUS_OBJECT_NAME_INVALID },
  {
    what: 'a directory name of 256 characters',
    name: `${'d'.repeat(256)}\\x`,
    status: STATUS_OBJECT_NAME_INVALID,
  },
  { what: 'a name of 256 UTF-8 bytes', name: '\u00e9'.repeat(128), status: STATUS_OBJECT_NAME_INVALID },
  { what: 'an unpaired high surrogate', name: 'a\ud800', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'an unpaired low surrogate', name: '\udc00b', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name CON', name: 'CON', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name con.txt', name: 'con.txt', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name NUL', name: 'NUL', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name AUX in a directory', name: 'dir\\aux', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name PRN', name: 'prn.log', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name COM1', name: 'COM1', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name LPT9 with an extension', name: 'LPT9.txt', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name COM\u00b9', name: 'COM\u00b9', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'the device name CONIN$', name: 'CONIN$', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a device name with trailing spaces', name: 'CON  .txt', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a trailing dot', name: 'file.txt.', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a trailing space', name: 'file.txt ', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'dots and spaces posing as ..', name: '.. ', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'dot dot dot', name: '...', status: STATUS_OBJECT_NAME_INVALID },
  { what: 'a trailing dot on a directory', name: 'dir.\\inner.txt', status: STATUS_OBJECT_NAME_INVALID },
];

/** Symbolic links in the host tree that lead out of the share, loop, or dangle. */
const linkAttacks: Attack[] = [
  { what: 'a link to /etc', name: 'etc_link', status: STATUS_ACCESS_DENIED, options: D },
  { what: 'a file below a link to /etc', name: 'etc_link\\passwd', status: STATUS_ACCESS_DENIED },
  { what: 'a link to /etc/passwd', name: 'passwd_link', status: STATUS_ACCESS_DENIED },
  { what: 'a link to ..', name: 'up_link\\passwd', status: STATUS_ACCESS_DENIED },
  {
    what: 'a link to the sentinel directory',
    name: 'sentinel_link\\secret.txt',
    status: STATUS_ACCESS_DENIED,
  },
  {
    what: 'a directory open of an outside link',
    name: 'sentinel_link',
    status: STATUS_ACCESS_DENIED,
    options: D,
  },
  { what: 'a link to a file outside', name: 'secret_link', status: STATUS_ACCESS_DENIED },
  { what: 'an absolute link to a file outside', name: 'abs_secret', status: STATUS_ACCESS_DENIED },
  {
    what: 'an absolute link to a directory outside',
    name: 'abs_sentinel\\secret.txt',
    status: STATUS_ACCESS_DENIED,
  },
  {
    what: 'an absolute link whose path only starts like the share',
    name: 'abs_prefix_trick',
    status: STATUS_ACCESS_DENIED,
  },
  {
    what: 'a link in a subdirectory climbing out',
    name: 'dir\\deep_escape\\secret.txt',
    status: STATUS_ACCESS_DENIED,
  },
  { what: 'a link whose target goes down and out', name: 'chain', status: STATUS_ACCESS_DENIED },
  { what: 'a link to /', name: 'root_parent\\etc\\passwd', status: STATUS_ACCESS_DENIED },
  { what: 'a loop of two links', name: 'loop1', status: STATUS_REPARSE_POINT_NOT_RESOLVED },
  { what: 'a link to itself', name: 'self_loop', status: STATUS_REPARSE_POINT_NOT_RESOLVED },
  { what: 'a link to nothing', name: 'dangling', status: STATUS_OBJECT_NAME_NOT_FOUND },
  {
    what: 'creating through a link to nothing',
    name: 'dangling',
    status: STATUS_ACCESS_DENIED,
    disposition: FILE_OPEN_IF,
  },
  {
    what: 'superseding through a link to nothing',
    name: 'dangling',
    status: STATUS_ACCESS_DENIED,
    disposition: FILE_SUPERSEDE,
  },
  {
    what: 'creating through a link out of the share',
    name: 'dangling_out',
    status: STATUS_ACCESS_DENIED,
    disposition: FILE_OVERWRITE_IF,
  },
  {
    what: 'creating in a linked directory outside',
    name: 'sentinel_link\\new.txt',
    status: STATUS_ACCESS_DENIED,
    disposition: FILE_CREATE,
  },
  {
    what: 'a directory created in a linked directory outside',
    name: 'abs_sentinel\\newdir',
    status: STATUS_ACCESS_DENIED,
    disposition: FILE_CREATE,
    options: D,
  },
  {
    what: 'deleting on close through an outside link',
    name: 'secret_link',
    status: STATUS_ACCESS_DENIED,
    options: FILE_DELETE_ON_CLOSE,
  },
];

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
