import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSelfOrDescendant, pathFromRoot, type TreeNode } from '../../../src/io/fsrtl/node-path.ts';

const root: TreeNode = { name: '', parent: null };
const dir: TreeNode = { name: 'Some Dir', parent: root };
const file: TreeNode = { name: 'File.Name', parent: dir };

test('a path joins the names from the root with their case; the root is a lone backslash', () => {
  assert.equal(pathFromRoot(root), '\\');
  assert.equal(pathFromRoot(dir), '\\Some Dir');
  assert.equal(pathFromRoot(file), '\\Some Dir\\File.Name');
});

test('a node is its own descendant and lies below every ancestor, never below a sibling', () => {
  const sibling: TreeNode = { name: 'Other', parent: root };
  assert.ok(isSelfOrDescendant(dir, dir));
  assert.ok(isSelfOrDescendant(file, dir));
  assert.ok(isSelfOrDescendant(file, root));
  assert.ok(!isSelfOrDescendant(dir, file));
  assert.ok(!isSelfOrDescendant(file, sibling));
});
