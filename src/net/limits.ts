// The size limits a socket dict sets for what the peer can make the program
// hold in memory: `max-line` bounds a line `recv-line` waits for, `max-recv`
// the byte count `recv` may ask for. Both are read at each call, like
// `timeout`, so a script may change them with dset at any time (the keys are
// read in ops/adapt/socket-keys.ts). The defaults are safe for a server
// facing the network; WebSocket messages have their own `max-message`
// (ws-keys.ts).
import { constants } from 'node:buffer';
import { MinError } from '../core/errors.js';
import { NET_ERROR } from './errors.js';

/** 1 MiB: a line longer than this is no line protocol's, but a peer filling memory. */
export const DEFAULT_MAX_LINE = 1 << 20;
/** 16 MiB, as a WebSocket message. */
export const DEFAULT_MAX_RECV = 16 << 20;

/** 64 MiB, as an HTTP response body: what `recv-all` keeps at most. */
export const DEFAULT_MAX_BYTES = 64 << 20;

/**
 * Connections the kernel holds for a listening socket before it is accepted
 * (capped by the system's net.core.somaxconn, 4096 on current Linux). Node's
 * default, 511, overflows when a thousand clients connect at once while the
 * program is busy: the kernel drops their SYNs and they retry a second later.
 */
export const LISTEN_BACKLOG = 4096;

/** The keys an accepted connection takes from its server socket when its own dict lacks them. */
export const INHERITED_LIMITS = ['max-line', 'max-recv', 'max-bytes'] as const;

/**
 * The most bytes a limit may allow: what is received becomes a string, and
 * V8 cannot make one longer than this (a UTF-8 byte is at most one character).
 */
export const MAX_STRING_BYTES = constants.MAX_STRING_LENGTH;

/**
 * Why `v` cannot be a limit in bytes of at least `least`, as the words after
 * "must be", or null when it can.
 */
export function byteLimitProblem(v: unknown, least = 1): string | null {
  if (typeof v !== 'number' || v < least) return least === 0 ? 'a number of bytes (0 or more)' : 'a positive number of bytes';
  if (v > MAX_STRING_BYTES) return `at most ${MAX_STRING_BYTES} bytes (the longest string there can be)`;
  return null;
}

/**
 * What `recv-line` raises for a line over `max-line` bytes. `what` says what
 * came ("a line", "a message"...) and `fate` what became of it.
 */
export const lineTooLong = (max: number, what = 'a line', fate = 'it is skipped up to its newline'): MinError =>
  new MinError(`line too long: the peer sent ${what} of more than ${max} bytes (max-line); ${fate}`, NET_ERROR);

export const recvTooBig = (n: number, max: number): MinError =>
  new MinError(`cannot receive ${n} bytes at once: the limit is ${max} bytes (max-recv); receive in parts, or raise max-recv`, NET_ERROR);

export const allTooBig = (max: number): MinError =>
  new MinError(`too much data: the peer sent more than ${max} bytes (max-bytes) without closing; they stay in the socket for recv and recv-some`, NET_ERROR);
