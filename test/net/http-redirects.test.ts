// Credentials do not follow a redirect to another origin: request,
// get-content and download drop Authorization, Cookie and
// Proxy-Authorization (and a Host the script set) when the scheme, host or
// port changes, and keep them on the same origin. Two Node servers on
// loopback, on different ports, record what each request carried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { catching, minOk, tempDir } from './peers.js';

interface Seen {
  server: 'first' | 'second';
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Node's parsed headers lose one named __proto__; the raw list keeps it. */
  rawHeaders: string[];
  body: string;
}

let seen: Seen[] = [];
let first = '';
let second = '';

/** `/to-second/STATUS/PATH` redirects to the other server, `/to-here/STATUS/PATH` to the same one, `/to-localhost/...` to this port by name. */
function recorder(name: Seen['server']): http.Server {
  return http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      seen.push({ server: name, method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(parts).toString() });
      const m = /^\/(to-second|to-here|to-localhost)\/(\d+)(\/.*)$/.exec(req.url!);
      if (m) {
        const port = (req.socket.address() as AddressInfo).port;
        const target = m[1] === 'to-second' ? second + m[3] : m[1] === 'to-localhost' ? `http://localhost:${port}${m[3]}` : m[3];
        res.writeHead(Number(m[2]), { Location: target });
        return void res.end();
      }
      res.end(`${name} ${req.url}`);
    });
  });
}

const servers = [recorder('first'), recorder('second')];
beforeAll(async () => {
  const urls = await Promise.all(
    servers.map((s) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)))),
  );
  [first, second] = urls as [string, string];
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const CREDENTIALS = `{"Bearer secret" :Authorization "session=abc" :Cookie "Basic cHJveHk6cHc=" :Proxy-Authorization "kept" :X-Other}`;

async function requestThrough(path: string, extra = ''): Promise<Seen[]> {
  seen = [];
  const out = await minOk(`{${JSON.stringify(first + path)} :url ${CREDENTIALS} :headers ${extra}} request /body puts!`);
  expect(out).toMatch(/^(first|second) \//);
  return seen;
}

const credentialsOf = (s: Seen) => [s.headers.authorization, s.headers.cookie, s.headers['proxy-authorization']];

describe('request', () => {
  it('drops the credentials on a redirect to another port, and keeps the other headers', async () => {
    const [a, b] = await requestThrough('/to-second/302/landed');
    expect(credentialsOf(a!)).toEqual(['Bearer secret', 'session=abc', 'Basic cHJveHk6cHc=']);
    expect([b!.server, b!.url]).toEqual(['second', '/landed']);
    expect(credentialsOf(b!)).toEqual([undefined, undefined, undefined]);
    expect(b!.headers['x-other']).toBe('kept');
  });

  it('keeps them on a redirect within the origin', async () => {
    const [, b] = await requestThrough('/to-here/301/same');
    expect([b!.server, b!.url]).toEqual(['first', '/same']);
    expect(credentialsOf(b!)).toEqual(['Bearer secret', 'session=abc', 'Basic cHJveHk6cHc=']);
  });

  it('another host name for the same address and port is another origin', async () => {
    const [, b] = await requestThrough('/to-localhost/302/by-name');
    expect([b!.server, b!.url, b!.headers.host]).toEqual(['first', '/by-name', `localhost:${new URL(first).port}`]);
    expect(credentialsOf(b!)).toEqual([undefined, undefined, undefined]);
  });

  it('a 307 repeats the POST and its body at the other origin, without the credentials or the Host the script set', async () => {
    const [a, b] = await requestThrough('/to-second/307/post', `"POST" :method "the body" :body`);
    expect([a!.method, a!.body]).toEqual(['POST', 'the body']);
    expect([b!.server, b!.method, b!.body]).toEqual(['second', 'POST', 'the body']);
    expect(credentialsOf(b!)).toEqual([undefined, undefined, undefined]);
    seen = [];
    await minOk(`{${JSON.stringify(first + '/to-second/307/host')} :url {"example.test" :Host "x" :Cookie} :headers} request pop`);
    expect(seen.map((s) => [s.server, s.headers.host, s.headers.cookie])).toEqual([
      ['first', 'example.test', 'x'],
      ['second', new URL(second).host, undefined],
    ]);
  });

  it('sends a header named __proto__, and refuses a header value HTTP cannot carry, naming it', async () => {
    seen = [];
    const out = await minOk(`{} "v" '__proto__ dset :h {${JSON.stringify(first + '/plain')} :url h :headers} request /status puts!
      {} "a\\nb" 'x-bad dset :bad ${catching(`{${JSON.stringify(first + '/plain')} :url bad :headers} request`)}`);
    expect(out).toBe(
      '200\nHttpError Invalid value for request header x-bad: it holds a line feed, and a header value can only be Latin-1 text without control characters or line breaks\n',
    );
    expect(seen).toHaveLength(1);
    const raw = seen[0]!.rawHeaders;
    expect(raw[raw.indexOf('__proto__') + 1]).toBe('v');
  });
});

describe('get-content and download', () => {
  const withUser = (path: string) => first.replace('http://', 'http://user:pw@') + path;
  const basic = `Basic ${Buffer.from('user:pw').toString('base64')}`;

  it('get-content: the password in the URL goes to its origin only', async () => {
    seen = [];
    expect(await minOk(`${JSON.stringify(withUser('/to-second/302/elsewhere'))} get-content puts!`)).toBe('second /elsewhere\n');
    expect(seen.map((s) => [s.server, s.headers.authorization])).toEqual([
      ['first', basic],
      ['second', undefined],
    ]);
    seen = [];
    expect(await minOk(`${JSON.stringify(withUser('/to-here/302/same'))} get-content puts!`)).toBe('first /same\n');
    expect(seen.map((s) => s.headers.authorization)).toEqual([basic, basic]);
  });

  it('download: the same', async () => {
    const tmp = tempDir();
    try {
      seen = [];
      await minOk(`${JSON.stringify(withUser('/to-second/303/file'))} ${JSON.stringify(tmp.path('f'))} download`);
      expect(readFileSync(tmp.path('f'), 'utf8')).toBe('second /file');
      expect(seen.map((s) => [s.server, s.headers.authorization])).toEqual([
        ['first', basic],
        ['second', undefined],
      ]);
    } finally {
      tmp.remove();
    }
  });
});
