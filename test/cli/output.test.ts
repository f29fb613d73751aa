/**
 * The command line's output helpers: colour only on a terminal and never with NO_COLOR, aligned
 * columns that ignore colour codes, sizes and counts, and a progress bar that only a terminal sees.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatCount, styleFor, table } from '../../src/cli/output.ts';
import { startProgress } from '../../src/cli/progress.ts';

const ESC = '\x1b';

test('colour is used only on a terminal, and NO_COLOR (any non-empty value) turns it off', () => {
  assert.equal(styleFor({ isTTY: true }, {}).red('x'), '\x1b[31mx\x1b[39m');
  assert.equal(styleFor({ isTTY: false }, {}).red('x'), 'x');
  assert.equal(styleFor({}, {}).bold('x'), 'x');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x'), 'x');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '' }).red('x'), '\x1b[31mx\x1b[39m');
});

test('tables align columns by visible width, right-aligning where asked', () => {
  const style = styleFor({ isTTY: true }, {});
  const lines = table(
    [{ header: 'NAME' }, { header: 'SIZE', align: 'right' }, { header: 'NOTE' }],
    [
      [style.red('a'), '1', 'first'],
      ['longer', '1000', ''],
    ],
    styleFor({}, {}),
  );
  assert.deepEqual(
    lines.map((l) => l.replaceAll(`${ESC}[31m`, '').replaceAll(`${ESC}[39m`, '')),
    ['NAME    SIZE  NOTE', 'a          1  first', 'longer  1000'],
  );
});

test('sizes and counts read as people write them', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(64 * 1024 * 1024), '64.0 MiB');
  assert.equal(formatBytes(300 * 1024 ** 3), '300 GiB');
  // A size just under a unit rounds up into it, never to "1024" of the unit below.
  assert.equal(formatBytes(1024 ** 3 - 4096), '1.0 GiB');
  assert.equal(formatBytes(1023.9 * 1024 ** 2), '1.0 GiB');
  assert.equal(formatBytes(1024 ** 2 - 1), '1.0 MiB');
  assert.equal(formatBytes(1023 * 1024 ** 2), '1023 MiB');
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(1000), '1,000');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(-45000), '-45,000');
});

test('the progress bar draws only on a terminal and erases itself when done', () => {
  const written: string[] = [];
  const sink = (isTTY: boolean) => ({ isTTY, columns: 100, write: (s: string) => written.push(s) });
  let now = 0;
  const silent = startProgress(sink(false) as never, 'put M:\\x', 100, () => now);
  silent.advance(50);
  silent.done();
  assert.equal(written.length, 0);
  const bar = startProgress(sink(true) as never, 'put M:\\x', 4 * 1024 * 1024, () => now);
  now = 1000;
  bar.advance(2 * 1024 * 1024);
  now = 1050; // within 100 ms: no redraw
  bar.advance(1024);
  bar.done();
  assert.equal(written.length, 2);
  assert.ok(written[0]!.endsWith(`${ESC}[K`), 'the rest of the line is cleared');
  assert.match(
    written[0]!.slice(0, -3),
    /^\rput M:\\x \[=+>? *\] {2}50% {2}2\.0 MiB \/ 4\.0 MiB {2}2\.0 MiB\/s$/,
  );
  assert.equal(written[1], '\r\x1b[K');
  written.length = 0;
  const unknown = startProgress(sink(true) as never, 'put M:\\x', 0, () => now);
  now = 3000;
  unknown.advance(3 * 1024 * 1024);
  assert.equal(written.length, 1);
  assert.match(written[0]!.slice(0, -3), /^\rput M:\\x {2}3\.0 MiB {2}1\.5 MiB\/s$/);
});
