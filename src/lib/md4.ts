// MD4 (RFC 1320). OpenSSL 3, and so Node 20, only offers it through the
// legacy provider, which is not loaded by default; min's md4 still needs it.

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** The MD4 digest of `data` (16 bytes). */
export function md4(data: Uint8Array): Uint8Array {
  const len = data.length;
  // One 0x80 byte, zeros up to 56 mod 64, then the bit length (little-endian, 64 bits).
  const padded = new Uint8Array((((len + 8) >>> 6) + 1) << 6);
  padded.set(data);
  padded[len] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = len * 8;
  view.setUint32(padded.length - 8, bits >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bits / 2 ** 32), true);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Int32Array(16);
  for (let off = 0; off < padded.length; off += 64) {
    for (let k = 0; k < 16; k++) x[k] = view.getInt32(off + k * 4, true);
    const [aa, bb, cc, dd] = [a, b, c, d];

    const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
    for (const k of [0, 4, 8, 12]) {
      a = rotl(a + f(b, c, d) + x[k]!, 3);
      d = rotl(d + f(a, b, c) + x[k + 1]!, 7);
      c = rotl(c + f(d, a, b) + x[k + 2]!, 11);
      b = rotl(b + f(c, d, a) + x[k + 3]!, 19);
    }

    const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
    for (const k of [0, 1, 2, 3]) {
      a = rotl(a + g(b, c, d) + x[k]! + 0x5a827999, 3);
      d = rotl(d + g(a, b, c) + x[k + 4]! + 0x5a827999, 5);
      c = rotl(c + g(d, a, b) + x[k + 8]! + 0x5a827999, 9);
      b = rotl(b + g(c, d, a) + x[k + 12]! + 0x5a827999, 13);
    }

    const h = (p: number, q: number, r: number) => p ^ q ^ r;
    for (const k of [0, 2, 1, 3]) {
      a = rotl(a + h(b, c, d) + x[k]! + 0x6ed9eba1, 3);
      d = rotl(d + h(a, b, c) + x[k + 8]! + 0x6ed9eba1, 9);
      c = rotl(c + h(d, a, b) + x[k + 4]! + 0x6ed9eba1, 11);
      b = rotl(b + h(c, d, a) + x[k + 12]! + 0x6ed9eba1, 15);
    }

    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }

  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  [a, b, c, d].forEach((w, k) => ov.setInt32(k * 4, w, true));
  return out;
}
