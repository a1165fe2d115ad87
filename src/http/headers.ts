// Headers between min dicts and Node. A dict maps a header name to a string;
// what comes from the network has lower-case names and repeated headers
// joined (net/received-headers.ts). Header objects handed to Node have no
// prototype, so a header named __proto__ or constructor is a header like any
// other instead of vanishing into the object's prototype.
import { Dict, Flt, isStringLike, strOf, type Value } from '../lang/values.js';
import { show } from '../lang/printer.js';
import { keyOf } from '../net/keys.js';
import { headerProblem } from '../net/header-check.js';
import { receivedHeaders } from '../net/received-headers.js';
import { badKey, httpError } from './errors.js';

export type Headers = Record<string, string>;

export const noHeaders = (): Headers => Object.create(null) as Headers;

/** A copy that keeps every name, __proto__ included. */
export const copyHeaders = (h: Headers): Headers => Object.assign(noHeaders(), h);

/** The headers of a request or response dict (`owner` names it in errors). */
export function headersFrom(v: Value | undefined, owner: string): Headers {
  const out = noHeaders();
  if (v === undefined || v === null) return out;
  if (!(v instanceof Dict)) throw badKey(owner, 'headers', 'a dict of strings', v);
  for (const name of v.scope.names()) {
    const h = keyOf(v, name);
    if (h === undefined || h === null) continue;
    const value = isStringLike(h) ? strOf(h) : typeof h === 'number' || h instanceof Flt ? show(h) : null;
    if (value === null) throw httpError(`The ${owner} header ${name} must be a string, got ${show(h)}`);
    const problem = headerProblem(name, value, owner);
    if (problem) throw httpError(problem);
    out[name] = value;
  }
  return out;
}

/** Node's received headers (rawHeaders) as a dict. */
export const headersDict = receivedHeaders;

/** Delete a header whatever the case of its name. */
export function dropHeader(h: Headers, name: string): void {
  for (const k of Object.keys(h)) if (k.toLowerCase() === name) delete h[k];
}

export const hasHeader = (h: Headers, name: string): boolean => Object.keys(h).some((k) => k.toLowerCase() === name);
