// start-server facing hostile clients: a request body over max-body gets 413
// without being buffered and without running the handler (Content-Length,
// chunked, Expect: 100-continue; Node's http client and curl); a response
// header HTTP cannot carry gives a real 500 and names the header on stderr;
// a header named __proto__ goes through both ways.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { catching, minOk, tempDir } from './peers.js';
import { root, run, type Proc } from './cli.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

const MIB = 1 << 20;

const SERVER = (settings: string) => `
(
  :req req /url :url
  "handled $1 $2" (url req /body length) => % puts!
  (
    (("/newline" url ==) ({} {} "a\\nb" 'x-bad dset 'headers dset))
    (("/wide" url ==) ({} {} "caf\\u00e9 \\u4e2d" 'x-wide dset 'headers dset))
    (("/latin1" url ==) ({} {} "caf\\u00e9" 'x-latin1 dset 'headers dset))
    (("/proto" url ==) ({} {} "kept" '__proto__ dset req /headers /__proto__ 'x-seen dset 'headers dset))
    ((true) ({} req /body length string 'body dset))
  ) case
) :handler
{handler :handler 0 :port ${settings} (/port "listening on $1" swap quote % puts!) :started} start-server
`;

const tmp = tempDir();
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.child.kill();
});

async function startServer(settings = ''): Promise<{ port: number; proc: Proc }> {
  const file = tmp.path(`server-${procs.length}-${Date.now()}.min`);
  writeFileSync(file, SERVER(settings));
  const proc = run([file]);
  procs.push(proc);
  const port = Number((await proc.waitFor(/listening on (\d+)\n/))[1]);
  return { port, proc };
}

interface Reply {
  status: number;
  reason: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

const reply = (res: http.IncomingMessage, body: string): Reply => ({
  status: res.statusCode!,
  reason: res.statusMessage!,
  headers: res.headers,
  rawHeaders: res.rawHeaders,
  body,
});

/**
 * POST `size` bytes with Node's http client, declared (Content-Length) or
 * chunked, optionally waiting for 100 Continue. The response may come before
 * the body is all sent; the write errors that follow the server's close are
 * expected then.
 */
function post(port: number, size: number, how: 'length' | 'chunked' | 'continue', path = '/'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = how === 'chunked' ? {} : { 'Content-Length': size };
    if (how === 'continue') headers.Expect = '100-continue';
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(reply(res, body)));
      res.on('error', () => resolve(reply(res, body)));
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const chunk = Buffer.alloc(Math.min(size, MIB), 'b');
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    if (how === 'continue') req.once('continue', pump);
    else pump();
  });
}

const get = (port: number, path: string, headers: http.OutgoingHttpHeaders = {}) =>
  new Promise<Reply>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(reply(res, body)));
      })
      .on('error', reject);
  });

