// The num module: arithmetic, aggregates, ranges, random numbers and bit
// operations. `+ - * /` sit on the interpreter's hottest path (fib, loops), so
// each checks for two JS numbers (two ints) before anything else.
import { op, type ModuleDef } from '../core/registry.js';
import { MinError } from '../core/errors.js';
import { Flt, strOf, type Value, type Quot } from '../core/values.js';
import { type Base, showShort } from '../core/printer.js';
import { compare } from '../core/equality.js';
import {
  add,
  asFloat,
  bitAnd,
  bitNot,
  bitOr,
  bitsAt,
  bitXor,
  fdiv,
  idiv,
  imod,
  mul,
  parity,
  product,
  shl,
  shr,
  sub,
  sum,
  wideInt,
} from '../lib/arith.js';
import { RandomGenerator } from '../lib/random.js';
import { ProgramState } from '../core/runtime.js';

/** Each program draws from its own generator. */
const randomOf = new ProgramState(() => new RandomGenerator());
import { checkItems } from '../core/limits.js';


const MAX = Number.MAX_SAFE_INTEGER;

/**
 * (start end) or (start end step); like native min, a longer quotation uses
 * its first two items.
 */
function range(q: Quot): number[] {
  const used = q.length === 3 ? q : q.slice(0, 2);
  if (used.length < 2 || !used.every((v) => typeof v === 'number')) {
    throw new MinError(`range: a quotation of two or three integers is required, got ${showShort(q)}`, 'MinInvalidError');
  }
  const [a, b, s = 1] = used as number[];
  if (s === 0) throw new MinError('range: the step cannot be 0', 'MinInvalidError');
  const step = Math.abs(s);
  const count = Math.floor(Math.abs(b! - a!) / step) + 1;
  checkItems(count, `range (${count} values)`);
  const out = new Array<number>(count);
  const dir = a! <= b! ? step : -step;
  for (let k = 0, v = a!; k < count; k++, v += dir) out[k] = v;
  return out;
}

/** The numbers of q, or an error naming the operator that needed them. */
function numbers(q: Quot, what: string): Quot {
  for (const v of q) {
    if (typeof v !== 'number' && !(v instanceof Flt)) {
      throw new MinError(`${what}: a quotation of numbers is required, found ${showShort(v)}`, 'MinInvalidError');
    }
  }
  return q;
}

/** The bit positions listed in q, each an int from 0 to 63. */
function bitPositions(q: Quot): number[] {
  for (const p of q) {
    if (typeof p !== 'number' || p < 0 || p > 63) {
      throw new MinError(`Invalid bit position: ${showShort(p)} (an int from 0 to 63 is required)`, 'MinInvalidError');
    }
  }
  return q as number[];
}

function nonEmpty(q: Quot, what: string): Quot {
  numbers(q, what);
  if (q.length === 0) throw new MinError(`${what}: the quotation is empty`, 'MinInvalidError');
  return q;
}

function median(q: Quot): Value {
  const s = nonEmpty(q, 'med').slice().sort((x, y) => compare(x, y) ?? 0);
  const n = s.length;
  if (n % 2 === 1) return s[(n - 1) / 2]!;
  return new Flt((asFloat(s[n / 2 - 1]!) + asFloat(s[n / 2]!)) / 2);
}

const BASES = ['dec', 'hex', 'oct', 'bin'];

