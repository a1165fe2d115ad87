// Node peers for the net tests: small servers and clients on loopback
// (port 0 always), and a way to run min code in-process.
import { afterEach } from 'vitest';
import net from 'node:net';
import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../../src/run.js';
import { runProgram } from '../../src/core/interpreter.js';
import { createRuntime } from '../../src/ops/modules.js';
import { waitFor } from '../wait.js';

export const min = (code: string, args: string[] = []) => runCaptured(code, { args: ['<test>', ...args] });

export interface LiveMin {
  /** What the program has printed so far. */
  out(): string;
  err(): string;
  /** Whether the program has ended. */
  ended(): boolean;
  /** The whole output and the exit code, once the program ends. */
  done: Promise<{ out: string; err: string; code: number }>;
  /** As minOk: the output, once the program has ended without an error. */
  ok(): Promise<string>;
}

/**
 * Run min code in-process like `min`, with its output readable while it runs: a test waits
 * for what the program prints (`waitFor(() => p.out().includes(...))`) instead of guessing
 * how long that takes.
 */
export function startMin(code: string, args: string[] = []): LiveMin {
  let out = '';
  let err = '';
  let ended = false;
  const rt = createRuntime({
    args: ['<test>', ...args],
    out: { write: (s: string) => void (out += s) },
    err: { write: (s: string) => void (err += s) },
  });
  const done = runProgram(rt, code, '<eval>').then(({ code: exit }) => ((ended = true), { out, err, code: exit }));
  return { out: () => out, err: () => err, ended: () => ended, done, ok: () => done.then(okOutput) };
}

/** Wait for an in-process program started by `startMin` to print `text` (failing if it ends first). */
export const minPrinted = (p: LiveMin, text: string) =>
  waitFor(() => p.out().includes(text), {
    what: `the min program to print ${JSON.stringify(text)}`,
    state: () => `${p.out()}\n--- stderr:\n${p.err()}`,
    hopeless: () => p.ended() && 'the program ended',
  });

/** The output of a program that had to succeed. */
function okOutput(r: { out: string; err: string; code: number }): string {
  if (r.code !== 0 || r.err !== '') throw new Error(`min failed (${r.code}): ${r.err}\n--- out:\n${r.out}`);
  return r.out;
}

/** Run min code and expect it to succeed; returns stdout. */
export async function minOk(code: string, args: string[] = []): Promise<string> {
  return okOutput(await min(code, args));
}

export interface Peer {
  port: number;
  address: string;
  /** Sockets the server accepted, in order. */
  conns: net.Socket[];
  /** Resolves with the nth accepted socket (0-based). */
  conn(n?: number): Promise<net.Socket>;
  close(): Promise<void>;
}

/** A TCP (or unix, with `path`) server running `onConn` for each connection. */
export function tcpServer(onConn: (s: net.Socket) => void = () => {}, host = '127.0.0.1', path?: string): Promise<Peer> {
  return new Promise((resolve) => {
    const conns: net.Socket[] = [];
    const waiting: { n: number; res: (s: net.Socket) => void }[] = [];
    const server = net.createServer((s) => {
      s.on('error', () => {});
      conns.push(s);
      onConn(s);
      for (const w of waiting.filter((x) => x.n < conns.length)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.res(conns[w.n]!);
      }
    });
    const done = () => {
      const a = server.address();
      resolve({
        port: typeof a === 'object' && a ? a.port : 0,
        address: typeof a === 'object' && a ? a.address : String(a),
        conns,
        conn: (n = 0) => (conns[n] ? Promise.resolve(conns[n]) : new Promise((res) => waiting.push({ n, res }))),
        close: () =>
          new Promise((res) => {
            for (const c of conns) c.destroy();
            server.close(() => res());
          }),
      });
    };
    if (path) server.listen(path, done);
    else server.listen(0, host, done);
  });
}

/** Echoes every byte back. */
export const echoServer = (host = '127.0.0.1', path?: string) => tcpServer((s) => s.pipe(s), host, path);

/** Everything a socket receives until it ends. */
export function readAll(s: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    s.on('data', (b) => parts.push(b));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('close', () => resolve(Buffer.concat(parts)));
  });
}

/** Connect a Node client, retrying while the min side is not listening yet. */
export function nodeClient(port: number, host = '127.0.0.1', path?: string): Promise<net.Socket> {
  let last = '';
  return waitFor(
    () =>
      new Promise<net.Socket | null>((resolve) => {
        const s = path ? net.connect(path) : net.connect(port, host);
        s.once('connect', () => resolve(s));
        s.once('error', (e) => ((last = e.message), resolve(null)));
      }),
    { what: `a connection to ${path ?? `${host}:${port}`}`, state: () => last },
  );
}

export function udpEcho(type: 'udp4' | 'udp6' = 'udp4', host = '127.0.0.1'): Promise<{ port: number; sock: dgram.Socket; close(): void }> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(type);
    sock.on('message', (m, r) => sock.send(m, r.port, r.address));
    sock.bind(0, host, () => resolve({ port: sock.address().port, sock, close: () => sock.close() }));
  });
}

export interface TempDir {
  dir: string;
  path(name: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'min-net-'));
  return { dir, path: (n) => join(dir, n), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a test opened for itself: set by the test, closed and removed after it. */
export interface PerTest {
  peer: Peer | null;
  tmp: TempDir | null;
}

/** A PerTest for each test of the file (call it at the top of the file). */
export function closedAfterEach(): PerTest {
  const own: PerTest = { peer: null, tmp: null };
  afterEach(async () => {
    await own.peer?.close();
    own.peer = null;
    own.tmp?.remove();
    own.tmp = null;
  });
  return own;
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with openssl;
 * null (after a warning naming `what`) where openssl is missing.
 */
export function selfSigned(what: string): { cert: string; key: string } | null {
  const tmp = tempDir();
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', tmp.path('key.pem'), '-out', tmp.path('cert.pem')],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(tmp.path('cert.pem'), 'utf8'), key: readFileSync(tmp.path('key.pem'), 'utf8') };
  } catch {
    console.warn(`SKIPPED: ${what} need(s) openssl to make a self-signed certificate`);
    return null;
  } finally {
    tmp.remove();
  }
}

/** A port that was free a moment ago (for connection-refused cases). */
export async function freePort(): Promise<number> {
  const p = await tcpServer();
  await p.close();
  return p.port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A min snippet that catches an error and prints its kind and message. */
export const catching = (code: string) => `((${code}) (:e e /error print! " " print! e /message puts!)) try`;

/**
 * Run a min server program that writes its port to PORTFILE, drive it with
 * `client(port)`, and return the program's output and what the client returned.
 */
export async function withMinServer<T>(code: string, client: (port: number) => Promise<T>): Promise<{ out: string; client: T }> {
  const dir = mkdtempSync(join(tmpdir(), 'min-srv-'));
  const file = join(dir, 'port');
  try {
    const run = min(code.replaceAll('PORTFILE', file));
    let ended: unknown = null;
    void run.then((r) => (ended = r));
    // A missing or empty file is no port yet.
    const port = await waitFor(
      () => {
        try {
          return Number(readFileSync(file, 'utf8'));
        } catch {
          return 0;
        }
      },
      { what: 'the min server to write its port', hopeless: () => ended !== null && `the min server ended (${JSON.stringify(ended)})` },
    );
    const c = await client(port);
    const r = await run;
    if (r.code !== 0 || r.err) throw new Error(`min failed: ${r.err}`);
    return { out: r.out, client: c };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
