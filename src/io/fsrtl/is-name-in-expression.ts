/**
 * FsRtlIsNameInExpression and FsRtlDoesNameContainWildCards: the pattern matching every Windows
 * file system uses for directory queries.
 *
 * Wildcards: `*` any run of characters, `?` exactly one character, and the DOS forms the Win32
 * layer produces: `<` (DOS_STAR: any run up to the last dot), `>` (DOS_QM: one character, or none
 * at a dot or the end), `"` (DOS_DOT: a dot, or nothing at the end). Matching is iterative with
 * memoised states (no exponential backtracking on hostile patterns). With `ignoreCase` the caller
 * promises an upper-cased expression, as in NT; this implementation upper-cases both sides itself.
 */

const STAR = 0x2a; // *
const QM = 0x3f; // ?
const DOS_STAR = 0x3c; // <
const DOS_QM = 0x3e; // >
const DOS_DOT = 0x22; // "
const DOT = 0x2e;

export function FsRtlDoesNameContainWildCards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === STAR || c === QM || c === DOS_STAR || c === DOS_QM || c === DOS_DOT) return true;
  }
  return false;
}

export function FsRtlIsNameInExpression(expression: string, name: string, ignoreCase: boolean): boolean {
  if (ignoreCase) {
    expression = expression.toUpperCase();
    name = name.toUpperCase();
  }
  if (expression === '*') return true;
  if (!FsRtlDoesNameContainWildCards(expression)) return expression === name;
  // Dynamic programming over (expression position) sets, advancing one name character at a time.
  const e = expression.length;
  let current = new Uint8Array(e + 1);
  let next = new Uint8Array(e + 1);
  current[0] = 1;
  closeOverEmpty(expression, name, 0, current);
  for (let n = 0; n < name.length; n++) {
    next.fill(0);
    const c = name.charCodeAt(n);
    let any = false;
    for (let p = 0; p < e; p++) {
      if (current[p] === 0) continue;
      const w = expression.charCodeAt(p);
      if (w === STAR) {
        next[p] = 1; // consume c, stay on *
        any = true;
      } else if (w === DOS_STAR) {
        // Matches any character, but a dot only if another dot follows later in the name.
        if (c !== DOT || name.indexOf('.', n + 1) >= 0) {
          next[p] = 1;
          any = true;
        }
      } else if (w === QM || w === DOS_QM) {
        if (w === DOS_QM && c === DOT) continue; // DOS_QM never eats a dot (handled as empty below)
        next[p + 1] = 1;
        any = true;
      } else if (w === DOS_DOT) {
        if (c === DOT) {
          next[p + 1] = 1;
          any = true;
        }
      } else if (w === c) {
        next[p + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    closeOverEmpty(expression, name, n + 1, next);
    const swap = current;
    current = next;
    next = swap;
  }
  return current[e] === 1;
}

/** Adds the positions reachable by matching the empty string from the live ones. */
function closeOverEmpty(expression: string, name: string, position: number, states: Uint8Array): void {
  const atEnd = position >= name.length;
  const atDot = !atEnd && name.charCodeAt(position) === DOT;
  for (let p = 0; p < expression.length; p++) {
    if (states[p] === 0) continue;
    const w = expression.charCodeAt(p);
    if (w === STAR || w === DOS_STAR) states[p + 1] = 1;
    else if (w === DOS_QM && (atEnd || atDot)) states[p + 1] = 1;
    else if (w === DOS_DOT && atEnd) states[p + 1] = 1;
  }
}
