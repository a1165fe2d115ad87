// The scripts in examples/, run through the CLI: min's three seed examples
// verbatim (on their fixed port 7777) and our own examples on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { readAll, tcpServer, tempDir } from './peers.js';

import { example, root, run } from './cli.js';
import { withMachineLock } from '../machine-lock.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

/** Whether 127.0.0.1:7777 is free for the seed examples. */
function port7777Free(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(7777, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Connect, send `text` and shut down our side (the seed server keeps its side open until the next accept). */
const clients: net.Socket[] = [];
function send(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(text, () => resolve()));
    clients.push(s);
    s.on('error', reject);
  });
}
afterAll(() => clients.forEach((s) => s.destroy()));

describe('seed examples (verbatim, port 7777)', () => {
  /** Runs a seed test holding the machine-wide lock on 7777; skips it if something else has the port. */
  const on7777 = (body: () => Promise<void>) => async (ctx: { skip: () => void }) =>
    withMachineLock('port-7777', async () => {
      if (!(await port7777Free())) {
        console.warn('SKIPPED: 127.0.0.1:7777 is in use, the seed examples need it');
        return ctx.skip();
      }
      await body();
    });

  it('seed-server prints what clients send until "exit"', on7777(async () => {
    const p = run([example('seed-server.min')]);
    await p.waitFor(/Server listening on localhost:7777\n/);
    await send(7777, 'hello\n');
    await p.waitFor(/Received: hello\n/);
    await send(7777, 'wörld\r\n');
    await p.waitFor(/Received: wörld\n/);
    await send(7777, 'exit\n');
    expect(await p.exit).toBe(0);
    expect(p.out()).toBe('Server listening on localhost:7777\nReceived: hello\nReceived: wörld\nReceived: exit\nExiting...\n');
    expect(p.err()).toBe('');
  }));

  it('seed-client sends its first argument to localhost:7777', on7777(async () => {
    const server = net.createServer();
    // Taken when the connection comes, which may be after the client has already exited.
    const got = new Promise<Buffer>((resolve) => server.once('connection', (s) => resolve(readAll(s))));
    await new Promise<void>((r) => server.listen(7777, '127.0.0.1', () => r()));
    try {
      const p = run([example('seed-client.min'), 'hi there']);
      expect(await p.exit).toBe(0);
      expect(p.out()).toBe('Sending message "hi there" to localhost:7777...\nDone.\n');
      expect((await got).toString()).toBe('hi there\n');
    } finally {
      server.close();
    }
  }));

  it('seed-client talks to seed-server', on7777(async () => {
    const srv = run([example('seed-server.min')]);
    await srv.waitFor(/listening/);
    for (const m of ['from min', 'exit']) expect(await run([example('seed-client.min'), m]).exit).toBe(0);
    expect(await srv.exit).toBe(0);
    expect(srv.out()).toBe('Server listening on localhost:7777\nReceived: from min\nReceived: exit\nExiting...\n');
  }));

  it('seed-http-get reads an HTTP response up to the closing brace', async () => {
    const server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(`{\n  "uuid": "6f1d0c6e-0b0e-4c55-9d4b-${req.url === '/uuid' ? 'aaaaaaaaaaaa' : 'wrong-path'}"\n}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const tmp = tempDir();
    try {
      // The one change the issue allows: the host and port of the connect line.
      const src = readFileSync(example('seed-http-get.min'), 'utf8');
      const first = '{} socket "httpbin.org" 80 connect :cli';
      expect(src.startsWith(first)).toBe(true);
      const copy = tmp.path('http-get.min');
      writeFileSync(copy, `{} socket "127.0.0.1" ${port} connect :cli` + src.slice(first.length));
      const p = run([copy]);
      expect(await p.exit).toBe(0);
      const lines = p.out().split('\n');
      expect(lines[0]).toBe('HTTP/1.1 200 OK');
      expect(p.out()).toContain('Content-Type: application/json\n');
      expect(p.out()).toContain('\r\n\n{\n  "uuid": "6f1d0c6e-0b0e-4c55-9d4b-aaaaaaaaaaaa"\n}\n');
      expect(p.out().endsWith('}\n')).toBe(true);
      expect(p.err()).toBe('');
    } finally {
      server.close();
      tmp.remove();
    }
  });
});

describe('examples', () => {
  let httpServer: http.Server;
  let httpPort = 0;
  beforeAll(async () => {
    httpServer = http.createServer((req, res) => {
      if (req.url === '/sized') {
        const body = 'sized body ✓\nno newline at the end';
        res.setHeader('Content-Length', Buffer.byteLength(body));
        res.end(body);
      } else {
        res.write(`path ${req.url}\n`);
        res.end('host ' + req.headers.host + '\n');
      }
    });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
    httpPort = (httpServer.address() as net.AddressInfo).port;
  });
  afterAll(() => void httpServer.close());

  it('echo-server serves echo-client (two clients, then stops)', async () => {
    const srv = run([example('echo-server.min'), '0', '2']);
    const port = (await srv.waitFor(/listening on 127\.0\.0\.1:(\d+)\n/))[1]!;
    const a = run([example('echo-client.min'), '127.0.0.1', port, 'hello', '', 'wörld ✓']);
    expect(await a.exit).toBe(0);
    expect(a.out()).toBe(`Connected to 127.0.0.1:${port}\n> hello\n< hello\n> \n< \n> wörld ✓\n< wörld ✓\n`);
    const b = run([example('echo-client.min'), 'localhost', port, 'again']);
    expect(await b.exit).toBe(0);
    expect(b.out()).toContain('< again\n');
    expect(await srv.exit).toBe(0);
    expect(srv.out()).toMatch(/Client 127\.0\.0\.1:\d+ connected\n/);
    expect(srv.err()).toBe('');
  });

  it('echo-server echoes for a Node client too', async () => {
    const srv = run([example('echo-server.min'), '0', '1']);
    const port = Number((await srv.waitFor(/:(\d+)\n/))[1]);
    const s = net.connect(port, '127.0.0.1');
    const all = readAll(s);
    s.end('one\ntwo\r\n\nlast without newline');
    expect((await all).toString()).toBe('one\ntwo\n\nlast without newline\n');
    expect(await srv.exit).toBe(0);
  });

  it('chat-a and chat-b exchange lines until one leaves', async () => {
    const a = run([example('chat-a.min'), '0']);
    const port = (await a.waitFor(/Waiting for a peer on 127\.0\.0\.1:(\d+)\n/))[1]!;
    const b = run([example('chat-b.min'), '127.0.0.1', port]);
    await b.waitFor(/\* connected/);
    await a.waitFor(/joined/);
    b.child.stdin!.write('hello from b\n');
    await a.waitFor(/peer: hello from b\n/);
    a.child.stdin!.write('hello from a ✓\n');
    await b.waitFor(/peer: hello from a ✓\n/);
    b.child.stdin!.end();
    expect(await b.exit).toBe(0);
    expect(await a.exit).toBe(0);
    expect(a.out()).toMatch(/peer: hello from b\n\* peer left\n$/);
    expect(b.out()).toMatch(/peer: hello from a ✓\n\* bye\n$/);
    expect(a.err() + b.err()).toBe('');
  });

  it('http-get reads a body up to the close', async () => {
    const p = run([example('http-get.min'), '127.0.0.1', String(httpPort), '/some/path']);
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(new RegExp(`^Status: HTTP/1\\.1 200 OK\\n(Header: .*\\n)+\\npath /some/path\\nhost 127\\.0\\.0\\.1:${httpPort}\\n$`));
  });

  it('http-get reads exactly Content-Length bytes', async () => {
    const p = run([example('http-get.min'), '127.0.0.1', String(httpPort), '/sized']);
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/Header: Content-Length: 36\n(Header: .*\n)*\nsized body ✓\nno newline at the end$/);
  });

  it('http-get reports a refused connection', async () => {
    const free = await tcpServer();
    await free.close();
    const p = run([example('http-get.min'), '127.0.0.1', String(free.port)]);
    expect(await p.exit).toBe(1);
    expect(p.err()).toContain(`cannot connect to 127.0.0.1:${free.port}: connection refused`);
  });
});
