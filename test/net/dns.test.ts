// DNS: dns-resolve, dns-reverse and dns-servers against a small DNS server
// of the test's own (dns-server.ts: UDP on 127.0.0.1, port 0, the wire
// format written by hand), and dns-lookup through the system resolver for names the
// hosts file knows. Nothing is ever asked of a real DNS server.
import { afterEach, describe, expect, it } from 'vitest';
import { catching, min, minOk } from './peers.js';
import { dnsServer as startDnsServer } from './dns-server.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function dnsServer(host: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<{ port: number; queries: number }> {
  const s = await startDnsServer(host);
  closers.push(() => s.close());
  return s;
}

// ---- the tests ------------------------------------------------------------------

describe('dns-resolve', () => {
  it('gives each record type in its shape', async () => {
    const srv = await dnsServer();
    const out = await minOk(`("127.0.0.1:${srv.port}") dns-servers
      "example.test" "a" dns-resolve puts!
      "example.test" "AAAA" dns-resolve puts!
      "example.test" "mx" dns-resolve puts!
      "example.test" "txt" dns-resolve puts!
      "example.test" "ns" dns-resolve puts!
      "www.example.test" "cname" dns-resolve puts!
      "_sip._tcp.example.test" "srv" dns-resolve puts!
      "example.test" "soa" dns-resolve first :soa soa /serial puts! soa /hostmaster puts! soa /minttl puts!
      "example.test" "caa" dns-resolve puts!
      "1.2.0.192.in-addr.arpa" "ptr" dns-resolve puts!
      "192.0.2.1" dns-reverse puts!`);
    expect(out.split('\n')).toEqual([
      '("192.0.2.1" "192.0.2.2")',
      '("2001:db8::1")',
      '({"mail.example.test" :exchange 10 :priority} {"backup.example.test" :exchange 20 :priority})',
      '("v=spf1 -all" "hello, world")',
      '("ns1.example.test")',
      '("example.test")',
      '({"sip.example.test" :name 5060 :port 10 :priority 5 :weight})',
      '2026120201',
      'admin.example.test',
      '300',
      '({0 :critical "issue" :tag "ca.example" :value})',
      '("example.test")',
      '("example.test")',
      '',
    ]);
  });

  it('tells no such name, no data, refused, a server failure and timed out apart', async () => {
    const srv = await dnsServer();
    const t0 = Date.now();
    const r = await min(`("127.0.0.1:${srv.port}") dns-servers
      ${['"nx.example.test" "a"', '"empty.example.test" "a"', '"example.test" "srv"', '"refused.example.test" "a"', '"broken.example.test" "a"', '"silent.example.test" "a"']
        .map((q) => `((${q} dns-resolve) (:e e /error print! " " print! e /code print! " " print! e /message puts!)) try`)
        .join('\n')}`);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      "DnsError no-such-name cannot resolve A records of 'nx.example.test': no such name",
      "DnsError no-data cannot resolve A records of 'empty.example.test': no data (the name has no records of this type)",
      "DnsError no-data cannot resolve SRV records of 'example.test': no data (the name has no records of this type)",
      "DnsError refused cannot resolve A records of 'refused.example.test': refused by the DNS server",
      "DnsError failed cannot resolve A records of 'broken.example.test': the DNS server failed (SERVFAIL)",
      "DnsError timed-out cannot resolve A records of 'silent.example.test': timed out (no answer from the DNS server)",
      '',
    ]);
    // The silent server was asked again (tries) before the query gave up, within its bound.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(srv.queries).toBeGreaterThanOrEqual(7);
  }, 60_000);

  it('refuses bad names, types and servers before asking anything', async () => {
    const srv = await dnsServer();
    const out = await minOk(`("127.0.0.1:${srv.port}") dns-servers
      ${catching('"bad name" "a" dns-resolve')}
      ${catching('"example.test" "any" dns-resolve')}
      ${catching('"example" dns-reverse')}
      ${catching('("localhost") dns-servers')}
      ${catching('(53) dns-servers')}
      ${catching('"a" 50000 repeat "a" dns-resolve')}`);
    expect(out.split('\n')).toEqual([
      "DnsError cannot resolve A records of 'bad name': not a valid host name",
      "NetError dns-resolve: unknown record type 'any' (use a, aaaa, mx, txt, ns, cname, srv, soa, caa, ptr)",
      'DnsError cannot find the names of example: not an IP address',
      "NetError dns-servers: 'localhost' is not a server address (an IP address, with :PORT if not 53; [::1]:5353 for IPv6)",
      'NetError dns-servers takes a quotation of strings ("127.0.0.1:5353"), got 53 in it',
      // A huge name is quoted by its start only.
      `DnsError cannot resolve A records of '${'a'.repeat(57)}...': not a valid host name`,
      '',
    ]);
    expect(srv.queries).toBe(0);
  });

  it('asks a server on IPv6 loopback, and goes back to the system servers with ()', async () => {
    const srv = await dnsServer('::1');
    const out = await minOk(`("[::1]:${srv.port}") dns-servers "example.test" "aaaa" dns-resolve puts!
      () dns-servers`);
    expect(out).toBe('("2001:db8::1")\n');
    expect(srv.queries).toBe(1);
  });

  it('keeps the servers of each program to itself', async () => {
    const a = await dnsServer();
    const b = await dnsServer();
    const [x, y] = await Promise.all([
      minOk(`("127.0.0.1:${a.port}") dns-servers "example.test" "a" dns-resolve size puts!`),
      minOk(`("127.0.0.1:${b.port}") dns-servers "example.test" "a" dns-resolve size puts! "example.test" "a" dns-resolve size puts!`),
    ]);
    expect([x, y]).toEqual(['2\n', '2\n2\n']);
    expect([a.queries, b.queries]).toEqual([1, 2]);
  });
});

describe('dns-lookup', () => {
  it('resolves through the system resolver, as connect does', async () => {
    const out = await minOk(`"localhost" dns-lookup "127.0.0.1" in? puts!
      "::1" dns-lookup puts!
      ${catching('"no such host!" dns-lookup')}`);
    expect(out).toBe('true\n("::1")\nDnsError cannot look up \'no such host!\': not a valid host name\n');
  });
});
