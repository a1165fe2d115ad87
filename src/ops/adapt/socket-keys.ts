// Reading and writing the keys of a socket dict (and of the dicts given to
// listen, start-server and request). Each operation reads them from the dict
// it is given, so a dict made with dset (`c 100 %timeout @c`) brings its new
// `timeout` to the next operation it is given to. Values are read
// as they were stored: a string `define`d into a dict is still that string.
import { MinError } from '../../core/errors.js';
import { EntryKind, valueEntry } from '../../core/scope.js';
import { storedValue, makeDict } from '../../core/dict.js';
import type { OpContext } from '../../core/context.js';
import { Dict, Flt, Sym, isStringLike, strOf, type Value } from '../../core/values.js';
import { show, showShort } from '../../core/printer.js';
import { NET_ERROR } from '../../net/errors.js';
import type { Ms } from '../../net/bounded.js';
import type { Detail, SocketKeys } from '../../net/transport.js';
import { ProgramState, type Runtime } from '../../core/runtime.js';
import { headerProblem } from '../../net/header-check.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, DEFAULT_MAX_RECV, byteLimitProblem } from '../../net/limits.js';

/**
 * A dict literal keeps symbols unevaluated (`{port :port}`, `{'ipv6 :domain}`);
 * the socket needs their values, looked up where the operator runs.
 */
export function resolved(i: OpContext, d: Dict): Dict {
  const s = d.scope.copy();
  for (const [k, e] of s.symbols ?? []) {
    if (e.kind !== EntryKind.Native && e.val instanceof Sym) s.set(k, valueEntry(symbolValue(i, e.val)));
  }
  return new Dict(s, d.type, d.handle);
}

function symbolValue(i: OpContext, sym: Sym): Value {
  // A symbol read from JSON is data: it never reads the script's variables.
  if (sym.inert) return sym;
  const name = sym.name;
  if (name.length > 1 && name.startsWith("'")) return [new Sym(name.slice(1))];
  const e = i.resolve(name);
  if (e === undefined || e.kind === EntryKind.Native || Array.isArray(e.val) || e.val instanceof Sym) return sym;
  return e.val;
}

/** A string-valued key (a string or a quoted symbol), or `fallback` when absent. */
export function stringKey(d: Dict, key: string, fallback: string): string;
export function stringKey(d: Dict, key: string, fallback: null): string | null;
export function stringKey(d: Dict, key: string, fallback: string | null): string | null {
  const v = storedValue(d, key);
  if (v === undefined || v === null) return fallback;
  if (!isStringLike(v)) throw new MinError(`The socket's ${key} must be a string, got ${showShort(v)}`, NET_ERROR);
  return strOf(v);
}

export function portKey(d: Dict, fallback: number): number {
  const v = storedValue(d, 'port');
  return v === undefined || v === null ? fallback : checkPort(v);
}

export function checkPort(v: Value): number {
  if (typeof v !== 'number' || v < 0 || v > 65535) {
    throw new MinError(`Invalid port ${showShort(v)}: ports go from 0 to 65535`, NET_ERROR);
  }
  return v;
}

/**
 * A time limit given in milliseconds: null (no limit) for 0 or less, capped
 * at what a timer can wait; undefined when `v` is not a number.
 */
export function millis(v: Value): Ms | undefined {
  const ms = typeof v === 'number' ? v : v instanceof Flt ? v.v : NaN;
  if (Number.isNaN(ms)) return undefined;
  return ms <= 0 ? null : Math.min(ms, 0x7fffffff);
}

/** The `timeout` key in milliseconds; absent, null, 0 or less means no limit. */
export function timeoutOf(d: Dict): Ms {
  const v = storedValue(d, 'timeout');
  if (v === undefined || v === null) return null;
  const ms = millis(v);
  if (ms === undefined) throw new MinError(`The socket's timeout must be a number of milliseconds, got ${showShort(v)}`, NET_ERROR);
  return ms;
}

export interface HeaderRules {
  /** Whose headers, for messages: "The socket's headers must be...". */
  owner: string;
  /** Whose header a bad one is, for messages ("response header X", or "" for plain "header X"). */
  headerOwner: string;
  /** A header whose value is null is left out (http) rather than refused (WebSockets). */
  skipNull: boolean;
  error: (message: string) => MinError;
}

/**
 * The headers of a dict as names and values: numbers are written as min
 * writes them, and each header must be one HTTP can carry (header-check.ts).
 * The result has no prototype, so a header named __proto__ or constructor is
 * a header like any other.
 */
