// Runs every ```min example in docs/*.md, so the documentation cannot drift
// from the implementation.
//
// Conventions for examples:
//   ```min         run in-process; the block fails the test if it raises an
//                  uncaught error (its program exits with a non-zero code).
//   ```min-syntax  only parsed (for fragments that cannot run alone).
//   ; expect: LINE these lines must appear in the output, in this order.
//   ; args: A B    the program's arguments (after the file name).
//   ; peer: KIND   start a Node peer on loopback first and put its port in
//                  place of the word PORT: `echo` (TCP, echoes every byte),
//                  `echo6` (the same on ::1), `http` (answers any request
//                  with a small JSON document), `udp-echo` (echoes datagrams),
//                  `ws-echo` (a WebSocket server on the ws package: echoes
//                  text messages as text and binary ones as binary),
//                  `tls-echo` (a Node TLS server echoing every byte, with a
//                  self-signed certificate for localhost and 127.0.0.1 made
//                  by openssl; the words CERTFILE and KEYFILE stand for the
//                  paths of its certificate and key files), `dns` (the
//                  test DNS server of test/net/dns-server.ts, on UDP).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import http from 'node:http';
import dgram from 'node:dgram';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import { runCaptured } from '../src/run.js';
import { dnsServer } from './net/dns-server.js';
import { read } from '../src/core/reader.js';

const docs = join(import.meta.dirname, '..', 'docs');
// A hang guard, generous for a loaded machine.
const BLOCK_TIMEOUT = 30000;

interface Block {
  file: string;
  line: number;
  lang: 'min' | 'min-syntax';
  code: string;
}

