// DNS: names through the system resolver (what connect uses), and records
// asked of DNS servers with Node's c-ares Resolver, whose timeout and tries
// bound every query. Failures are DnsErrors with a `code` for each kind of
// answer a script may want to tell apart: no-such-name (NXDOMAIN), no-data
// (the name exists, the type does not), timed-out, refused, and failed for
// the rest (a server failure, a malformed answer...).
import type { promises as DnsPromises } from 'node:dns';
import { dns as loadDns, net as loadNet } from '../lib/builtins.js';
import { MinError } from '../core/errors.js';
import { bounded } from './bounded.js';
import { NET_ERROR, brief } from './errors.js';
import type { Detail } from './transport.js';

export const DNS_ERROR = 'DnsError';

/** Milliseconds c-ares gives a server on the first try (later tries wait longer), and the tries per server. */
export const DNS_TIMEOUT_MS = 2000;
export const DNS_TRIES = 2;
/** getaddrinfo cannot be cancelled; a lookup is given up after this long. */
export const LOOKUP_TIMEOUT_MS = 15_000;

export type DnsCode = 'no-such-name' | 'no-data' | 'timed-out' | 'refused' | 'bad-name' | 'failed';

const CODES: Record<string, [DnsCode, string]> = {
  ENOTFOUND: ['no-such-name', 'no such name'],
  EAI_NONAME: ['no-such-name', 'no such name'],
  ENODATA: ['no-data', 'no data (the name has no records of this type)'],
  EAI_NODATA: ['no-data', 'no data (the name has no addresses)'],
  ETIMEOUT: ['timed-out', 'timed out (no answer from the DNS server)'],
  EREFUSED: ['refused', 'refused by the DNS server'],
  ECONNREFUSED: ['refused', 'refused (nothing answers DNS at the server address)'],
  ESERVFAIL: ['failed', 'the DNS server failed (SERVFAIL)'],
  EFORMERR: ['failed', 'the DNS server could not read the query (FORMERR)'],
  EBADRESP: ['failed', 'malformed answer from the DNS server'],
  EBADNAME: ['bad-name', 'not a valid host name'],
  ENOTIMP: ['failed', 'the DNS server does not implement this query'],
  EAI_AGAIN: ['failed', 'temporary failure of the system resolver'],
  ECANCELLED: ['failed', 'the query was cancelled'],
};

export function dnsError(context: string, code: DnsCode, why: string): MinError {
  const e = new MinError(`${context}: ${why}`, DNS_ERROR);
  e.code = code;
  return e;
}

