// Integer and float arithmetic with min's typing rules: int op int stays an
// int (a JS number that is always integral), anything with a float gives a
// Flt. min ints are 64-bit: results beyond the int64 range raise an overflow
// error like Nim's checked arithmetic, and bit operations go through BigInt
// whenever the operands do not fit JS's 32-bit bitwise operators.
import { MinError } from '../core/errors.js';
import { Flt, type Value } from '../core/values.js';

const MAX = Number.MAX_SAFE_INTEGER;
const I64 = 2 ** 63;

/**
 * An int result outside the exact range: keep it while it fits int64 (it is
 * integral already, doubles that large have no fractions).
 */
export function wideInt(r: number): number {
  if (r <= MAX && r >= -MAX) return r;
  if (!(r < I64 && r >= -I64)) throw new MinError('Integer overflow', 'MinRuntimeError');
  return Math.trunc(r);
}

/** An int result that may not be integral or may be -0 (from *, div, mod). */
export const intOf = (r: number): number => (r <= MAX && r >= -MAX ? Math.trunc(r) + 0 : wideInt(Math.trunc(r)));

const f = (v: Value): number => (typeof v === 'number' ? v : (v as Flt).v);

export function add(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return r <= MAX && r >= -MAX ? r : wideInt(r);
  }
  return new Flt(f(a) + f(b));
}

export function sub(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    return r <= MAX && r >= -MAX ? r : wideInt(r);
  }
  return new Flt(f(a) - f(b));
}

export function mul(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b + 0;
    return r <= MAX && r >= -MAX ? r : wideInt(r);
  }
  return new Flt(f(a) * f(b));
}

/** `/` always divides as floats, so division by zero gives inf or nan. */
export const fdiv = (a: Value, b: Value): Flt => new Flt(f(a) / f(b));

const divByZero = (): MinError => new MinError('Division by zero', 'MinRuntimeError');

/** Integer division truncating toward zero, as Nim's `div`. */
export function idiv(a: number, b: number): number {
  if (b === 0) throw divByZero();
  return intOf(a / b);
}

/** Remainder with the sign of the dividend, as Nim's `mod`. */
export function imod(a: number, b: number): number {
  if (b === 0) throw divByZero();
  return (a % b) + 0;
}

// ---- 64-bit bit operations ------------------------------------------------

const fits32 = (n: number): boolean => (n | 0) === n;
const big = (n: number): bigint => BigInt(n);
const back = (b: bigint): number => Number(BigInt.asIntN(64, b));

export const bitAnd = (a: number, b: number): number => (fits32(a) && fits32(b) ? a & b : back(big(a) & big(b)));
export const bitOr = (a: number, b: number): number => (fits32(a) && fits32(b) ? a | b : back(big(a) | big(b)));
export const bitXor = (a: number, b: number): number => (fits32(a) && fits32(b) ? a ^ b : back(big(a) ^ big(b)));
/** Two's complement: ~a is -a-1 at any width. */
export const bitNot = (a: number): number => -a - 1;

/**
 * Native min shifts by the count modulo 64, as the CPU does (`1 64 shl` is 1),
 * and a negative count gives 0.
 */
const shiftBy = (n: number): bigint => BigInt(n % 64);

export const shl = (a: number, n: number): number => (n < 0 ? 0 : back(big(a) << shiftBy(n)));
/** Arithmetic shift (the sign bit fills in), as Nim's shr on signed ints. */
export const shr = (a: number, n: number): number => (n < 0 ? 0 : back(big(a) >> shiftBy(n)));

export function parity(a: number): number {
  let b = BigInt.asUintN(64, big(a));
  let p = 0;
  while (b) {
    p ^= Number(b & 1n);
    b >>= 1n;
  }
  return p;
}

/** Apply `how` to every bit position listed (each from 0 to 63). */
export function bitsAt(a: number, positions: readonly number[], how: 'set' | 'clear' | 'flip'): number {
  let b = big(a);
  for (const p of positions) {
    const m = 1n << BigInt(p);
    b = how === 'set' ? b | m : how === 'clear' ? b & ~m : b ^ m;
  }
  return back(b);
}

// ---- aggregates -------------------------------------------------------------

export function sum(q: Value[]): Value {
  let acc: Value = 0;
  for (const v of q) acc = add(acc, v);
  return acc;
}

export function product(q: Value[]): Value {
  let acc: Value = 1;
  for (const v of q) acc = mul(acc, v);
  return acc;
}

export const asFloat = f;
