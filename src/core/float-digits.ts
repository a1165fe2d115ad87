// The decimal digits of a double as C's printf gives them: rounded from the
// exact binary value, half to even. JavaScript's toExponential rounds the
// exact value too but breaks a tie upward, so ties are settled here.

/** A positive finite double as mantissa * 2^exponent, exactly. */
export function binaryParts(a: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const m = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const exp = (hi >>> 20) & 0x7ff;
  return exp === 0 ? [m, -1074] : [m | (1n << 52n), exp - 1075];
}

/** Whether the decimal `text` (d.ddd…e±x, as toExponential writes it) is exactly the double a. */
function isExactly(a: number, text: string): boolean {
  const e = text.indexOf('e');
  const mantissa = BigInt(text[0]! + text.slice(2, e));
  const exp10 = Number(text.slice(e + 1)) - (e - 2);
  const [m, exp2] = binaryParts(a);
  // m * 2^exp2 == mantissa * 10^exp10, every power moved to the side where it is positive.
  const left = m * (exp2 > 0 ? 2n ** BigInt(exp2) : 1n) * (exp10 < 0 ? 10n ** BigInt(-exp10) : 1n);
  const right = mantissa * (exp10 > 0 ? 10n ** BigInt(exp10) : 1n) * (exp2 < 0 ? 2n ** BigInt(-exp2) : 1n);
  return left === right;
}

/**
 * The first 16 significant digits of |f| (nonzero, finite), rounded as C
 * rounds, and the decimal exponent of the first one: 0.3 gives
 * ["3000000000000000", -1].
 */
export function sixteenDigits(f: number): [string, number] {
  const a = Math.abs(f);
  let s = a.toExponential(15);
  // A tie needs the exact value to have 17 significant digits, the last a 5;
  // then keep the 16 digits when the last of them is even.
  const longer = a.toExponential(16);
  const at = longer.indexOf('e');
  if (longer[at - 1] === '5' && isExactly(a, longer)) {
    const kept = longer.slice(0, at - 1);
    if ((kept.charCodeAt(kept.length - 1) - 48) % 2 === 0) s = kept + longer.slice(at);
  }
  const e = s.indexOf('e');
  return [s[0]! + s.slice(2, e), Number(s.slice(e + 1))];
}
