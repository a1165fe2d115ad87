// The size limits a socket dict sets for what the peer can make the program
// hold in memory: `max-line` bounds a line `recv-line` waits for, `max-recv`
// the byte count `recv` may ask for. Both are read at each call, like
// `timeout`, so a script may change them with dset at any time. The defaults
// are safe for a server facing the network; WebSocket messages have their own
// `max-message` (ws-keys.ts).
import { MinError } from '../lang/errors.js';
import { show } from '../lang/printer.js';
import { constants } from 'node:buffer';
import type { Dict, Value } from '../lang/values.js';
import { NET_ERROR } from './errors.js';
import { keyOf } from './keys.js';

/** 1 MiB: a line longer than this is no line protocol's, but a peer filling memory. */
export const DEFAULT_MAX_LINE = 1 << 20;
/** 16 MiB, as a WebSocket message. */
export const DEFAULT_MAX_RECV = 16 << 20;

/** The keys an accepted connection takes from its server socket when its own dict lacks them. */
export const INHERITED_LIMITS = ['max-line', 'max-recv'] as const;

/**
 * The most bytes a limit may allow: what is received becomes a string, and
 * V8 cannot make one longer than this (a UTF-8 byte is at most one character).
 */
export const MAX_STRING_BYTES = constants.MAX_STRING_LENGTH;

/** A limit in bytes from `v`: 1 to MAX_STRING_BYTES, or `fallback` when absent; `bad` words the refusal. */
export function byteLimit(v: Value | undefined, fallback: number, bad: (want: string) => MinError, least = 1): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || v < least) throw bad(least === 0 ? 'a number of bytes (0 or more)' : 'a positive number of bytes');
  if (v > MAX_STRING_BYTES) throw bad(`at most ${MAX_STRING_BYTES} bytes (the longest string there can be)`);
  return v;
}

function sizeKey(d: Dict, key: string, fallback: number): number {
  const v = keyOf(d, key);
  return byteLimit(v, fallback, (want) => new MinError(`The socket's ${key} must be ${want}, got ${show(v ?? null)}`, NET_ERROR));
}

export const maxLineOf = (d: Dict): number => sizeKey(d, 'max-line', DEFAULT_MAX_LINE);
export const maxRecvOf = (d: Dict): number => sizeKey(d, 'max-recv', DEFAULT_MAX_RECV);

/**
 * What `recv-line` raises for a line over `max-line` bytes. `what` says what
 * came ("a line", "a message"...) and `fate` what became of it.
 */
export const lineTooLong = (max: number, what = 'a line', fate = 'it is skipped up to its newline'): MinError =>
  new MinError(`line too long: the peer sent ${what} of more than ${max} bytes (max-line); ${fate}`, NET_ERROR);

export const recvTooBig = (n: number, max: number): MinError =>
  new MinError(`cannot receive ${n} bytes at once: the limit is ${max} bytes (max-recv); receive in parts, or raise max-recv`, NET_ERROR);
