// Headers between min and Node. What comes from the network has lower-case
// names and repeated headers joined (net/received-headers.ts). Header objects
// handed to Node have no prototype, so a header named __proto__ or
// constructor is a header like any other instead of vanishing into the
// object's prototype.
export type Headers = Record<string, string>;

export const noHeaders = (): Headers => Object.create(null) as Headers;

/** A copy that keeps every name, __proto__ included. */
export const copyHeaders = (h: Headers): Headers => Object.assign(noHeaders(), h);

/** Delete a header whatever the case of its name. */
export function dropHeader(h: Headers, name: string): void {
  for (const k of Object.keys(h)) if (k.toLowerCase() === name) delete h[k];
}

export const hasHeader = (h: Headers, name: string): boolean => Object.keys(h).some((k) => k.toLowerCase() === name);
