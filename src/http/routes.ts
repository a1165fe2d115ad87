// Route matching for start-server's `routes`: a route is written
// "METHOD /path/:name/*rest" and carries what to run (`H`, opaque here).
// Request paths are compared as segments after percent-decoding and
// dot-segment removal, so "/a/../b", "/a/%2e%2e/b" and "/b" are one path.
// A segment is split on "/" before it is decoded: "%2F" stays inside its
// segment (and a parameter may hold a "/"), it never makes a new one.
import { quoteString } from '../core/errors.js';
import { httpError } from './errors.js';

/** Methods a route may name besides HTTP's own tokens: ANY (every method) and WS (a WebSocket upgrade). */
export const ANY = 'ANY';
export const WS = 'WS';

export type RoutePart =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'rest'; name: string };

export interface Route<H> {
  /** Upper-case: GET, POST..., ANY or WS. */
  method: string;
  /** As written, for messages. */
  pattern: string;
  parts: RoutePart[];
  target: H;
}

/** A request path made comparable: its decoded segments (no empty ones, no dot segments). */
export interface RequestPath {
  segments: string[];
  /** The path ended with "/" (a directory, for static files). */
  trailingSlash: boolean;
  /** The part after "?", undecoded. */
  query: string;
}

const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Read "METHOD /path" into a route; a malformed one is an HttpError naming it. */
export function parseRoute<H>(spec: string, target: H): Route<H> {
  const m = /^\s*(\S+)\s+(\/\S*)\s*$/.exec(spec);
  const bad = (why: string) => httpError(`Invalid route ${quoteString(spec)}: ${why}`);
  if (!m) throw bad('expected a method and a path, as "GET /users/:id"');
  const method = m[1]!.toUpperCase();
  if (!METHOD.test(method)) throw bad(`${quoteString(m[1]!)} is not a method`);
  const written = m[2]!.split('/').filter((s) => s !== '');
  const parts: RoutePart[] = [];
  for (const [k, seg] of written.entries()) {
    if (seg.startsWith(':') || seg.startsWith('*')) {
      const name = seg.slice(1);
      if (!NAME.test(name)) throw bad(`${quoteString(seg)} needs a name of letters, digits, _ and -`);
      if (parts.some((p) => p.kind !== 'literal' && p.name === name)) throw bad(`the name ${name} is used twice`);
      if (seg[0] === '*' && k !== written.length - 1) throw bad(`${quoteString(seg)} takes the rest of the path, so it must come last`);
      parts.push(seg[0] === ':' ? { kind: 'param', name } : { kind: 'rest', name });
    } else {
      const text = decodeSegment(seg);
      if (text === null || text === '.' || text === '..') throw bad(`${quoteString(seg)} is not a path segment`);
      parts.push({ kind: 'literal', text });
    }
  }
  return { method, pattern: `${method} /${written.join('/')}`, parts, target };
}

function decodeSegment(seg: string): string | null {
  try {
    return decodeURIComponent(seg);
  } catch {
    return null;
  }
}

/**
 * The path of a request target ("/a/b?x=1"), or null when it cannot be one:
 * not starting with "/" (an absolute URL or "*"), or a malformed percent escape.
 */
export function requestPath(target: string): RequestPath | null {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  if (!path.startsWith('/')) return null;
  const segments: string[] = [];
  const raw = path.split('/');
  for (const seg of raw) {
    const text = decodeSegment(seg);
    if (text === null) return null;
    if (text === '' || text === '.') continue;
    // Above the root is the root, as browsers and RFC 3986 have it.
    if (text === '..') segments.pop();
    else segments.push(text);
  }
  const last = decodeSegment(raw[raw.length - 1]!);
  return { segments, trailingSlash: last === '' || last === '.' || last === '..', query };
}

/** The path as the routes see it: "/" and the segments (a "/" inside one written as %2F). */
export const pathText = (p: RequestPath): string =>
  '/' + p.segments.map((s) => s.replace(/%/g, '%25').replace(/\//g, '%2F')).join('/');

export type RouteMatch<H> =
  | { kind: 'found'; route: Route<H>; params: Record<string, string> }
  /** Routes match the path, none with this method: answer 405 with these methods as Allow. */
  | { kind: 'method'; allow: string[] }
  /** Only a WS route matches the path, and the request is no upgrade: 426. */
  | { kind: 'upgrade' }
  | { kind: 'none' };

/** The parameters the route takes from the segments, or null when it does not match them. */
function paramsOf(parts: RoutePart[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = Object.create(null);
  for (const [k, part] of parts.entries()) {
    if (part.kind === 'rest') {
      params[part.name] = segments.slice(k).join('/');
      return params;
    }
    const seg = segments[k];
    if (seg === undefined) return null;
    if (part.kind === 'literal') {
      if (seg !== part.text) return null;
    } else params[part.name] = seg;
  }
  return segments.length === parts.length ? params : null;
}

/**
 * The first route that matches method and path. A WebSocket upgrade looks at
 * WS routes only; other requests at the others, HEAD also at GET routes.
 */
export function matchRoute<H>(routes: readonly Route<H>[], method: string, path: RequestPath, upgrade: boolean): RouteMatch<H> {
  const allow = new Set<string>();
  let wsOnly = false;
  for (const route of routes) {
    const params = paramsOf(route.parts, path.segments);
    if (params === null) continue;
    if (upgrade || route.method === WS) {
      if (upgrade && route.method === WS) return { kind: 'found', route, params };
      if (!upgrade) wsOnly = true;
      continue;
    }
    if (route.method === ANY || route.method === method || (method === 'HEAD' && route.method === 'GET')) {
      return { kind: 'found', route, params };
    }
    allow.add(route.method);
    if (route.method === 'GET') allow.add('HEAD');
  }
  if (allow.size > 0) return { kind: 'method', allow: [...allow] };
  return wsOnly ? { kind: 'upgrade' } : { kind: 'none' };
}

/** The query string as name/value pairs (a name given twice keeps its last value). */
export function queryOf(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(query)) out[k] = v;
  return out;
}
