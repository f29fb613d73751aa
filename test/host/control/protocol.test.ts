/**
 * The control protocol's pure parts: line framing under arbitrary chunking and oversized lines,
 * request envelopes, and Strata paths as people type them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isStrataPath,
  joinStrataPath,
  LineDecoder,
  parentPath,
  parseRequest,
  parseStrataPath,
  parseVolumeName,
} from '../../../src/host/control/index.ts';

function decodeAll(decoder: LineDecoder, chunks: Buffer[]): Array<string | 'TOO LARGE'> {
  return chunks.flatMap((c) => decoder.push(c)).map((d) => ('line' in d ? d.line : 'TOO LARGE'));
}

test('lines are reassembled however the bytes are split, multi-byte characters included', () => {
  const text = Buffer.from('{"a":"é€😀"}\n{"b":2}\n\n{"c":3}\n');
  for (let size = 1; size <= text.length; size++) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < text.length; i += size) chunks.push(text.subarray(i, i + size));
    assert.deepEqual(
      decodeAll(new LineDecoder(1024), chunks),
      ['{"a":"é€😀"}', '{"b":2}', '', '{"c":3}'],
      `chunks of ${size}`,
    );
  }
});

test('a line longer than the limit is reported once and skipped up to its newline', () => {
  const decoder = new LineDecoder(16);
  const lines = decodeAll(decoder, [
    Buffer.from('short\n0123456789'),
    Buffer.from('0123456789'),
    Buffer.from('0123456789\nnext\n'),
    Buffer.from('exactly-15-char\n0123456789012345\n'),
  ]);
  assert.deepEqual(lines, ['short', 'TOO LARGE', 'next', 'exactly-15-char', 'TOO LARGE']);
  assert.equal(decoder.buffered, 0);
});

test('an incomplete line is held, copied, until its newline arrives', () => {
  const decoder = new LineDecoder(64);
  const chunk = Buffer.from('{"id":');
  assert.deepEqual(decoder.push(chunk), []);
  chunk.fill(0x20); // the stream may reuse its buffer
  assert.equal(decoder.buffered, 6);
  assert.deepEqual(decodeAll(decoder, [Buffer.from('1}\n')]), ['{"id":1}']);
});

test('requests need an object with an integer or short string id and a method', () => {
  assert.deepEqual(parseRequest('{"id":1,"method":"stat","params":{"path":"M:\\\\"}}'), {
    request: { id: 1, method: 'stat', params: { path: 'M:\\' } },
  });
  assert.deepEqual(parseRequest('{"id":"x","method":"hello"}'), {
    request: { id: 'x', method: 'hello', params: {} },
  });
  const code = (line: string): [unknown, string] => {
    const parsed = parseRequest(line);
    assert.ok('error' in parsed, line);
    return [parsed.error.id, parsed.error.error.code];
  };
  assert.deepEqual(code('{'), [null, 'BAD_JSON']);
  assert.deepEqual(code('"text"'), [null, 'BAD_REQUEST']);
  assert.deepEqual(code('{"id":true,"method":"x"}'), [null, 'BAD_REQUEST']);
  assert.deepEqual(code('{"id":"","method":"x"}'), [null, 'BAD_REQUEST']);
  assert.deepEqual(code('{"id":9007199254740993,"method":"x"}'), [null, 'BAD_REQUEST']);
  assert.deepEqual(code('{"id":3,"method":""}'), [3, 'BAD_REQUEST']);
  assert.deepEqual(code('{"id":3,"method":"x","params":"p"}'), [3, 'BAD_REQUEST']);
});

test('drive-letter paths are normalized as the Win32 layer does', () => {
  assert.deepEqual(parseStrataPath('m:/dir//sub/./x/../file.txt'), {
    letter: 'M:',
    ntPath: '\\??\\M:\\dir\\sub\\file.txt',
    display: 'M:\\dir\\sub\\file.txt',
    inVolume: '\\dir\\sub\\file.txt',
  });
  assert.equal(parseStrataPath('M:')!.ntPath, '\\??\\M:\\');
  assert.equal(parseStrataPath('M:\\..\\..')!.ntPath, '\\??\\M:\\');
  assert.equal(parseStrataPath('\\Device\\RamDisk0\\a')!.ntPath, '\\Device\\RamDisk0\\a');
  assert.equal(parseStrataPath('relative/path'), null);
  assert.equal(parseStrataPath('MM:\\x'), null);
  assert.equal(parseStrataPath('M:file'), null, 'drive-relative paths are not supported');
});

test('Strata paths are told from host paths by their drive letter or leading backslash', () => {
  assert.ok(isStrataPath('M:\\a'));
  assert.ok(isStrataPath('m:/a'));
  assert.ok(isStrataPath('Z:'));
  assert.ok(isStrataPath('\\Device\\X'));
  assert.ok(!isStrataPath('./M:/a'));
  assert.ok(!isStrataPath('/tmp/file'));
  assert.ok(!isStrataPath('file.txt'));
  assert.ok(!isStrataPath('-'));
});

test('joining and taking the parent keep the volume', () => {
  const root = parseStrataPath('M:\\')!;
  const file = joinStrataPath(joinStrataPath(root, 'dir'), 'f.txt');
  assert.equal(file.display, 'M:\\dir\\f.txt');
  assert.equal(file.ntPath, '\\??\\M:\\dir\\f.txt');
  assert.equal(parentPath(file).display, 'M:\\dir');
  assert.equal(parentPath(parentPath(file)).ntPath, '\\??\\M:\\');
});

test('volume names are drive letters or device names', () => {
  assert.deepEqual(parseVolumeName('m:'), { ntName: '\\??\\M:', display: 'M:' });
  assert.deepEqual(parseVolumeName('M:\\'), { ntName: '\\??\\M:', display: 'M:' });
  assert.deepEqual(parseVolumeName('\\Device\\RamDisk0'), {
    ntName: '\\Device\\RamDisk0',
    display: '\\Device\\RamDisk0',
  });
  assert.equal(parseVolumeName('M:\\dir'), null);
  assert.equal(parseVolumeName('nowhere'), null);
});
