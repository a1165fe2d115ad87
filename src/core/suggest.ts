// "did you mean connect?": the defined names nearest to a name that is not,
// by edit distance. Only computed when such an error is raised, never on the
// way of a symbol that resolves.
import type { Scope } from './scope.js';

/** Names suggested at most. */
const MAX_SUGGESTIONS = 3;

/** The edits allowed for a name of this length: short names have few neighbours worth naming. */
const allowedEdits = (length: number): number => (length <= 3 ? 1 : length <= 6 ? 2 : 3);

/**
 * Edit distance (insertions, deletions, substitutions, and swaps of two
 * neighbours, the commonest typo), giving up past `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidates nearest to `name`, nearest first (ties alphabetically). */
export function nearestNames(name: string, candidates: Iterable<string>): string[] {
  const limit = allowedEdits(name.length);
  const found: [number, string][] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c === name || seen.has(c)) continue;
    seen.add(c);
    const d = editDistance(name, c, limit);
    if (d <= limit && d < c.length) found.push([d, c]);
  }
  found.sort(([d1, a], [d2, b]) => d1 - d2 || (a < b ? -1 : a > b ? 1 : 0));
  return found.slice(0, MAX_SUGGESTIONS).map(([, c]) => c);
}

/** Every name defined in `scope` and the scopes around it. */
export function* namesInScope(scope: Scope | null): Generator<string> {
  for (let s = scope; s !== null; s = s.parent) if (s.symbols !== null) yield* s.symbols.keys();
}

/** ` (did you mean a, b or c?)`, or nothing when no name is near. */
export function didYouMean(names: string[]): string {
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