export const numModule: ModuleDef = {
  name: 'num',
  ops: [
    op('+', 'num1 num2 ==> num3', 'Adds num1 and num2 (an int when both are ints).', (_i, a: Value, b: Value) => {
      if (typeof a === 'number' && typeof b === 'number') {
        const r = a + b;
        return r <= MAX && r >= -MAX ? r : wideInt(r);
      }
      return add(a, b);
    }),
    op('-', 'num1 num2 ==> num3', 'Subtracts num2 from num1 (an int when both are ints).', (_i, a: Value, b: Value) => {
      if (typeof a === 'number' && typeof b === 'number') {
        const r = a - b;
        return r <= MAX && r >= -MAX ? r : wideInt(r);
      }
      return sub(a, b);
    }),
    op('*', 'num1 num2 ==> num3', 'Multiplies num1 by num2 (an int when both are ints).', (_i, a: Value, b: Value) => mul(a, b)),
    op('/', 'num1 num2 ==> flt', 'Divides num1 by num2; the result is always a float (inf or nan when dividing by zero).', (_i, a: Value, b: Value) =>
      fdiv(a, b),
    ),
    op('div', 'int1 int2 ==> int3', 'Divides int1 by int2, truncating toward zero.', (_i, a: number, b: number) => idiv(a, b)),
    op('mod', 'int1 int2 ==> int3', 'The remainder of dividing int1 by int2 (with the sign of int1).', (_i, a: number, b: number) => imod(a, b)),
    op('succ', 'int1 ==> int2', 'Adds one to int1.', (_i, a: number) => (a < MAX ? a + 1 : wideInt(a + 1))),
    op('pred', 'int1 ==> int2', 'Subtracts one from int1.', (_i, a: number) => (a > -MAX ? a - 1 : wideInt(a - 1))),
    op('even?', 'int ==> bool', 'Whether int is even.', (_i, a: number) => a % 2 === 0),
    op('odd?', 'int ==> bool', 'Whether int is odd.', (_i, a: number) => a % 2 !== 0),
    op('inf', '==> num', 'Pushes positive infinity (a float).', () => new Flt(Infinity)),
    op('-inf', '==> num', 'Pushes negative infinity (a float).', () => new Flt(-Infinity)),
    op('nan', '==> num', 'Pushes NaN, the float that is not a number.', () => new Flt(NaN)),

    op('sum', 'quot ==> num', 'Adds up the numbers in quot (0 when it is empty).', (_i, q: Quot) => sum(numbers(q, 'sum'))),
    op('product', 'quot ==> num', 'Multiplies the numbers in quot together (1 when it is empty).', (_i, q: Quot) => product(numbers(q, 'product'))),
    op('avg', 'quot ==> flt', 'The mean of the numbers in quot, as a float (nan when it is empty).', (_i, q: Quot) =>
      new Flt(asFloat(sum(numbers(q, 'avg'))) / q.length),
    ),
    op('med', 'quot ==> num', 'The median of the numbers in quot (the mean of the middle two when their count is even).', (_i, q: Quot) =>
      median(q),
    ),
    op('range', 'quot1 ==> quot2', 'From (start end step?) builds the ints start to end inclusive, counting down when start > end.', (_i, q: Quot) =>
      range(q),
    ),

    op(
      'random',
      'int1 ==> int2',
      "A random int from 0 to int1 inclusive. Without randomize the sequence is native min's on every run (10 random three times: 1 10 5).",
      (i, n: number) => {
        if (n < 0) throw new MinError(`random: a non-negative int is required, got ${n}`, 'MinInvalidError');
        return randomOf.of(i.rt).upTo(n);
      },
    ),
    op('randomize', '==>', 'Seeds the random number generator from the clock.', (i) => randomOf.of(i.rt).reseedFromClock()),

    op('bitand', 'int1 int2 ==> int3', 'The bitwise and of int1 and int2.', (_i, a: number, b: number) => bitAnd(a, b)),
    op('bitor', 'int1 int2 ==> int3', 'The bitwise or of int1 and int2.', (_i, a: number, b: number) => bitOr(a, b)),
    op('bitxor', 'int1 int2 ==> int3', 'The bitwise exclusive or of int1 and int2.', (_i, a: number, b: number) => bitXor(a, b)),
    op('bitnot', 'int1 ==> int2', 'The bitwise complement of int1.', (_i, a: number) => bitNot(a)),
    op('shl', 'int1 int2 ==> int3', 'Shifts int1 left by int2 bits (64-bit).', (_i, a: number, n: number) => shl(a, n)),
    op('shr', 'int1 int2 ==> int3', 'Shifts int1 right by int2 bits, keeping its sign.', (_i, a: number, n: number) => shr(a, n)),
    op('bitparity', 'int1 ==> int2', '1 if int1 has an odd number of 1 bits (as a 64-bit int), 0 otherwise.', (_i, a: number) => parity(a)),
    op('bitclear', 'int1 quot ==> int2', 'Clears (sets to 0) the bits of int1 at the positions listed in quot.', (_i, a: number, q: Quot) =>
      bitsAt(a, bitPositions(q), 'clear'),
    ),
    op('bitset', 'int1 quot ==> int2', 'Sets to 1 the bits of int1 at the positions listed in quot.', (_i, a: number, q: Quot) => bitsAt(a, bitPositions(q), 'set')),
    op('bitflip', 'int1 quot ==> int2', 'Flips the bits of int1 at the positions listed in quot.', (_i, a: number, q: Quot) => bitsAt(a, bitPositions(q), 'flip')),

    op('base', "'sym ==>", 'Sets how ints are printed: "dec", "hex", "oct" or "bin".', (i, s: Value) => {
      const b = strOf(s);
      if (!BASES.includes(b)) throw new MinError(`Invalid base: ${b} (use dec, hex, oct or bin)`, 'MinInvalidError');
      i.rt.print.base = b as Base;
    }),
    op('base?', '==> str', 'The base ints are printed in: "dec", "hex", "oct" or "bin".', (i) => i.rt.print.base),
  ],
};