export function headersFrom(v: Value | undefined, rules: HeaderRules): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (v === undefined || v === null) return out;
  if (!(v instanceof Dict)) throw rules.error(`The ${rules.owner}'s headers must be a dict of strings, got ${showShort(v)}`);
  const which = rules.headerOwner ? `${rules.headerOwner} header` : 'header';
  for (const name of v.scope.names()) {
    const h = storedValue(v, name);
    if (h === undefined || (h === null && rules.skipNull)) continue;
    const value = isStringLike(h) ? strOf(h) : typeof h === 'number' || h instanceof Flt ? show(h) : null;
    if (value === null) throw rules.error(`The ${which} ${name} must be a string, got ${showShort(h)}`);
    const problem = headerProblem(name, value, rules.headerOwner);
    if (problem) throw rules.error(problem);
    out[name] = value;
  }
  return out;
}

/**
 * A limit in bytes under `key` (max-line, max-body...): `fallback` when
 * absent; `refuse` makes the error from the words after "must be".
 */
export function byteLimitKey(d: Dict, key: string, fallback: number, refuse: (want: string, v: Value) => MinError, least = 1): number {
  const v = storedValue(d, key);
  if (v === undefined || v === null) return fallback;
  const problem = byteLimitProblem(v, least);
  if (problem !== null) throw refuse(problem, v);
  return v as number;
}

const socketLimit = (d: Dict, key: string, fallback: number): number =>
  byteLimitKey(d, key, fallback, (want, v) => netError(`The socket's ${key} must be ${want}, got ${showShort(v)}`));

export const maxLineOf = (d: Dict): number => socketLimit(d, 'max-line', DEFAULT_MAX_LINE);
export const maxRecvOf = (d: Dict): number => socketLimit(d, 'max-recv', DEFAULT_MAX_RECV);
export const maxBytesOf = (d: Dict): number => socketLimit(d, 'max-bytes', DEFAULT_MAX_BYTES);

const netError = (message: string): MinError => new MinError(message, NET_ERROR);

/**
 * SocketKeys over dicts, the first holding a key winning (for listen: the
 * dict naming the address, then the socket's own). `owner` names them in
 * messages: a request dict's TLS keys are read by the same code.
 */
export function socketKeys(dicts: Dict[], rt: Runtime, owner = 'socket'): SocketKeys {
  const lookup = (key: string): Value | undefined => {
    for (const d of dicts) {
      const v = storedValue(d, key);
      if (v !== undefined && v !== null) return v;
    }
    return undefined;
  };
  const bad = (key: string, must: string, v: Value): MinError => netError(`The ${owner}'s ${key} must ${must}, got ${showShort(v)}`);
  return {
    owner,
    string(key, must = 'be a string') {
      const v = lookup(key);
      if (v === undefined) return null;
      if (!isStringLike(v)) throw bad(key, must, v);
      return strOf(v);
    },
    boolean(key, must = 'be true or false') {
      const v = lookup(key);
      if (v === undefined) return null;
      if (typeof v !== 'boolean') throw bad(key, must, v);
      return v;
    },
    millis(key, must = 'be a number of milliseconds') {
      const v = lookup(key);
      if (v === undefined) return undefined;
      const ms = millis(v);
      if (ms === undefined) throw bad(key, must, v);
      return ms;
    },
    bytes(key, fallback) {
      const v = lookup(key);
      if (v === undefined) return fallback;
      const problem = byteLimitProblem(v);
      if (problem !== null) throw bad(key, `be ${problem}`, v);
      return v as number;
    },
    strings(key, must) {
      const v = lookup(key);
      if (v === undefined) return null;
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(key, must, v);
      return v as string[];
    },
    headers(key) {
      const v = lookup(key);
      if (v === undefined) return null;
      return headersFrom(v, { owner, headerOwner: '', skipNull: false, error: netError });
    },
    warn(text) {
      warnOnce(rt, text);
    },
    unusable(key, must, value) {
      return bad(key, must, value);
    },
  };
}

/**
 * A min value for what a connection reports: lists become quotations and
 * records dicts (headers, the `tls` dict). Details are made by net itself
 * and nest at most three deep, so recursion is bounded.
 */
export function detailValue(v: Detail): Value {
  if (Array.isArray(v)) return v.map(detailValue);
  if (typeof v === 'object') return makeDict(Object.keys(v).map((k) => [k, detailValue(v[k]!)]));
  return v;
}

/** The warnings a program was given already (SocketKeys.warn prints each once). */
const warnedOf = new ProgramState(() => new Set<string>());

/** Writes `text` on the program's standard error the first time it is asked for. */
export function warnOnce(rt: Runtime, text: string): void {
  const warned = warnedOf.of(rt);
  if (warned.has(text)) return;
  warned.add(text);
  rt.err.write(text + '\n');
}
