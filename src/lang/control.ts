// Building blocks for operators that run quotations (if, while, filter...).
// They are generators: `yield q` makes the machine run q and come back.
import type { Machine } from './machine.js';
import { Cond } from './registry.js';
import { MinError } from './errors.js';
import { show } from './printer.js';
import { Sym, type Value } from './values.js';

export type Run<T = void> = Generator<unknown, T, unknown>;

/** Operators that take programs accept a bare value as a one-item program. */
export const asQuot = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);

/**
 * Evaluate a condition quotation on a copy of the stack, as min does for
 * if/when/while/case: the condition sees the stack but cannot change it.
 * A bare boolean is accepted as its own condition.
 */
export function* condition(i: Machine, q: Value): Run<boolean> {
  if (typeof q === 'boolean') return q;
  return (yield new Cond(asQuot(q))) as boolean;
}

/**
 * Push an item taken out of a quotation the way min does: a symbol is
 * evaluated, not pushed (that is why `raw-get` exists).
 */
export function* pushItem(i: Machine, v: Value): Run<void> {
  if (v instanceof Sym) yield [v];
  else i.stack.push(v);
}

/** Run q with v pushed on the main stack and pop the single result (map, filter...). */
export function* applyTo(i: Machine, v: Value, q: Value[]): Run<Value> {
  if (v instanceof Sym) yield [v];
  else i.stack.push(v);
  yield q;
  return i.pop();
}

/** Run q as a predicate on v: the result must be a boolean. */
export function* predicate(i: Machine, v: Value, q: Value[]): Run<boolean> {
  const r = yield* applyTo(i, v, q);
  if (typeof r !== 'boolean') throw new MinError(`Predicate did not return a boolean value (got ${show(r)})`, 'MinInvalidError');
  return r;
}

/** Run q on a fresh empty stack and return what it left (min's `apply`). */
export function* onNewStack(i: Machine, q: Value[]): Run<Value[]> {
  const saved = i.stack;
  i.stack = [];
  try {
    yield q;
    return i.stack;
  } finally {
    i.stack = saved;
  }
}
