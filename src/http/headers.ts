// Headers between min dicts and Node. A dict maps a header name to a string;
// what comes from the network has lower-case names (HTTP names are
// case-insensitive, and Nim's HttpHeaders lower-cases them too), and a header
// sent several times arrives as one value joined with ", ", as HTTP allows.
import { Dict, Flt, isStringLike, strOf, type Value } from '../lang/values.js';
import { Scope, valueEntry } from '../lang/scope.js';
import { show } from '../lang/printer.js';
import { keyOf } from '../net/keys.js';
import { badKey, httpError } from './errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE = /^[^\r\n\0]*$/;

/** The headers of a request or response dict (`owner` names it in errors). */
export function headersFrom(v: Value | undefined, owner: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!(v instanceof Dict)) throw badKey(owner, 'headers', 'a dict of strings', v);
  const out: Record<string, string> = {};
  for (const name of v.scope.names()) {
    const h = keyOf(v, name);
    if (h === undefined || h === null) continue;
    const value = isStringLike(h) ? strOf(h) : typeof h === 'number' || h instanceof Flt ? show(h) : null;
    if (value === null) throw httpError(`The header ${name} must be a string, got ${show(h)}`);
    if (!TOKEN.test(name)) throw httpError(`Invalid header name ${show(name)}`);
    if (!VALUE.test(value)) throw httpError(`Invalid value for header ${name}: it may not contain line breaks`);
    out[name] = value;
  }
  return out;
}

/** Node's received headers as a dict. */
export function headersDict(raw: string[]): Dict {
  const s = new Scope(null);
  const seen = new Map<string, string>();
  // rawHeaders keeps every occurrence (Node drops or merges some in `headers`).
  for (let k = 0; k + 1 < raw.length; k += 2) {
    const name = raw[k]!.toLowerCase();
    const prev = seen.get(name);
    seen.set(name, prev === undefined ? raw[k + 1]! : `${prev}, ${raw[k + 1]!}`);
  }
  for (const [name, value] of seen) s.set(name, valueEntry(value));
  return new Dict(s);
}

/** Delete a header whatever the case of its name. */
export function dropHeader(h: Record<string, string>, name: string): void {
  for (const k of Object.keys(h)) if (k.toLowerCase() === name) delete h[k];
}

export const hasHeader = (h: Record<string, string>, name: string): boolean =>
  Object.keys(h).some((k) => k.toLowerCase() === name);
