// The logic module: comparisons, boolean operators and type predicates.
// `== < >` and friends run in every loop condition, so two ints are tested
// first and everything else takes the general path.
import { alias, type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { invalid, MinError } from '../core/errors.js';
import { closeTo, looseEqual } from '../core/equality.js';
import { checkType } from '../core/typecheck.js';
import type { Run } from '../core/control.js';
import { Dict, Flt, isQuotedSym, isStringLike, type Quot, strOf, typeName, type Value } from '../core/values.js';
import { showShort } from '../core/printer.js';


/** Numbers against numbers, strings against strings; null for anything else. */
function order(a: Value, b: Value): [number, number] | [string, string] {
  const x = typeof a === 'number' ? a : a instanceof Flt ? a.v : undefined;
  const y = typeof b === 'number' ? b : b instanceof Flt ? b.v : undefined;
  if (x !== undefined && y !== undefined) return [x, y];
  if (typeof a === 'string' && typeof b === 'string') return [a, b];
  throw new MinError(
    `Two numbers or two strings are required, got ${typeName(a)} ${showShort(a)} and ${typeName(b)} ${showShort(b)}`,
    'MinInvalidError',
  );
}


/** Evaluate each quotation of qs on the current stack until one gives `stop`. */
function* firstGiving(i: OpContext, qs: Quot, stop: boolean): Run<boolean> {
  for (let k = 0; k < qs.length; k++) {
    const q = qs[k]!;
    if (!Array.isArray(q)) throw invalid(`A quotation of quotations is required, item ${k + 1} is ${showShort(q)}`);
    yield q;
    const r = i.pop();
    if (typeof r !== 'boolean') throw invalid(`Quotation ${k + 1} did not evaluate to a boolean value (got ${showShort(r)})`);
    if (r === stop) return true;
  }
  return false;
}

export const logicModule: ModuleDef = {
  name: 'logic',
  ops: [
    op(
      '==',
      'a1 a2 ==> bool',
      'Whether a1 equals a2: numbers by value (1 == 1.0), with a relative tolerance of 1e-5 when one is a float (nan == nan); containers item by item, exactly.',
      (_i, a: Value, b: Value) => a === b || looseEqual(a, b),
    ),
    op('!=', 'a1 a2 ==> bool', 'Whether a1 differs from a2: the negation of ==.', (_i, a: Value, b: Value) => a !== b && !looseEqual(a, b)),
    op('<', 'a1 a2 ==> bool', 'Whether a1 is smaller than a2 (two numbers or two strings).', (_i, a: Value, b: Value) => {
      if (typeof a === 'number' && typeof b === 'number') return a < b;
      const [x, y] = order(a, b);
      return x < y;
    }),
    op('>', 'a1 a2 ==> bool', 'Whether a1 is greater than a2 (two numbers or two strings).', (_i, a: Value, b: Value) => {
      if (typeof a === 'number' && typeof b === 'number') return a > b;
      const [x, y] = order(a, b);
      return x > y;
    }),
    op('<=', 'a1 a2 ==> bool', 'Whether a1 is smaller than a2 or equal to it as == says (two numbers or two strings).', (_i, a: Value, b: Value) => {
      if (typeof a === 'number' && typeof b === 'number') return a <= b;
      const [x, y] = order(a, b);
      return x < y || (typeof x === 'number' ? closeTo(x, y as number) : x === y);
    }),
    op('>=', 'a1 a2 ==> bool', 'Whether a1 is greater than a2 or equal to it as == says (two numbers or two strings).', (_i, a: Value, b: Value) => {
      if (typeof a === 'number' && typeof b === 'number') return a >= b;
      const [x, y] = order(a, b);
      return x > y || (typeof x === 'number' ? closeTo(x, y as number) : x === y);
    }),

    op('and', 'bool1 bool2 ==> bool3', 'True when both bool1 and bool2 are true.', (_i, a: boolean, b: boolean) => a && b),
    op('or', 'bool1 bool2 ==> bool3', 'True when bool1 or bool2 (or both) is true.', (_i, a: boolean, b: boolean) => a || b),
    op('xor', 'bool1 bool2 ==> bool3', 'True when exactly one of bool1 and bool2 is true.', (_i, a: boolean, b: boolean) => a !== b),
    op('not', 'bool1 ==> bool2', 'The negation of bool1.', (_i, a: boolean) => !a),
    op('expect-all', 'quot ==> bool', 'Evaluates each quotation of quot in turn; true if all give true (stops at the first false).', function* (i, q: Quot) {
      return !(yield* firstGiving(i, q, false));
    }),
    alias('&&', 'expect-all'),
    op('expect-any', 'quot ==> bool', 'Evaluates each quotation of quot in turn; true as soon as one gives true.', function* (i, q: Quot) {
      return yield* firstGiving(i, q, true);
    }),
    alias('||', 'expect-any'),

    op('boolean?', 'a ==> bool', 'Whether a is a boolean.', (_i, a: Value) => typeof a === 'boolean'),
    op('dictionary?', 'a ==> bool', 'Whether a is a dictionary.', (_i, a: Value) => a instanceof Dict),
    op('float?', 'a ==> bool', 'Whether a is a float.', (_i, a: Value) => a instanceof Flt),
    op('integer?', 'a ==> bool', 'Whether a is an integer.', (_i, a: Value) => typeof a === 'number'),
    op('null?', 'a ==> bool', 'Whether a is null.', (_i, a: Value) => a === null),
    op('number?', 'a ==> bool', 'Whether a is a number (an int or a float).', (_i, a: Value) => typeof a === 'number' || a instanceof Flt),
    op('quotation?', 'a ==> bool', 'Whether a is a quotation.', (_i, a: Value) => Array.isArray(a)),
    op('quoted-symbol?', 'a ==> bool', "Whether a is a quoted symbol such as 'foo.", (_i, a: Value) => isQuotedSym(a)),
    op('string?', 'a ==> bool', 'Whether a is a string.', (_i, a: Value) => typeof a === 'string'),
    op('stringlike?', 'a ==> bool', 'Whether a is a string or a quoted symbol.', (_i, a: Value) => isStringLike(a)),
    op('type?', "a 'sym ==> bool", 'Whether a satisfies the type expression sym (base types, type classes and aliases with | & !).', function* (
      i,
      a: Value,
      t: Value,
    ) {
      try {
        return yield* checkType(i, a, strOf(t));
      } catch (e) {
        // A malformed expression is the caller's mistake, not an internal error.
        if (e instanceof MinError) throw e;
        throw invalid(e instanceof Error ? e.message : String(e));
      }
    }),
  ],
};