const peakRss = (pid: number): number => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe('max-body', () => {
  it('takes a body of exactly 1 MiB by default, and answers 413 to one byte more, declared or chunked, without running the handler', async () => {
    const { port, proc } = await startServer();
    const fits = await post(port, MIB, 'length', '/fits');
    expect([fits.status, fits.body]).toEqual([200, String(MIB)]);
    for (const how of ['length', 'chunked', 'continue'] as const) {
      const r = await post(port, MIB + 1, how, `/${how}`);
      expect([r.status, r.reason, r.headers.connection, r.body]).toEqual([413, 'Payload Too Large', 'close', 'Request body too large\n']);
    }
    // The server carries on, and only the requests that fitted reached the handler.
    expect((await post(port, 5, 'chunked', '/small')).body).toBe('5');
    await proc.waitFor(/handled \/small 5\n/);
    expect(proc.out()).toMatch(/\nhandled \/fits 1048576\nhandled \/small 5\n$/);
  });

  it('never buffers a refused body: 256 MiB declared and 256 MiB chunked leave the server small', async () => {
    const { port, proc } = await startServer();
    expect((await post(port, 256 * MIB, 'length')).status).toBe(413);
    expect((await post(port, 256 * MIB, 'chunked')).status).toBe(413);
    expect(peakRss(proc.child.pid!)).toBeLessThan(150 * MIB);
    expect((await post(port, 1, 'length', '/last')).status).toBe(200);
    await proc.waitFor(/handled/);
    expect(proc.out()).toMatch(/\d+\nhandled \/last 1\n$/);
  });

  it('max-body sets the limit; a bad value is an HttpError', async () => {
    const { port, proc } = await startServer('10 :max-body');
    expect((await post(port, 10, 'length', '/ten')).status).toBe(200);
    expect((await post(port, 11, 'chunked', '/eleven')).status).toBe(413);
    expect((await post(port, 0, 'length', '/zero')).status).toBe(200);
    await proc.waitFor(/handled \/zero/);
    expect(proc.out()).toMatch(/\nhandled \/ten 10\nhandled \/zero 0\n$/);
    const out = await minOk(`${catching('{(pop {}) :handler 0 :port "big" :max-body} start-server')}
      ${catching('{(pop {}) :handler 0 :port -1 :max-body} start-server')}`);
    expect(out).toBe(
      'HttpError The server\'s max-body must be a number of bytes (0 or more), got "big"\n' +
        "HttpError The server's max-body must be a number of bytes (0 or more), got -1\n",
    );
  });

  const curl = (() => {
    try {
      execFileSync('curl', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const curlStatus = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile('curl', ['-s', '--noproxy', '*', '-o', '/dev/null', '-w', '%{http_code}', ...args], (e, out) => (e && !out ? reject(e) : resolve(out))),
    );

  (curl ? it : it.skip)('curl gets 413 for a big upload (Expect: 100-continue, and chunked), 200 for a small one', async () => {
    const { port, proc } = await startServer();
    const big = tmp.path('big.bin');
    writeFileSync(big, Buffer.alloc(8 * MIB, 'c'));
    const u = `http://127.0.0.1:${port}`;
    expect(await curlStatus(['--data-binary', `@${big}`, `${u}/curl-big`])).toBe('413');
    expect(await curlStatus(['-H', 'Expect:', '--data-binary', `@${big}`, `${u}/curl-no-expect`])).toBe('413');
    expect(await curlStatus(['-H', 'Transfer-Encoding: chunked', '--data-binary', `@${big}`, `${u}/curl-chunked`])).toBe('413');
    expect(await curlStatus(['--data-binary', 'small', `${u}/curl-small`])).toBe('200');
    await proc.waitFor(/handled \/curl-small/);
    expect(proc.out()).toMatch(/\d+\nhandled \/curl-small 5\n$/);
  });
});

describe('response headers', () => {
  it('a header value HTTP cannot carry: 500 Internal Server Error, and stderr names the header', async () => {
    const { port, proc } = await startServer();
    for (const path of ['/newline', '/wide']) {
      const r = await get(port, path);
      expect([r.status, r.reason, r.body]).toEqual([500, 'Internal Server Error', 'Internal Server Error']);
    }
    // The reports reach stderr in their own time.
    await proc.waitForErr(/x-wide/);
    expect(proc.err()).toMatch(/start-server handler: \w+: Invalid value for response header x-bad: it holds a line feed/);
    expect(proc.err()).toMatch(/start-server handler: \w+: Invalid value for response header x-wide: it holds 中 \(U\+4E2D\)/);
    // Latin-1 is what HTTP carries: sent as is.
    const latin1 = await get(port, '/latin1');
    expect([latin1.status, Buffer.from(latin1.headers['x-latin1'] as string, 'latin1').toString('latin1')]).toEqual([200, 'café']);
  });

  it('a header named __proto__ is kept, received and sent', async () => {
    const { port } = await startServer();
    // JSON.parse makes __proto__ an own property, where a literal would set the prototype.
    const r = await get(port, '/proto', JSON.parse('{"__proto__": "from the client"}'));
    expect(r.status).toBe(200);
    expect(rawHeader(r, '__proto__')).toBe('kept');
    expect(r.headers['x-seen']).toBe('from the client');
  });
});

/** Node's parsed headers drop __proto__; read it from the raw list instead. */
function rawHeader(r: Reply, name: string): string | undefined {
  const raw = r.rawHeaders;
  for (let k = 0; k + 1 < raw.length; k += 2) if (raw[k]!.toLowerCase() === name) return raw[k + 1];
  return undefined;
}
