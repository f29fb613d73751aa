/**
 * Paths in a file system's tree of in-memory nodes: the name FileNameInformation reports (what
 * FastFat's FatSetFullFileNameInFcb and CDFS's CdBuildFullName compose), and the ancestry test a
 * directory move makes (FatSetRenameInfo refuses to move a directory into itself or below).
 *
 * A node is anything with a name and a parent; the root is the node without a parent and has the
 * path `\`. Names are joined as stored, with the case they were created with.
 */

/** A node of a file system's tree: its own name, and its directory (null for the root). */
export interface TreeNode {
  readonly name: string;
  readonly parent: TreeNode | null;
}

/** The path of a node from the volume root: `\` for the root, `\dir\file` below it. */
export function pathFromRoot(node: TreeNode): string {
  if (node.parent === null) return '\\';
  const names: string[] = [];
  for (let at: TreeNode | null = node; at !== null && at.parent !== null; at = at.parent) names.push(at.name);
  return `\\${names.reverse().join('\\')}`;
}

/** True when `node` is `ancestor` or lies below it. */
export function isSelfOrDescendant(node: TreeNode, ancestor: TreeNode): boolean {
  for (let at: TreeNode | null = node; at !== null; at = at.parent) if (at === ancestor) return true;
  return false;
}
