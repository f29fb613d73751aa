import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDosDeviceName, isValidHostFsComponent, isValidShareName } from '../../../src/host/hostfs/index.ts';

test('DOS device names are recognised with extensions, trailing spaces, any case and superscript digits', () => {
  for (const name of [
    'CON',
    'con',
    'Nul.txt',
    'AUX.tar.gz',
    'PRN ',
    'COM1',
    'com9.log',
    'LPT0',
    'lpt\u00b9',
    'CONIN$',
    'conout$',
  ])
    assert.equal(isDosDeviceName(name), true, name);
  for (const name of ['CONSOLE', 'COM', 'COM10', 'LPT', 'NULL', 'icon', 'xcon', 'com1x'])
    assert.equal(isDosDeviceName(name), false, name);
});

test('a HostFS component refuses what the host or Win32 would read differently', () => {
  const refused = [
    '',
    '.',
    '..',
    'a.',
    'a ',
    'a/b',
    'a\\b',
    'a:b',
    'a*',
    'a?',
    'a"',
    'a<',
    'a>',
    'a|',
    'a\0b',
    'a\nb',
    'n'.repeat(256),
    '\u00e9'.repeat(128),
    '\ud800x',
    'x\udc00',
    'CON',
    'nul.txt',
  ];
  for (const name of refused) assert.equal(isValidHostFsComponent(name), false, JSON.stringify(name));
  const accepted = [
    'a',
    '.hidden',
    '...x',
    'n'.repeat(255),
    '\u00e9'.repeat(127),
    '\ud83d\ude42',
    'a b',
    "x+=,;[]'",
  ];
  for (const name of accepted) assert.equal(isValidHostFsComponent(name), true, JSON.stringify(name));
});

test('share names follow the NetShareAdd rules', () => {
  for (const name of ['share', 'My Share', 'data$', 'a'.repeat(80), 'caf\u00e9'])
    assert.equal(isValidShareName(name), true, name);
  for (const name of [
    '',
    '.',
    '..',
    'a'.repeat(81),
    'a/b',
    'a\\b',
    'a:b',
    'a[1]',
    'a,b',
    'a;b',
    'a=b',
    'a+b',
    'a*',
    'a?',
    'a\tb',
    'x.',
    'x ',
  ])
    assert.equal(isValidShareName(name), false, JSON.stringify(name));
  assert.equal(isValidShareName(42 as unknown as string), false);
});