function failure(context: string, e: unknown): MinError {
  if (e instanceof MinError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const known = typeof code === 'string' ? CODES[code] : undefined;
  if (known) return dnsError(context, known[0], known[1]);
  return dnsError(context, 'failed', e instanceof Error ? e.message : String(e));
}

/** Letters, digits, hyphens, underscores and dots, 253 at most, labels of 63 at most. */
const HOST_NAME = /^(?=.{1,253}\.?$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

function checkName(context: string, name: string): void {
  if (!HOST_NAME.test(name)) throw dnsError(context, 'bad-name', 'not a valid host name');
}

/** `dns-lookup`: the IPv4 and IPv6 addresses of `host` as the system resolves it (hosts file included). */
export async function lookup(host: string): Promise<string[]> {
  const context = `cannot look up '${brief(host)}'`;
  if (loadNet().isIP(host) !== 0) return [host];
  checkName(context, host);
  const dns = loadDns();
  return bounded<string[]>(LOOKUP_TIMEOUT_MS, `looking up ${brief(host)}`, ({ resolve, reject }) => {
    dns.promises.lookup(host, { all: true, verbatim: true }).then(
      (rs) => resolve([...new Set(rs.map((r) => r.address))]),
      (e) => reject(failure(context, e)),
    );
  }).catch((e: unknown) => {
    if (e instanceof MinError && e.kind === 'TimeoutError') throw dnsError(context, 'timed-out', `timed out after ${LOOKUP_TIMEOUT_MS} ms`);
    throw e;
  });
}

export const RECORD_TYPES = ['a', 'aaaa', 'mx', 'txt', 'ns', 'cname', 'srv', 'soa', 'caa', 'ptr'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

type Resolver = DnsPromises.Resolver;
type DetailRecord = { [key: string]: Detail };

/** Each record type's query, and its answer as plain values (strings, or records with min's key names). */
const QUERIES: { [T in RecordType]: (r: Resolver, name: string) => Promise<Detail[]> } = {
  a: (r, n) => r.resolve4(n),
  aaaa: (r, n) => r.resolve6(n),
  mx: async (r, n) => (await r.resolveMx(n)).map((m) => ({ exchange: m.exchange, priority: m.priority })),
  // A TXT record is a list of strings of at most 255 bytes each; they make one text.
  txt: async (r, n) => (await r.resolveTxt(n)).map((parts) => parts.join('')),
  ns: (r, n) => r.resolveNs(n),
  cname: (r, n) => r.resolveCname(n),
  srv: async (r, n) => (await r.resolveSrv(n)).map((s) => ({ name: s.name, port: s.port, priority: s.priority, weight: s.weight })),
  soa: async (r, n) => {
    const s = await r.resolveSoa(n);
    return [{ nsname: s.nsname, hostmaster: s.hostmaster, serial: s.serial, refresh: s.refresh, retry: s.retry, expire: s.expire, minttl: s.minttl }];
  },
  caa: async (r, n) =>
    (await r.resolveCaa(n)).map((c): DetailRecord => {
      const tag = (['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone'] as const).find((t) => typeof c[t] === 'string');
      return { critical: c.critical, tag: tag ?? '', value: tag ? (c[tag] as string) : '' };
    }),
  ptr: (r, n) => r.resolvePtr(n),
};

/**
 * The DNS servers one program asks (`dns-servers`), the system's until it
 * sets its own. Queries still running when the program ends are cancelled.
 */
export class DnsClient {
  private resolver: Resolver | null = null;
  private servers: string[] | null = null;

  private get(): Resolver {
    if (this.resolver === null) {
      const r = new (loadDns().promises.Resolver)({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
      if (this.servers !== null) r.setServers(this.servers);
      this.resolver = r;
    }
    return this.resolver;
  }

  /** `dns-servers`: addresses with an optional port ("127.0.0.1:5353", "[::1]:53", "::1"); none: the system's again. */
  setServers(list: string[]): void {
    const net = loadNet();
    for (const s of list) {
      const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([\d.]+)(?::(\d+))?$/.exec(s) ?? /^([0-9A-Fa-f:]+)()$/.exec(s);
      const port = m?.[2] ? Number(m[2]) : 53;
      if (!m || net.isIP(m[1]!) === 0 || port < 1 || port > 65535) {
        throw new MinError(`dns-servers: '${brief(s)}' is not a server address (an IP address, with :PORT if not 53; [::1]:5353 for IPv6)`, NET_ERROR);
      }
    }
    this.resolver?.cancel();
    this.resolver = null;
    this.servers = list.length === 0 ? null : list;
  }

  async resolve(name: string, type: string): Promise<Detail[]> {
    const t = type.toLowerCase() as RecordType;
    if (!RECORD_TYPES.includes(t)) {
      throw new MinError(`dns-resolve: unknown record type '${brief(type)}' (use ${RECORD_TYPES.join(', ')})`, NET_ERROR);
    }
    const context = `cannot resolve ${t.toUpperCase()} records of '${brief(name)}'`;
    checkName(context, name);
    try {
      return await QUERIES[t](this.get(), name);
    } catch (e) {
      throw failure(context, e);
    }
  }

  async reverse(address: string): Promise<string[]> {
    const context = `cannot find the names of ${brief(address)}`;
    if (loadNet().isIP(address) === 0) throw dnsError(context, 'bad-name', 'not an IP address');
    try {
      return await this.get().reverse(address);
    } catch (e) {
      throw failure(context, e);
    }
  }

  destroy(): void {
    this.resolver?.cancel();
  }
}
