// Number formatting and number literals, checked against independent peers:
// floats must print as C's %.16g does (Python's '%.16g' rounds the exact
// binary value half to even, as glibc does), and radix literals must have the
// 64-bit value BigInt gives them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { showFloat } from '../src/core/printer.js';
import { read } from '../src/core/reader.js';
import { parseWithOhm } from '../src/core/grammar.js';
import { int64ToNumber, parseRadix, radixDigits } from '../src/core/radix.js';

const bits = new DataView(new ArrayBuffer(8));
const fromBits = (hi: number, lo: number): number => {
  bits.setUint32(0, hi >>> 0);
  bits.setUint32(4, lo >>> 0);
  return bits.getFloat64(0);
};
const hexBits = (x: number): string => {
  bits.setFloat64(0, x);
  return bits.getBigUint64(0).toString(16);
};

/** What C's printf("%.16g") writes for each double, with min's `.0` for integral-looking digits. */
function printfDigits(xs: number[]): string[] {
  const script =
    'import sys,struct\n' +
    'for h in sys.stdin.read().split():\n' +
    '  s = "%.16g" % struct.unpack(">d", bytes.fromhex(h.zfill(16)))[0]\n' +
    '  print(s if any(c in s for c in ".en") else s + ".0")\n';
  const r = spawnSync('python3', ['-c', script], { input: xs.map(hexBits).join('\n'), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n');
}

describe('float printing', () => {
  it('agrees with %.16g on doubles of every kind, exact ties included', () => {
    const rnd = fc.sample(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), 6000);
    const xs: number[] = rnd.map(([hi, lo]) => fromBits(hi, lo)).filter((x) => Number.isFinite(x) && x !== 0);
    // decimal-looking values, halves beyond 2^50 (17 digits ending in 5: exact ties), powers of ten
    for (let k = 0; k < 3000; k++) xs.push(Math.round(Math.random() * 1e7) / 10 ** (k % 9));
    for (let k = 0; k < 3000; k++) xs.push((Math.floor(Math.random() * 2 ** 52) + 0.5) * 2 ** ((k % 5) - 2));
    for (let e = -30; e <= 30; e++) xs.push(10 ** e, -(10 ** e), 2 ** e);
    xs.push(0.1 + 0.2, Math.SQRT2, 5e-324, Number.MAX_VALUE, 1234567890123456.5, 1234567890123457.5, 1e15, 1e16, 2e10);
    const want = printfDigits(xs);
    const wrong = xs.map((x, k) => [x, want[k], showFloat(x)]).filter(([, w, got]) => w !== got);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('writes zeros, infinities and nan as native min does', () => {
    expect([0, -0, Infinity, -Infinity, NaN].map(showFloat)).toEqual(['0.0', '-0.0', 'inf', '-inf', 'nan']);
  });
});

describe('radix literals', () => {
  const valueOf = (text: string): unknown => read(text)[0];

  it('hold the 64-bit value of their digits, in both readers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n }), fc.constantFrom(2, 8, 16), (n, radix) => {
        const text = { 2: '0b', 8: '0o', 16: '0x' }[radix] + n.toString(radix);
        const want = int64ToNumber(BigInt.asIntN(64, n));
        expect(valueOf(text)).toBe(want);
        expect(parseWithOhm(text)[0]).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it('stay inside int64 beyond 2^53: rounded toward zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const v = int64ToNumber(n);
        expect(Number.isInteger(v)).toBe(true);
        const back = BigInt(v);
        expect(back >= -(2n ** 63n) && back < 2n ** 63n).toBe(true);
        expect(n >= 0n ? back <= n : back >= n).toBe(true);
        if (n >= -(2n ** 53n) && n <= 2n ** 53n) expect(back).toBe(n);
      }),
    );
  });

  it('round-trip through to-X and from-X within 8 digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constantFrom(2, 8, 16) as fc.Arbitrary<2 | 8 | 16>, (n, radix) => {
        const text = radixDigits(n, radix);
        expect(text).toMatch(/^0[box][0-9A-F]{8}$/);
        const width = { 2: 8, 8: 24, 16: 32 }[radix];
        expect(parseRadix(text, radix)).toBe(Number(BigInt.asUintN(width, BigInt(n))));
      }),
    );
  });
});
