/**
 * Configuration validation: every problem is reported, each naming its field and why, and a valid
 * file comes back normalized (letters upper case, sizes in bytes, paths absolute).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  builtInCatalogue,
  type ConfigIssue,
  defaultConfig,
  jsonErrorOffset,
  loadConfigFile,
  parseSize,
  validateConfig,
} from '../../../src/host/daemon/index.ts';

const catalogue = builtInCatalogue();
const capabilities = { imageDisks: false, shares: false, verifier: false };
const dir = mkdtempSync(join(tmpdir(), 'strata-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function issues(raw: unknown): ConfigIssue[] {
  const result = validateConfig(raw, { catalogue, capabilities, baseDir: dir, source: null });
  assert.equal(result.ok, false, 'expected the configuration to be refused');
  return result.ok ? [] : result.issues;
}

function messages(raw: unknown): string[] {
  return issues(raw).map((i) => `${i.field}: ${i.message}`);
}

test('a valid configuration is normalized: letters upper case, sizes in bytes, defaults filled', () => {
  const result = validateConfig(
    {
      drivers: ['memfs', 'SFilter'],
      ramDisks: [
        { letter: 'm:', size: '16MiB', label: 'DATA' },
        { letter: 'N:', size: 1048576, format: 'none' },
      ],
      filters: [{ driver: 'spy', attach: 'on-demand', volumes: ['m:'] }],
      socket: 'run/strata.sock',
    },
    { catalogue, capabilities, baseDir: dir, source: 'x.json' },
  );
  assert.ok(result.ok);
  const config = result.config;
  assert.deepEqual(config.drivers, ['MemFs', 'SFilter']);
  assert.deepEqual(config.ramDisks, [
    {
      letter: 'M:',
      sizeBytes: 16 * 1024 * 1024,
      format: 'memfs',
      label: 'DATA',
      readOnly: false,
      sectorSize: 512,
    },
    { letter: 'N:', sizeBytes: 1048576, format: 'none', label: '', readOnly: false, sectorSize: 512 },
  ]);
  assert.deepEqual(config.filters, [{ driver: 'Spy', attach: 'on-demand', volumes: ['M:'], key: null }]);
  assert.equal(config.socket, join(dir, 'run', 'strata.sock'));
  assert.equal(config.verifier, false);
  assert.equal(config.source, 'x.json');
});

test('the built-in default mounts MemFS as M:, has the recognizer, SFilter by notification and Spy on demand', () => {
  const config = defaultConfig(catalogue);
  assert.deepEqual(config.drivers, ['MemFs', 'Fs_Rec']);
  assert.deepEqual(
    config.ramDisks.map((d) => [d.letter, d.format, d.sizeBytes]),
    [['M:', 'memfs', 64 * 1024 * 1024]],
  );
  assert.deepEqual(config.filters, [
    { driver: 'SFilter', attach: 'notification', volumes: [], key: null },
    { driver: 'Spy', attach: 'on-demand', volumes: [], key: null },
  ]);
  assert.equal(config.socket, null);
});

test('unknown fields are refused with a suggestion for near misses', () => {
  assert.deepEqual(messages({ ramdisks: [] }), [
    'ramdisks: unknown field (did you mean "ramDisks"?); known fields are socket, verifier, drivers, ramDisks, images, shares, filters.',
  ]);
  assert.match(
    messages({ ramDisks: [{ letter: 'M:', size: '1MiB', lable: 'X' }] })[0]!,
    /^ramDisks\[0\]\.lable: unknown field \(did you mean "label"\?\)/,
  );
});

test('wrong types name the field, what it must be and what it was', () => {
  assert.deepEqual(messages('nope'), [': must be an object, got "nope".']);
  assert.deepEqual(messages({ verifier: 'yes' }), ['verifier: must be true or false, got "yes".']);
  assert.deepEqual(messages({ drivers: 'MemFs' }), ['drivers: must be an array, got "MemFs".']);
  assert.deepEqual(messages({ drivers: [42] }), ['drivers[0]: must be a non-empty string, got 42.']);
  assert.deepEqual(messages({ socket: 5 }), ['socket: must be a non-empty string, got 5.']);
});

test('unknown drivers are named, with what this build has', () => {
  const [message] = messages({ drivers: ['MemFss'] });
  assert.match(
    message!,
    /^drivers\[0\]: unknown driver "MemFss" \(did you mean "MemFs"\?\); this build has RamDisk, ImageDisk, PartMgr, MemFs, Fat, Cdfs, Fs_Rec, HostFs,/,
  );
  assert.deepEqual(messages({ drivers: ['MemFs', 'memfs'] }), ['drivers[1]: MemFs is listed twice.']);
});

test('RAM disk sizes, letters, formats and labels are checked, every problem at once', () => {
  assert.deepEqual(
    messages({
      drivers: ['MemFs'],
      ramDisks: [
        { letter: 'MM', size: 'lots' },
        { letter: 'N:', size: '3GiB' },
        { letter: 'O:', size: 1000 },
        { letter: 'P:', size: '1MiB', format: 'ntfs', label: 'x'.repeat(33), sectorSize: 1000 },
        { letter: 'n:', size: '1MiB' },
      ],
    }),
    [
      'ramDisks[0].letter: must be a drive letter like "M:", got "MM".',
      'ramDisks[0].size: must be a size like "64MiB" or a number of bytes, got "lots".',
      'ramDisks[1].size: 3GiB is more than a RAM disk may hold (2GiB); use an image file.',
      'ramDisks[2].size: must be a multiple of the sector size (512 bytes).',
      'ramDisks[3].format: must be one of memfs, fat, fat12, fat16, fat32, none, got "ntfs".',
      'ramDisks[3].sectorSize: must be a power of two from 128 to 65536, got 1000.',
      `ramDisks[3].label: must be a string of at most 32 printable characters, got "${'x'.repeat(33)}".`,
      'ramDisks[4].letter: N: is already used by ramDisks[1].letter.',
    ],
  );
  assert.deepEqual(messages({ drivers: ['MemFs'], ramDisks: [{ letter: 'M:' }] }), [
    'ramDisks[0].size: is required (for example "64MiB").',
  ]);
});

test('a MemFS RAM disk without the MemFs driver is refused, naming the fix', () => {
  assert.deepEqual(messages({ ramDisks: [{ letter: 'M:', size: '1MiB' }] }), [
    'ramDisks[0].format: memfs volumes need the MemFs driver; add "MemFs" to drivers.',
  ]);
});

test('filters must be filters, attach in a way they support, and name configured volumes', () => {
  assert.deepEqual(
    messages({
      drivers: ['MemFs'],
      ramDisks: [{ letter: 'M:', size: '1MiB' }],
      filters: [
        { driver: 'MemFs', attach: 'notification' },
        { driver: 'SFilter', attach: 'on-demand' },
        { driver: 'Spy', attach: 'sometimes' },
        { driver: 'CommandAttach', attach: 'on-demand', volumes: ['Q:', 'bad'] },
        { driver: 'NotifyAttach', attach: 'notification', volumes: ['M:'] },
        { driver: 'Nope', attach: 'on-demand' },
        { attach: 'on-demand' },
      ],
    }),
    [
      'filters[0].driver: MemFs is not a filter driver.',
      'filters[1].attach: SFilter cannot attach by on-demand; it attaches by notification.',
      'filters[2].attach: must be one of notification, on-demand, got "sometimes".',
      'filters[3].volumes[0]: Q: is not a volume of this configuration.',
      'filters[3].volumes[1]: must be a drive letter like "M:", got "bad".',
      'filters[4].volumes: only on-demand filters take a volume list; notification filters attach to every volume.',
      'filters[5].driver: unknown filter "Nope"; this build has SFilter, Spy, ReadOnly, Crypt, NotifyAttach, CommandAttach.',
      'filters[6].driver: is required.',
    ],
  );
});

test('FAT RAM disks need the Fat driver, a size mkfs.fat would accept and an 11-character label', () => {
  assert.deepEqual(
    messages({
      drivers: ['Fat'],
      ramDisks: [
        { letter: 'F:', size: '16KiB', format: 'fat32' },
        { letter: 'G:', size: '1MiB', format: 'fat', label: 'TWELVE CHARS' },
      ],
    }),
    [
      'ramDisks[0].size: 16KiB cannot hold FAT32 with 512-byte sectors (mkfs.fat would refuse it too).',
      'ramDisks[1].label: must be a string of at most 11 printable characters, got "TWELVE CHARS".',
    ],
  );
  assert.deepEqual(messages({ ramDisks: [{ letter: 'F:', size: '1MiB', format: 'fat12' }] }), [
    'ramDisks[0].format: fat12 volumes need the Fat driver (or Fs_Rec to load it); add "Fat" to drivers.',
  ]);
  const ok = validateConfig(
    { drivers: ['Fs_Rec'], ramDisks: [{ letter: 'F:', size: '1MiB', format: 'fat12' }] },
    { catalogue, capabilities, baseDir: dir, source: null },
  );
  assert.ok(ok.ok, 'the recognizer is enough: it loads Fat when the volume mounts');
});

test("Crypt's key is required for the volumes it attaches to at boot, and only Crypt takes one", () => {
  const base = { drivers: ['MemFs'], ramDisks: [{ letter: 'M:', size: '1MiB' }] };
  assert.deepEqual(
    messages({ ...base, filters: [{ driver: 'Crypt', attach: 'on-demand', volumes: ['M:'] }] }),
    ['filters[0].key: is required: Crypt needs a key to attach to M:.'],
  );
  assert.deepEqual(
    messages({ ...base, filters: [{ driver: 'Crypt', attach: 'on-demand', volumes: ['M:'], key: 'abc' }] }),
    ['filters[0].key: must be 64 hexadecimal digits (a 256-bit key).'],
  );
  assert.deepEqual(
    messages({ ...base, filters: [{ driver: 'Spy', attach: 'on-demand', key: 'ab'.repeat(32) }] }),
    ['filters[0].key: Spy takes no key.'],
  );
});

test('the verifier switch is refused only by a build without the verifier', () => {
  assert.deepEqual(messages({ verifier: true }), ['verifier: the driver verifier is not in this build yet.']);
  const result = validateConfig(
    { verifier: true },
    { catalogue, capabilities: { ...capabilities, verifier: true }, baseDir: dir, source: null },
  );
  assert.ok(result.ok && result.config.verifier);
});

test('images and shares name missing host paths, and take letters like everything else', () => {
  const all = { imageDisks: true, shares: true, verifier: false };
  writeFileSync(join(dir, 'disk.img'), Buffer.alloc(512));
  const result = validateConfig(
    {
      drivers: ['MemFs'],
      ramDisks: [{ letter: 'M:', size: '1MiB' }],
      images: [{ path: 'missing.img' }, { path: 'disk.img', letter: 'm:' }, { path: dir }],
      shares: [
        { name: 'src', path: 'disk.img', letter: 'S:' },
        { name: 'bad name', path: dir },
      ],
    },
    { catalogue, capabilities: all, baseDir: dir, source: null },
  );
  assert.ok(!result.ok);
  assert.deepEqual(
    result.issues.map((i) => `${i.field}: ${i.message}`),
    [
      `images[0].path: ${join(dir, 'missing.img')} does not exist.`,
      'images[1].letter: M: is already used by ramDisks[0].letter.',
      `images[2].path: ${dir} is a directory, not an image file.`,
      `shares[0].path: ${join(dir, 'disk.img')} is not a directory.`,
      'shares[1].name: must be 1 to 80 letters, digits, "_", "-", "." or "$", got "bad name".',
    ],
  );
});

test('images and shares are refused clearly while their drivers are missing from the build', () => {
  assert.deepEqual(messages({ images: [{ path: 'disk.img' }] }), [
    'images: image files are not supported by this build yet (the image disk driver is missing).',
  ]);
  assert.deepEqual(messages({ shares: [{ name: 'src', path: '.' }] }), [
    'shares: host directory shares are not supported by this build yet (the HostFs driver is missing).',
  ]);
});

test('a socket path too long for a Unix socket is refused before anything starts', () => {
  assert.deepEqual(messages({ socket: `/${'s'.repeat(120)}` }), [
    'socket: the path is 121 bytes long; Unix domain sockets allow at most 107.',
  ]);
});

test('sizes parse with binary units and refuse anything else', () => {
  assert.equal(parseSize('64MiB'), 64 * 1024 * 1024);
  assert.equal(parseSize('512k'), 512 * 1024);
  assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSize(4096), 4096);
  assert.equal(parseSize('0'), null);
  assert.equal(parseSize(-1), null);
  assert.equal(parseSize(1.5), null);
  assert.equal(parseSize('64 MB please'), null);
});

test('a file that is not JSON is reported with the line and column of the mistake', () => {
  const path = join(dir, 'broken.json');
  writeFileSync(path, '{\n  "drivers": ["MemFs",]\n}\n');
  assert.throws(() => loadConfigFile(path, catalogue, capabilities), {
    name: 'ConfigError',
    message: new RegExp(
      `^The configuration file ${path.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} is not valid JSON at line 2, column 23: unexpected "]"\\.$`,
    ),
  });
});

test('the JSON error offset points at the first character that is not JSON', () => {
  const cases: Array<[string, number]> = [
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": tru}', 9],
    ['{"a": "x\u0001"}', 8],
    ['{"a": 01}', 7],
    ['{} x', 3],
    ['{"a": [1, {"b": null}], "c": -1.5e3}', 36],
  ];
  for (const [text, offset] of cases) assert.equal(jsonErrorOffset(text), offset, text);
});

test('a missing file and an invalid file are reported with the file name and every problem', () => {
  assert.throws(() => loadConfigFile(join(dir, 'missing.json'), catalogue, capabilities), {
    name: 'ConfigError',
    message: /missing\.json cannot be read: it does not exist\./,
  });
  const path = join(dir, 'bad.json');
  writeFileSync(path, JSON.stringify({ verifier: 1, ramDisks: [{ letter: 'M:', size: 'x' }] }));
  assert.throws(
    () => loadConfigFile(path, catalogue, capabilities),
    (error: Error) => {
      assert.equal(error.name, 'ConfigError');
      assert.equal(
        error.message,
        [
          `The configuration in ${path} is invalid:`,
          '  verifier: must be true or false, got 1.',
          '  ramDisks[0].size: must be a size like "64MiB" or a number of bytes, got "x".',
          '  ramDisks[0].format: memfs volumes need the MemFs driver; add "MemFs" to drivers.',
        ].join('\n'),
      );
      return true;
    },
  );
});
