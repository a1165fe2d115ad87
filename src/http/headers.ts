// Headers between min and Node. What comes from the network has lower-case
// names (HTTP names are case-insensitive, and Nim's HttpHeaders lower-cases
// them too), and a header sent several times arrives as one value joined
// with ", ", as HTTP allows.

/** Node's received headers (rawHeaders keeps every occurrence), with no prototype whatever names a peer sends. */
export function receivedHeaders(raw: string[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (let k = 0; k + 1 < raw.length; k += 2) {
    const name = raw[k]!.toLowerCase();
    const prev = out[name];
    out[name] = prev === undefined ? raw[k + 1]! : `${prev}, ${raw[k + 1]!}`;
  }
  return out;
}

/** Delete a header whatever the case of its name. */
export function dropHeader(h: Record<string, string>, name: string): void {
  for (const k of Object.keys(h)) if (k.toLowerCase() === name) delete h[k];
}

export const hasHeader = (h: Record<string, string>, name: string): boolean =>
  Object.keys(h).some((k) => k.toLowerCase() === name);
