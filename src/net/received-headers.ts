// Headers received over HTTP (a WebSocket handshake, an HTTP request or
// response): names lower-cased, as HTTP names are case-insensitive (Nim's
// HttpHeaders lower-cases them too), and a header sent several times joined
// with ", ", as HTTP allows. Built from Node's rawHeaders, which keeps every
// header as sent: Node's `headers` object drops some repeats and, being a
// plain object, any header named __proto__. The record has no prototype for
// the same reason; ops makes the min dict of it.
export function receivedHeaders(raw: string[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (let k = 0; k + 1 < raw.length; k += 2) {
    const name = raw[k]!.toLowerCase();
    const prev = out[name];
    out[name] = prev === undefined ? raw[k + 1]! : `${prev}, ${raw[k + 1]!}`;
  }
  return out;
}
