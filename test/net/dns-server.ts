// A tiny DNS server for tests (UDP on 127.0.0.1, port 0), with the wire
// format written by hand: it answers from the fixed zone below, with
// NXDOMAIN, REFUSED or SERVFAIL for the names meant to fail, and never for
// silent.example.test (a server that does not answer). No compression in
// what it reads; answers point back at the question's name.
import dgram from 'node:dgram';


const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, CAA: 257 } as const;
type TypeName = keyof typeof TYPES;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => Buffer.from([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const text = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);

function ipv6(a: string): Buffer {
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}

/** A record's data, encoded for the answer section. */
type Answer = [TypeName, Buffer];

const ZONE: Record<string, Partial<Record<TypeName, Buffer[]>> | 'nxdomain' | 'refused' | 'silent' | 'servfail'> = {
  'example.test': {
    A: [Buffer.from([192, 0, 2, 1]), Buffer.from([192, 0, 2, 2])],
    AAAA: [ipv6('2001:db8::1')],
    MX: [Buffer.concat([u16(10), encodeName('mail.example.test')]), Buffer.concat([u16(20), encodeName('backup.example.test')])],
    TXT: [text('v=spf1 -all'), Buffer.concat([text('hello, '), text('world')])],
    NS: [encodeName('ns1.example.test')],
    SOA: [Buffer.concat([encodeName('ns1.example.test'), encodeName('admin.example.test'), u32(2026120201), u32(7200), u32(900), u32(1209600), u32(300)])],
    CAA: [Buffer.concat([Buffer.from([0, 5]), Buffer.from('issue'), Buffer.from('ca.example')])],
  },
  'www.example.test': { CNAME: [encodeName('example.test')] },
  '_sip._tcp.example.test': { SRV: [Buffer.concat([u16(10), u16(5), u16(5060), encodeName('sip.example.test')])] },
  '1.2.0.192.in-addr.arpa': { PTR: [encodeName('example.test')] },
  'empty.example.test': {},
  'nx.example.test': 'nxdomain',
  'refused.example.test': 'refused',
  'broken.example.test': 'servfail',
  'silent.example.test': 'silent',
};

/** The question of a query: its name (labels, no compression in queries) and type. */
function question(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (msg[at]! !== 0) {
    const n = msg[at]!;
    labels.push(msg.toString('ascii', at + 1, at + 1 + n));
    at += n + 1;
  }
  at += 1;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at), end: at + 4 };
}

function answer(query: Buffer): Buffer | null {
  const q = question(query);
  const entry = ZONE[q.name];
  if (entry === 'silent') return null;
  const rcode = entry === undefined || entry === 'nxdomain' ? 3 : entry === 'refused' ? 5 : entry === 'servfail' ? 2 : 0;
  const answers: Answer[] = [];
  if (typeof entry === 'object') {
    for (const [t, datas] of Object.entries(entry) as [TypeName, Buffer[]][]) {
      if (TYPES[t] === q.type) for (const d of datas) answers.push([t, d]);
    }
  }
  const rd = query[2]! & 0x01;
  const header = Buffer.concat([query.subarray(0, 2), Buffer.from([0x84 | rd, 0x80 | rcode]), u16(1), u16(answers.length), u16(0), u16(0)]);
  // Each answer names the question by a pointer to offset 12.
  const records = answers.map(([t, d]) => Buffer.concat([u16(0xc00c), u16(TYPES[t]), u16(1), u32(60), u16(d.length), d]));
  return Buffer.concat([header, query.subarray(12, q.end), ...records]);
}

/** The server on 127.0.0.1 or ::1 (port 0); `queries` counts what it was asked. */
export async function dnsServer(host: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<{ port: number; queries: number; close(): void }> {
  const sock = dgram.createSocket(host === '::1' ? 'udp6' : 'udp4');
  const state = { port: 0, queries: 0, close: () => sock.close() };
  sock.on('message', (m, r) => {
    state.queries++;
    const a = answer(m);
    if (a) sock.send(a, r.port, r.address);
  });
  await new Promise<void>((r) => sock.bind(0, host, r));
  state.port = sock.address().port;
  return state;
}
