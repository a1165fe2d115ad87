// Socket options that live in socket-dict keys: `nodelay`, `keepalive` and
// `ttl` for streams, `broadcast`, `ttl`, `multicast-ttl` and `multicast-loop`
// for datagrams. A script may change them with dset at any time, so they are
// read when the socket connects or listens and again each time an operator
// runs on it; a connection applies only what changed since the last time,
// which keeps the common case (nothing changed) to a few comparisons.
import { MinError } from '../core/errors.js';
import { NET_ERROR } from './errors.js';

/** What the dict says; undefined: the key is absent, leave the option as it is. */
export interface ConnOptions {
  nodelay?: boolean;
  /** Milliseconds of idleness before the first keep-alive probe; 0 turns keep-alive off. */
  keepalive?: number;
  ttl?: number;
  broadcast?: boolean;
  multicastTtl?: number;
  multicastLoop?: boolean;
}

/** The dict keys, and the option each sets. */
export const OPTION_KEYS = {
  nodelay: 'nodelay',
  keepalive: 'keepalive',
  ttl: 'ttl',
  broadcast: 'broadcast',
  'multicast-ttl': 'multicastTtl',
  'multicast-loop': 'multicastLoop',
} as const satisfies Record<string, keyof ConnOptions>;

export type OptionKey = keyof typeof OPTION_KEYS;

/** An accepted connection takes these from its server socket when its own dict lacks them. */
export const INHERITED_OPTIONS = Object.keys(OPTION_KEYS) as OptionKey[];

const bad = (key: string, must: string, shown: string): MinError =>
  new MinError(`The socket's ${key} must be ${must}, got ${shown}`, NET_ERROR);

/**
 * Check one key's value (already read from the dict: a bool, a number, or
 * the text of something else for the message) and store it in `into`.
 */
export function setOption(into: ConnOptions, key: OptionKey, v: unknown, shown: string): void {
  switch (key) {
    case 'nodelay':
    case 'broadcast':
    case 'multicast-loop':
      if (typeof v !== 'boolean') throw bad(key, 'true or false', shown);
      into[OPTION_KEYS[key]] = v;
      return;
    case 'keepalive':
      if (typeof v !== 'number' || v < 0 || !Number.isInteger(v)) throw bad(key, 'a number of milliseconds (0 turns it off)', shown);
      into.keepalive = Math.min(v, 0x7fffffff);
      return;
    case 'ttl':
    case 'multicast-ttl':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < (key === 'ttl' ? 1 : 0) || v > 255) {
        throw bad(key, key === 'ttl' ? 'a hop count from 1 to 255' : 'a hop count from 0 to 255', shown);
      }
      into[OPTION_KEYS[key]] = v;
      return;
  }
}

/**
 * Whether `o` sets no option at all: the dict of almost every socket, read
 * on every send and receive, which then needs no check and nothing applied.
 */
export function noOptions(o: ConnOptions): boolean {
  for (const _ in o) return false;
  return true;
}

/** Options a kind of socket has no use for, refused by name. */
export function refuseOptions(o: ConnOptions, keys: readonly OptionKey[], why: string): void {
  for (const k of keys) {
    if (o[OPTION_KEYS[k]] !== undefined) throw new MinError(`The socket's ${k} ${why}`, NET_ERROR);
  }
}

/** The options last applied, so a connection sets only what changed. */
export class AppliedOptions {
  private readonly last: ConnOptions = {};

  /** Calls `set` for each option of `o` that differs from what was applied. */
  changes(o: ConnOptions, set: <K extends keyof ConnOptions>(k: K, v: NonNullable<ConnOptions[K]>) => void): void {
    for (const k in o) {
      const name = k as keyof ConnOptions;
      const v = o[name];
      if (v === undefined || this.last[name] === v) continue;
      set(name, v as never);
      (this.last as Record<string, unknown>)[name] = v;
    }
  }
}
