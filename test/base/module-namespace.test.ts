/**
 * The package's module namespaces must not be thenables: a module exporting a function named
 * `then` makes `await import()` call it instead of returning the module.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('await import() of the package entry and of each layer returns the module itself', async () => {
  const expected: Record<string, string> = {
    '../../src/index.ts': 'createSystem',
    '../../src/base/index.ts': 'NT_SUCCESS',
    '../../src/io/index.ts': 'IoCallDriver',
    '../../src/api/index.ts': 'NtCreateFile',
  };
  for (const [path, name] of Object.entries(expected)) {
    const module = (await import(path)) as Record<string, unknown>;
    assert.equal(typeof module.then, 'undefined', path);
    assert.equal(typeof module[name], 'function', `${path} exports ${name}`);
  }
});
