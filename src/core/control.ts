// Building blocks for operators that run quotations (if, while, filter...).
// They are generators: `yield q` makes the machine run q and come back.
import type { OpContext } from './context.js';
import { Cond, RunIn } from './registry.js';
import { Scope } from './scope.js';
import { MinError } from './errors.js';
import { showShort } from './printer.js';
import { Cmd, Sym, type Value } from './values.js';

export type Run<T = void> = Generator<unknown, T, unknown>;

/** Operators that take programs accept a bare value as a one-item program. */
export const asQuot = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);

/**
 * Evaluate a condition quotation on a copy of the stack, as min does for
 * if/when/while/case: the condition sees the stack but cannot change it.
 * A bare boolean is accepted as its own condition.
 */
export function* condition(i: OpContext, q: Value): Run<boolean> {
  if (typeof q === 'boolean') return q;
  return (yield new Cond(asQuot(q))) as boolean;
}

/**
 * Push an item taken out of a quotation the way min does: a symbol is
 * evaluated and a command run, not pushed (that is why `get-raw` exists).
 */
export function* pushItem(i: OpContext, v: Value): Run<void> {
  if (v instanceof Sym || v instanceof Cmd) yield [v];
  else i.stack.push(v);
}

/** Run q with v pushed on the main stack and pop the single result (map, filter...). */
export function* applyTo(i: OpContext, v: Value, q: Value[]): Run<Value> {
  if (v instanceof Sym || v instanceof Cmd) yield [v];
  else i.stack.push(v);
  yield q;
  return i.pop();
}

/** Run q as a predicate on v: the result must be a boolean. */
export function* predicate(i: OpContext, v: Value, q: Value[]): Run<boolean> {
  const r = yield* applyTo(i, v, q);
  if (typeof r !== 'boolean') throw new MinError(`Predicate did not return a boolean value (got ${showShort(r)})`, 'MinInvalidError');
  return r;
}

/** Run q on a fresh empty stack and return what it left (min's `apply`). */
export function* onNewStack(i: OpContext, q: Value[]): Run<Value[]> {
  const saved = i.swapStack([]);
  try {
    yield q;
    return i.stack;
  } finally {
    i.swapStack(saved);
  }
}

/**
 * min's `apply`: run q's items on a fresh stack and return what they left.
 * An item that is itself a quotation is dequoted in place (run in a scope of
 * its own, its results spliced in) rather than pushed, as native min does:
 * `(2 (3 4 +)) apply` is `(2 7)`. The other items run in one scope, so a
 * definition made by one is seen by the next.
 */
export function* applyQuot(i: OpContext, q: Value[]): Run<Value[]> {
  const saved = i.swapStack([]);
  try {
    // Without nested quotations the quotation runs as it is, in one frame
    // (its compiled form and the symbols' cached lookups are reused).
    if (!q.some(Array.isArray)) {
      yield q;
      return i.stack;
    }
    const scope = new Scope(i.scope);
    let start = 0;
    for (let k = 0; k < q.length; k++) {
      const v = q[k]!;
      if (!Array.isArray(v)) continue;
      if (k > start) yield new RunIn(q.slice(start, k), scope);
      yield new RunIn(v, new Scope(scope));
      start = k + 1;
    }
    if (start < q.length) yield new RunIn(q.slice(start), scope);
    return i.stack;
  } finally {
    i.swapStack(saved);
  }
}
