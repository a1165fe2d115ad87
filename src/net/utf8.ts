// Where a byte count may end without splitting a UTF-8 character. Received
// bytes are decoded as UTF-8, so `recv` stretches its count over the rest of a
// character it would otherwise cut: consecutive recvs then join up to exactly
// the text that was sent, whatever the chunk size.
import { isAscii } from 'node:buffer';

/** Bytes a UTF-8 sequence starting with `lead` claims (1 for stray or invalid bytes). */
function seqLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * How many bytes to take when `n` (<= avail) were asked for: `n`, or a little
 * more to finish a character cut at `n`. Returns -1 when the finishing bytes
 * have not arrived yet and may still come (`final` is false).
 */
export function charBoundary(at: (k: number) => number, avail: number, n: number, final: boolean): number {
  if (n <= 0) return 0;
  let p = n - 1;
  while (p > 0 && n - p < 4 && isContinuation(at(p))) p--;
  const end = p + seqLength(at(p));
  if (end <= n) return n;
  for (let k = n; k < end; k++) {
    if (k >= avail) return final ? avail : -1;
    if (!isContinuation(at(k))) return k;
  }
  return end;
}

/**
 * Where the character holding byte `n - 1` starts: the longest prefix of the
 * first `n` bytes that cuts no character (0 when the first one is cut).
 */
export function charStart(at: (k: number) => number, n: number): number {
  let p = n - 1;
  while (p > 0 && n - p < 4 && isContinuation(at(p))) p--;
  return p + seqLength(at(p)) <= n ? n : p;
}

/**
 * The text of UTF-8 bytes. Pure ASCII, the usual case, is copied as Latin-1
 * (the same characters), which is about twice as fast as decoding UTF-8.
 */
export function decodeText(b: Buffer, start = 0, end = b.length): string {
  const part = start === 0 && end === b.length ? b : b.subarray(start, end);
  return isAscii(part) ? part.toString('latin1') : part.toString('utf8');
}

/** The UTF-8 bytes of text; pure ASCII is copied as Latin-1, several times faster. */
export function encodeText(s: string): Buffer {
  return Buffer.from(s, Buffer.byteLength(s, 'utf8') === s.length ? 'latin1' : 'utf8');
}
