// Headers received over HTTP (a WebSocket handshake, an HTTP request or
// response) as a min dict: names lower-cased, as HTTP names are
// case-insensitive (Nim's HttpHeaders lower-cases them too), and a header
// sent several times joined with ", ", as HTTP allows. Built from Node's
// rawHeaders, which keeps every header as sent: Node's `headers` object drops
// some repeats and, being a plain object, any header named __proto__.
import { Scope, valueEntry } from '../lang/scope.js';
import { Dict } from '../lang/values.js';

export function receivedHeaders(raw: string[]): Dict {
  const seen = new Map<string, string>();
  for (let k = 0; k + 1 < raw.length; k += 2) {
    const name = raw[k]!.toLowerCase();
    const prev = seen.get(name);
    seen.set(name, prev === undefined ? raw[k + 1]! : `${prev}, ${raw[k + 1]!}`);
  }
  const s = new Scope(null);
  for (const [name, value] of seen) s.set(name, valueEntry(value));
  return new Dict(s);
}