export function extractBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(min|min-syntax)\s*$/.exec(lines[k]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = k + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence![0]}{${fence!.length},}\\s*$`).test(lines[j]!); j++) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
    }
    blocks.push({ file, line: k + 1, lang: lang as Block['lang'], code: body.join('\n') + '\n' });
    k = j;
  }
  return blocks;
}

const directive = (code: string, name: string): string | undefined =>
  new RegExp(`^\\s*;\\s*${name}:[ ]?(.*)$`, 'm').exec(code)?.[1]?.trim();

// ---- peers ------------------------------------------------------------------

interface Running {
  port: number;
  stop(): Promise<void>;
  /** Words of the block replaced by what the peer made (CERTFILE...). */
  words?: Record<string, string>;
}

const PEERS: Record<string, () => Promise<Running>> = {
  echo: () => tcpPeer('127.0.0.1', (s) => s.pipe(s)),
  echo6: () => tcpPeer('::1', (s) => s.pipe(s)),
  http: () =>
    new Promise((resolve) => {
      const server = http.createServer((req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(`{\n  "path": "${req.url}"\n}\n`);
      });
      server.listen(0, '127.0.0.1', () =>
        resolve({
          port: (server.address() as net.AddressInfo).port,
          stop: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
        }),
      );
    }),
  'ws-echo': () =>
    new Promise((resolve) => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      wss.on('connection', (ws) => {
        ws.on('error', () => {});
        ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
      });
      wss.on('listening', () =>
        resolve({
          port: (wss.address() as net.AddressInfo).port,
          stop: () =>
            new Promise((r) => {
              for (const c of wss.clients) c.terminate();
              wss.close(() => r());
            }),
        }),
      );
    }),
  'tls-echo': async () => {
    const dir = mkdtempSync(join(tmpdir(), 'min-docs-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const server = tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (s) => s.on('error', () => {}).pipe(s));
    server.on('tlsClientError', () => {});
    const peer = await tcpPeerOn(server, '127.0.0.1');
    return { ...peer, words: { CERTFILE: cert, KEYFILE: key }, stop: () => peer.stop().finally(() => rmSync(dir, { recursive: true, force: true })) };
  },
  dns: async () => {
    const server = await dnsServer();
    return { port: server.port, stop: async () => server.close() };
  },
  'udp-echo': () =>
    new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      s.on('message', (m, r) => s.send(m, r.port, r.address));
      s.bind(0, '127.0.0.1', () => resolve({ port: s.address().port, stop: () => new Promise((r) => s.close(() => r())) }));
    }),
};

function tcpPeer(host: string, onConn: (s: net.Socket) => void): Promise<Running> {
  return tcpPeerOn(net.createServer(onConn), host);
}

/** A stream server (net or tls) listening on `host`, whose stop also ends its connections. */
function tcpPeerOn(server: net.Server, host: string): Promise<Running> {
  return new Promise((resolve) => {
    const conns = new Set<net.Socket>();
    server.on('connection', (s: net.Socket) => {
      conns.add(s);
      s.on('error', () => {});
      s.on('close', () => conns.delete(s));
    });
    server.listen(0, host, () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        stop: () =>
          new Promise((r) => {
            for (const c of conns) c.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}

// ---- running ----------------------------------------------------------------

async function runBlock(b: Block): Promise<void> {
  const where = `${b.file}:${b.line}`;
  if (b.lang === 'min-syntax') {
    read(b.code, where);
    return;
  }
  let code = b.code;
  const kind = directive(code, 'peer');
  let peer: Running | null = null;
  if (kind !== undefined) {
    const start = PEERS[kind];
    if (!start) throw new Error(`${where}: unknown peer '${kind}' (known: ${Object.keys(PEERS).join(', ')})`);
    peer = await start();
    code = code.replace(/\bPORT\b/g, String(peer.port));
    for (const [word, value] of Object.entries(peer.words ?? {})) code = code.replace(new RegExp(`\\b${word}\\b`, 'g'), value);
  }
  try {
    const args = (directive(code, 'args') ?? '').split(/\s+/).filter(Boolean);
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      runCaptured(code, { file: where, args: [where, ...args] }),
      new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${where}: still running after ${BLOCK_TIMEOUT} ms`)), BLOCK_TIMEOUT))),
    ]).finally(() => clearTimeout(timer));
    expect(r.code !== 0, `${where} raised an uncaught error (exit ${r.code}):\n${r.err}\n--- output:\n${r.out}`).toBe(false);
    // `; expect:` lines must come out in order (other output may come between them).
    const want = [...code.matchAll(/^\s*;\s*expect:[ ]?(.*)$/gm)].map((m) => m[1]!);
    const got = r.out.split('\n');
    let at = 0;
    for (const w of want) {
      const found = got.indexOf(w, at);
      expect(found, `${where}: expected the line ${JSON.stringify(w)} in order in the output:\n${r.out}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  } finally {
    await peer?.stop();
  }
}

const files = readdirSync(docs)
  .filter((f) => f.endsWith('.md'))
  .sort();

for (const f of files) {
  const blocks = extractBlocks(`docs/${f}`, readFileSync(join(docs, f), 'utf8'));
  if (blocks.length === 0) continue;
  describe(`docs/${f}`, () => {
    for (const b of blocks) it(`${b.lang} example at line ${b.line}`, () => runBlock(b), BLOCK_TIMEOUT + 5000);
  });
}

describe('the docs test itself', () => {
  it('extracts fenced min blocks, with their line and indentation removed', () => {
    const md = 'text\n```min\n1 puts!\n```\n\n  ```min-syntax\n  (unfinished\n  ```\n```js\nnot min\n```\n';
    expect(extractBlocks('x.md', md)).toEqual([
      { file: 'x.md', line: 2, lang: 'min', code: '1 puts!\n' },
      { file: 'x.md', line: 6, lang: 'min-syntax', code: '(unfinished\n' },
    ]);
  });

  it('fails a block that raises an uncaught error', async () => {
    await expect(runBlock({ file: 'x.md', line: 1, lang: 'min', code: '1 "a" +\n' })).rejects.toThrow(/uncaught error/);
  });

  it('checks expected lines and substitutes a peer port', async () => {
    await runBlock({ file: 'x.md', line: 1, lang: 'min', code: '; peer: echo\n{} socket "127.0.0.1" PORT connect :c c "hi\\n" send c recv-line puts!\n; expect: hi\n' });
    await expect(runBlock({ file: 'x.md', line: 1, lang: 'min', code: '"a" puts!\n; expect: b\n' })).rejects.toThrow(/expected the line "b"/);
  });
});

