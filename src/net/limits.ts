// The size limits a socket dict sets for what the peer can make the program
// hold in memory: `max-line` bounds a line `recv-line` waits for, `max-recv`
// the byte count `recv` may ask for. Both are read at each call, like
// `timeout`, so a script may change them with dset at any time. The defaults
// are safe for a server facing the network; WebSocket messages have their own
// `max-message` (ws-keys.ts).
import { MinError } from '../lang/errors.js';
import { show } from '../lang/printer.js';
import type { Dict } from '../lang/values.js';
import { NET_ERROR } from './errors.js';
import { keyOf } from './keys.js';

/** 1 MiB: a line longer than this is no line protocol's, but a peer filling memory. */
export const DEFAULT_MAX_LINE = 1 << 20;
/** 16 MiB, as a WebSocket message. */
export const DEFAULT_MAX_RECV = 16 << 20;

/** The keys an accepted connection takes from its server socket when its own dict lacks them. */
export const INHERITED_LIMITS = ['max-line', 'max-recv'] as const;

function sizeKey(d: Dict, key: string, fallback: number): number {
  const v = keyOf(d, key);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || v < 1) {
    throw new MinError(`The socket's ${key} must be a positive number of bytes, got ${show(v)}`, NET_ERROR);
  }
  return v;
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
