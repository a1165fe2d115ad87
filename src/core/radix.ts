// Ints in base 2, 8 and 16 the way native min writes and reads them: `to-hex`
// and friends (and printing under `base`) give a prefix and exactly 8 digits
// of the low bits in two's complement; `from-hex` and friends are Nim's
// parseHexInt/parseOctInt/parseBinInt, `from-dec` is Nim's parseInt.
import { MinError } from './errors.js';

export type Radix = 2 | 8 | 16;

const PREFIX: Record<Radix, string> = { 2: '0b', 8: '0o', 16: '0x' };
const NAME: Record<Radix, string> = { 2: 'binary', 8: 'oct', 16: 'hex' };

/**
 * An int64 as a JS number: exact up to 2^53; beyond that rounded toward zero
 * to a double, so the result never leaves the int64 range (the nearest double
 * to 2^63 - 1 would be 2^63).
 */
export function int64ToNumber(b: bigint): number {
  const n = Number(b);
  if (Number.isSafeInteger(n)) return n;
  const neg = b < 0n;
  let a = neg ? -b : b;
  const drop = a.toString(2).length - 53;
  if (drop > 0) a = (a >> BigInt(drop)) << BigInt(drop);
  return neg ? -Number(a) : Number(a);
}

/**
 * `0x` and 8 upper-case hex digits (the low 32 bits), `0o` and 8 octal digits
 * (the low 24 bits) or `0b` and 8 binary digits (the low 8 bits). Higher bits
 * are dropped, negative ints show their two's complement.
 */
export function radixDigits(n: number, radix: Radix): string {
  // ToUint32 is exact modular arithmetic on any integral double.
  const low32 = n >>> 0;
  const bits = radix === 16 ? low32 : radix === 8 ? low32 & 0xffffff : low32 & 0xff;
  const digits = bits.toString(radix);
  return PREFIX[radix] + (radix === 16 ? digits.toUpperCase() : digits).padStart(8, '0');
}

/** An int in decimal; beyond 2^53 the exact value the double holds. */
export const decimalDigits = (n: number): string => (Number.isSafeInteger(n) ? String(n) : BigInt(n).toString());

const PREFIXES: Record<Radix, string[]> = { 2: ['0b', '0B'], 8: ['0o', '0O'], 16: ['0x', '0X', '#'] };

function digitValue(c: number, radix: Radix): number {
  const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : 99;
  return v < radix ? v : -1;
}

/**
 * Nim's parseHexInt and friends: an optional prefix (`0x`/`0X`/`#`, `0o`/`0O`,
 * `0b`/`0B`), digits with underscores ignored, no sign, at least one digit;
 * the value wraps around past 64 bits.
 */
export function parseRadix(text: string, radix: Radix): number {
  let i = 0;
  for (const p of PREFIXES[radix]) {
    if (text.startsWith(p)) {
      i = p.length;
      break;
    }
  }
  let value = 0n;
  let found = false;
  const r = BigInt(radix);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 95) continue; // `_`
    const d = digitValue(c, radix);
    if (d < 0) break;
    value = BigInt.asUintN(64, value * r + BigInt(d));
    found = true;
  }
  if (!found || i !== text.length) throw new MinError(`invalid ${NAME[radix]} integer: ${text}`, 'ValueError');
  return int64ToNumber(BigInt.asIntN(64, value));
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Nim's parseInt: an optional sign, then digits; an underscore may follow any
 * digit and is ignored. Nothing else is allowed, not even blanks.
 */
export function parseDecimal(text: string): number {
  const m = /^[+-]?[0-9](?:[0-9]|_)*$/.exec(text);
  if (!m) throw new MinError(`invalid integer: ${text}`, 'ValueError');
  const v = BigInt(text.replace(/_/g, ''));
  if (v < INT64_MIN || v > INT64_MAX) throw new MinError('Parsed integer outside of valid range', 'ValueError');
  return int64ToNumber(v);
}
