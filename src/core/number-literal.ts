// Number tokens, as native min v0.44 lexes them. The reader (reader.ts) and
// the grammar (min.ohm, grammar.ts) find where a number token ends; this file
// says where that is for the reader and what value a token stands for, so
// both produce the same values and the same error messages.
//
// A number starts at a digit, or at `-` or `.` followed by a digit, and ends
// at the first character that cannot continue it (`12abc` is 12 then abc):
//   decimal  -?digits(.digits?)?(e[+-]?digits)?   `.5` is 0.5, `1.` is 1.0
//   radix    0b / 0o / 0x (lowercase) then digits: binary and octal scan
//            every decimal digit (so `0b102` is an invalid binary integer),
//            hex scans hex digits (so `0x1G` is 1 then G).
import { Flt } from './values.js';
import { int64ToNumber } from './radix.js';

/** A token that looks like a number but has no value: the message says why. */
export class BadNumber extends Error {}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Whether a number token starts at `i`. */
export function startsNumber(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return isDigit(c) || ((c === 45 || c === 46) && isDigit(t.charCodeAt(i + 1)));
}

/** Where the number token starting at `i` ends (call only where `startsNumber` holds). */
export function scanNumber(t: string, i: number): number {
  let p = i;
  if (t.charCodeAt(p) === 45) p++;
  const c = t.charCodeAt(p);
  const radix = c === 48 ? t.charCodeAt(p + 1) : 0;
  if (radix === 98 || radix === 111 || radix === 120) {
    // 0b 0o 0x: a radix literal has no fraction and no exponent.
    const digit = radix === 120 ? isHexDigit : isDigit;
    p += 2;
    while (digit(t.charCodeAt(p))) p++;
    return p;
  }
  while (isDigit(t.charCodeAt(p))) p++;
  if (t.charCodeAt(p) === 46) {
    p++;
    while (isDigit(t.charCodeAt(p))) p++;
  }
  const e = t.charCodeAt(p);
  if (e === 101 || e === 69) {
    p++;
    const sign = t.charCodeAt(p);
    if (sign === 43 || sign === 45) p++;
    while (isDigit(t.charCodeAt(p))) p++;
  }
  return p;
}

const RADIX: Record<string, { name: string; valid: RegExp; prefix: string }> = {
  b: { name: 'binary', valid: /^[01]+$/, prefix: '0b' },
  o: { name: 'oct', valid: /^[0-7]+$/, prefix: '0o' },
  x: { name: 'hex', valid: /^[0-9a-fA-F]+$/, prefix: '0x' },
};

export const INT_RANGE = 'Integer out of range';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The value of a whole number token (as `scanNumber` delimits it), or a
 * BadNumber. Ints are 64-bit in min: a radix literal wraps around at 64 bits
 * (`0xFFFFFFFFFFFFFFFF` is -1), a decimal one outside int64 is an error. An
 * int beyond 2^53 is held rounded toward zero to a double.
 */
export function numberValue(token: string): number | Flt {
  const neg = token.charCodeAt(0) === 45;
  const body = neg ? token.slice(1) : token;
  const spec = body.length >= 2 && body[0] === '0' ? RADIX[body[1]!] : undefined;
  if (spec) {
    const digits = body.slice(2);
    if (digits === '') throw new BadNumber(`invalid integer: ${token}`);
    if (neg || !spec.valid.test(digits)) throw new BadNumber(`invalid ${spec.name} integer: ${token}`);
    return int64ToNumber(BigInt.asIntN(64, BigInt(spec.prefix + digits)));
  }
  if (/[.eE]/.test(body)) {
    if (/[eE][+-]?$/.test(body)) throw new BadNumber(`invalid float: ${token}`);
    return new Flt(Number.parseFloat(token));
  }
  if (body.length < 16) return neg ? -Number(body) + 0 : Number(body);
  const big = BigInt(token);
  if (big < INT64_MIN || big > INT64_MAX) throw new BadNumber(INT_RANGE);
  return int64ToNumber(big);
}
