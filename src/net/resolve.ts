// Host names resolve in the socket's own domain: "localhost" on an ipv4
// socket is 127.0.0.1, on an ipv6 socket ::1 (when the system knows it).
import { dns, net } from '../lib/builtins.js';
import { MinError } from '../core/errors.js';
import { NET_ERROR, brief, netError } from './errors.js';
import type { Domain } from './transport.js';

const FAMILY = { ipv4: 4, ipv6: 6 } as const;

/** Letters, digits, hyphens, underscores and dots: anything else cannot be a host name. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** The IP address to use for `host` on a socket of `domain` (ipv4 or ipv6). */
export async function resolveHost(host: string, domain: Exclude<Domain, 'unix'>): Promise<string> {
  const family = FAMILY[domain];
  const literal = net().isIP(host);
  if (literal !== 0) {
    if (literal !== family) throw new MinError(`${brief(host)} is not an ${domain} address`, NET_ERROR);
    return host;
  }
  if (!HOST_NAME.test(host)) throw new MinError(`cannot resolve '${brief(host)}': host not found (not a valid host name)`, NET_ERROR);
  try {
    const r = await dns().promises.lookup(host, { family });
    return r.address;
  } catch (e) {
    throw netError(`cannot resolve '${brief(host)}'`, e);
  }
}
