import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FsRtlDoesNameContainWildCards,
  FsRtlIsNameInExpression,
} from '../../../src/io/fsrtl/is-name-in-expression.ts';

const cases: Array<[expression: string, name: string, expected: boolean]> = [
  ['*', 'anything.txt', true],
  ['*', '', true],
  ['*.txt', 'notes.txt', true],
  ['*.txt', 'notes.TXT', true],
  ['*.txt', 'notes.txt.bak', false],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['a?c', 'abbc', false],
  ['file-1*', 'file-10.txt', true],
  ['exact.name', 'EXACT.NAME', true],
  ['exact.name', 'exact.names', false],
  ['*a*b*c*', 'xxaxxbxxcxx', true],
  ['*a*b*c*', 'xxaxxcxxbxx', false],
  // DOS wildcards, as the Win32 layer turns "*.*", "?" and "." into them.
  ['<"*', 'readme', true], // "*.*" matches names without a dot
  ['<"*', 'readme.txt', true],
  ['<.TXT', 'a.b.txt', true],
  ['<', 'no-dot', true],
  ['>>>', 'ab', true], // "???" matches shorter names
  ['>>>', 'abcd', false],
  ['>>>.txt', 'ab.txt', true],
  ['FOO"', 'FOO', true], // "FOO." matches FOO
  ['FOO"', 'FOO.', true],
];

for (const [expression, name, expected] of cases) {
  test(`FsRtlIsNameInExpression("${expression}", "${name}") is ${expected}`, () => {
    assert.equal(FsRtlIsNameInExpression(expression, name, true), expected);
  });
}

test('FsRtlIsNameInExpression is case-sensitive when asked to be', () => {
  assert.equal(FsRtlIsNameInExpression('*.txt', 'A.TXT', false), false);
  assert.equal(FsRtlIsNameInExpression('*.TXT', 'A.TXT', false), true);
});

// Exponential backtracking would run for ages here; the test's timeout turns that into a failure.
test('a hostile pattern of many stars against a long name terminates', { timeout: 20_000 }, () => {
  const expression = `${'*a'.repeat(40)}*b`;
  assert.equal(FsRtlIsNameInExpression(expression, 'a'.repeat(5000), true), false);
});

test('FsRtlDoesNameContainWildCards sees every wildcard character and nothing else', () => {
  for (const wild of ['*', '?', '<', '>', '"'])
    assert.equal(FsRtlDoesNameContainWildCards(`a${wild}b`), true);
  assert.equal(FsRtlDoesNameContainWildCards('plain.name'), false);
});
