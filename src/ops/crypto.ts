// The crypto module: hashes, base64 and AES.
//
// min's strings are bytes; ours are text. Text goes through UTF-8, so hashes
// and base64 of text agree with min. Bytes that are not UTF-8 (ciphertext, a
// decoded binary blob) are kept as lone surrogates U+DC80..U+DCFF, one per
// byte (Python's "surrogateescape"): they turn back into the same bytes here,
// so `aes` undoes itself, `decode encode` round-trips and a hash of decoded
// data is the hash of its bytes.
import { type ModuleDef, op } from '../core/registry.js';
import { MinError } from '../core/errors.js';
import { strOf, type Value } from '../core/values.js';
import { md4 } from '../lib/md4.js';
import { crypto } from '../lib/builtins.js';
import { TextBuilder } from '../lib/text-builder.js';

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** The bytes of a string: UTF-8, with escaped bytes restored. */
export function bytesOf(s: string): Buffer {
  if (!ESCAPED.test(s)) return Buffer.from(s, 'utf8');
  // Written into one buffer (UTF-8 takes at most 3 bytes per UTF-16 unit):
  // a Buffer per escaped byte would be millions of objects for random bytes.
  const out = Buffer.allocUnsafe(s.length * 3);
  let at = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0xdc80 || c > 0xdcff || (k > 0 && (s.charCodeAt(k - 1) & 0xfc00) === 0xd800)) continue;
    if (k > start) at += out.write(s.slice(start, k), at, 'utf8');
    out[at++] = c - 0xdc00;
    start = k + 1;
  }
  if (s.length > start) at += out.write(s.slice(start), at, 'utf8');
  return out.subarray(0, at);
}

let strictUtf8: TextDecoder | null = null;

/** Length of the well-formed UTF-8 sequence at b[k], or 0. */
function seqAt(b: Uint8Array, k: number): number {
  const lead = b[k]!;
  if (lead < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) n = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3;
    if (lead === 0xe0) lo = 0xa0;
    if (lead === 0xed) hi = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4;
    if (lead === 0xf0) lo = 0x90;
    if (lead === 0xf4) hi = 0x8f;
  } else return 0;
  if (k + n > b.length) return 0;
  const second = b[k + 1]!;
  if (second < lo || second > hi) return 0;
  for (let j = 2; j < n; j++) if ((b[k + j]! & 0xc0) !== 0x80) return 0;
  return n;
}

/** A string of bytes: UTF-8 text where it is, an escape per other byte. */
export function stringOf(b: Uint8Array): string {
  strictUtf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return strictUtf8.decode(b);
  } catch {
    // One piece per stray byte: a TextBuilder, which random bytes (aes) make millions of.
    const out = new TextBuilder('decoding bytes');
    let start = 0;
    const flush = (end: number) => {
      if (end > start) out.add(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
    };
    for (let k = 0; k < b.length; ) {
      const n = seqAt(b, k);
      if (n > 0) {
        k += n;
        continue;
      }
      flush(k);
      out.add(String.fromCharCode(0xdc00 + b[k]!));
      start = ++k;
    }
    flush(b.length);
    return out.toString();
  }
}

const digest = (algorithm: string) => (_i: unknown, s: Value) =>
  crypto().createHash(algorithm).update(bytesOf(strOf(s))).digest('hex');

const B64_CHARS = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Nim's decode: the standard or the URL-safe alphabet, padding optional, whitespace ignored. */
function decodeBase64(text: string): string {
  const s = text.replace(/[ \t\r\n]/g, '');
  if (!B64_CHARS.test(s) || s.replace(/=+$/, '').length % 4 === 1 || (s.includes('=') && s.length % 4 !== 0)) {
    throw new MinError(`Invalid Base64 string: ${text.length > 40 ? text.slice(0, 40) + '...' : text}`, 'MinInvalidError');
  }
  return stringOf(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

/**
 * AES-256 in CTR mode. CTR encrypts and decrypts with the same operation, so
 * for `aes` to undo itself the key and the counter block must depend on the
 * password alone: key = SHA-256(password), initial counter = the first 16
 * bytes of SHA-256(key). Nothing random can travel with the ciphertext, so
 * two texts under one password share a key stream: the price of symmetry.
 */
function aes(text: string, password: string): string {
  const c = crypto();
  const key = c.createHash('sha256').update(bytesOf(password)).digest();
  const iv = c.createHash('sha256').update(key).digest().subarray(0, 16);
  const cipher = c.createCipheriv('aes-256-ctr', key, iv);
  return stringOf(Buffer.concat([cipher.update(bytesOf(text)), cipher.final()]));
}

export const cryptoModule: ModuleDef = {
  name: 'crypto',
  ops: [
    op(
      'aes',
      "'sym1 'sym2 ==> str",
      "Encrypts or decrypts 'sym1 with AES-256 in CTR mode using 'sym2 as password (key: SHA-256 of the password; " +
        'counter: first 16 bytes of SHA-256 of the key). The same call decrypts what it encrypted; bytes that are not ' +
        'UTF-8 are kept as the characters U+DC80..U+DCFF.',
      (_i, s: Value, k: Value) => aes(strOf(s), strOf(k)),
    ),
    op('decode', "'sym ==> str", "Decodes the Base64 string 'sym (standard or URL-safe alphabet, padding optional).", (_i, s: Value) =>
      decodeBase64(strOf(s)),
    ),
    op('encode', "'sym ==> str", "Base64-encodes the UTF-8 bytes of 'sym.", (_i, s: Value) => bytesOf(strOf(s)).toString('base64')),
    op('md4', "'sym ==> str", "The MD4 hash of 'sym, as lowercase hex.", (_i, s: Value) =>
      Buffer.from(md4(bytesOf(strOf(s)))).toString('hex'),
    ),
    op('md5', "'sym ==> str", "The MD5 hash of 'sym, as lowercase hex.", digest('md5')),
    op('sha1', "'sym ==> str", "The SHA-1 hash of 'sym, as lowercase hex.", digest('sha1')),
    op('sha224', "'sym ==> str", "The SHA-224 hash of 'sym, as lowercase hex.", digest('sha224')),
    op('sha256', "'sym ==> str", "The SHA-256 hash of 'sym, as lowercase hex.", digest('sha256')),
    op('sha384', "'sym ==> str", "The SHA-384 hash of 'sym, as lowercase hex.", digest('sha384')),
    op('sha512', "'sym ==> str", "The SHA-512 hash of 'sym, as lowercase hex.", digest('sha512')),
  ],
};
