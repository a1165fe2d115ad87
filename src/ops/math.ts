// The math module. Result types follow native min, which works on floats
// (`getFloat`) throughout: everything is a float (`pow` included) except
// `floor` and `ceil` (ints) and `abs` (keeps the operand's type).
import { alias, type ModuleDef, op } from '../core/registry.js';
import { MinError } from '../core/errors.js';
import { Flt, type Value } from '../core/values.js';
import { asFloat, wideInt } from '../lib/arith.js';
import { showShort } from '../core/printer.js';
import { binaryParts } from '../core/float-digits.js';

const flt = (fn: (x: number) => number) => (_i: unknown, n: Value) => new Flt(fn(asFloat(n)));

// Nim's constants, so conversions agree with min to the last bit.
const RAD_PER_DEG = Math.PI / 180;
const DEG_PER_RAD = 180 / Math.PI;

/** A float made an int for floor/ceil: nan, inf and values beyond int64 have no int. */
function toInt(r: number, n: Value): number {
  if (!Number.isFinite(r) || Math.abs(r) >= 2 ** 63) throw new MinError(`Cannot convert ${showShort(n)} to an int`, 'MinInvalidError');
  return wideInt(r) + 0;
}

/** C's pow (and so Nim's), which answers 1 where JS's `**` answers nan. */
function pow(x: Value, y: Value): Flt {
  const a = asFloat(x);
  const b = asFloat(y);
  if (a === 1 || (a === -1 && !Number.isFinite(b) && !Number.isNaN(b))) return new Flt(1);
  return new Flt(a ** b);
}

/**
 * min rounds by printing with `formatValue(n, ".Nf")` (C's printf) and parsing
 * the digits back: the exact binary value is rounded, half to even on a tie,
 * so 2.675 gives 2.67 and 0.125 gives 0.12.
 */
function roundPlaces(x: number, places: number): number {
  if (places < 0) throw new MinError(`The number of decimal places cannot be negative: ${places}`, 'MinInvalidError');
  if (!Number.isFinite(x) || places > 1100) return x;
  const [m, e] = binaryParts(Math.abs(x));
  if (e >= 0) return x;
  const num = m * 10n ** BigInt(places);
  const den = 1n << BigInt(-e);
  let q = num / den;
  const twice = (num % den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q++;
  let digits = q.toString();
  if (places > 0) {
    digits = digits.padStart(places + 1, '0');
    digits = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  }
  return Number.parseFloat((x < 0 ? '-' : '') + digits);
}

export const mathModule: ModuleDef = {
  name: 'math',
  ops: [
    op('abs', 'num1 ==> num2', 'The absolute value of num1 (an int stays an int).', (_i, n: Value) =>
      typeof n === 'number' ? wideInt(Math.abs(n)) : new Flt(Math.abs((n as Flt).v)),
    ),
    op('acos', 'num1 ==> num2', 'The arc cosine of num1, in radians (a float).', flt(Math.acos)),
    op('asin', 'num1 ==> num2', 'The arc sine of num1, in radians (a float).', flt(Math.asin)),
    op('atan', 'num1 ==> num2', 'The arc tangent of num1, in radians (a float).', flt(Math.atan)),
    op('ceil', 'num ==> int', 'The smallest int not smaller than num (an error for nan, inf and floats beyond int64).', (_i, n: Value) =>
      typeof n === 'number' ? n : toInt(Math.ceil((n as Flt).v), n),
    ),
    op('cos', 'num1 ==> num2', 'The cosine of num1 (in radians), a float.', flt(Math.cos)),
    op('cosh', 'num1 ==> num2', 'The hyperbolic cosine of num1, a float.', flt(Math.cosh)),
    op('d2r', 'num1 ==> num2', 'Converts num1 from degrees to radians (a float).', flt((d) => d * RAD_PER_DEG)),
    op('e', '==> num', "Pushes Euler's number e (a float).", () => new Flt(Math.E)),
    op('floor', 'num ==> int', 'The largest int not greater than num (an error for nan, inf and floats beyond int64).', (_i, n: Value) =>
      typeof n === 'number' ? n : toInt(Math.floor((n as Flt).v), n),
    ),
    op('ln', 'num1 ==> num2', 'The natural logarithm of num1, a float (-inf for 0, nan below 0).', flt(Math.log)),
    op('log10', 'num1 ==> num2', 'The common (base 10) logarithm of num1, a float.', flt(Math.log10)),
    op('log2', 'num1 ==> num2', 'The binary (base 2) logarithm of num1, a float.', flt(Math.log2)),
    op('pi', '==> num', 'Pushes the constant pi (a float).', () => new Flt(Math.PI)),
    op('pow', 'num1 num2 ==> flt', 'num1 raised to the power num2, always a float (2 10 pow is 1024.0).', (_i, x: Value, y: Value) => pow(x, y)),
    op('r2g', 'num1 ==> num2', 'Converts num1 from radians to degrees (a float).', flt((r) => r * DEG_PER_RAD)),
    alias('r2d', 'r2g'),
    op('round', 'num1 int ==> num2', 'Rounds num1 to int decimal places, as a float (half to even on an exact tie, like printf).', (_i, n: Value, places: number) =>
      new Flt(roundPlaces(asFloat(n), places)),
    ),
    op('sin', 'num1 ==> num2', 'The sine of num1 (in radians), a float.', flt(Math.sin)),
    op('sinh', 'num1 ==> num2', 'The hyperbolic sine of num1, a float.', flt(Math.sinh)),
    op('sqrt', 'num1 ==> num2', 'The square root of num1, a float (nan below 0).', flt(Math.sqrt)),
    op('tan', 'num1 ==> num2', 'The tangent of num1 (in radians), a float.', flt(Math.tan)),
    op('tanh', 'num1 ==> num2', 'The hyperbolic tangent of num1, a float.', flt(Math.tanh)),
    op('tau', '==> num', 'Pushes the constant tau, 2 pi (a float).', () => new Flt(2 * Math.PI)),
    op('trunc', 'num1 ==> num2', 'num1 without its fractional part, as a float (rounded toward zero).', flt(Math.trunc)),
  ],
};
