// The http client against a hostile server: a response body over max-body
// (64 MiB by default) is a catchable HttpError, declared or streamed, and a
// download streams into its file, which appears whole or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { catching, minOk, tempDir } from './peers.js';
import { root } from './cli.js';

const MIB = 1 << 20;
let base = '';

/** `/declared/N` sends N bytes with a Content-Length, `/chunked/N` without, `/cut/N` half of N then a reset. */
const server = http.createServer((req, res) => {
  const m = /^\/(declared|chunked|cut)\/(\d+)$/.exec(req.url!);
  if (!m) return void res.writeHead(404).end('no');
  const size = Number(m[2]);
  if (m[1] === 'declared') res.setHeader('Content-Length', size);
  const chunk = Buffer.alloc(Math.min(size, MIB), 'd');
  let sent = 0;
  const stop = m[1] === 'cut' ? size / 2 : size;
  const pump = () => {
    while (sent < stop) {
      const n = Math.min(chunk.length, stop - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (m[1] === 'cut') res.socket?.destroy();
    else res.end();
  };
  if (m[1] === 'cut') res.setHeader('Content-Length', size);
  res.on('close', () => (sent = stop));
  pump();
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const url = (path: string) => JSON.stringify(base + path);

describe('response bodies', () => {
  it('max-body bounds the body request keeps, declared or chunked', async () => {
    const out = await minOk(`{${url('/declared/10')} :url 10 :max-body} request /body length puts!
      ${catching(`{${url('/declared/11')} :url 10 :max-body} request`)}
      ${catching(`{${url('/chunked/11')} :url 10 :max-body} request`)}
      ${catching(`{${url('/chunked/1')} :url "x" :max-body} request`)}`);
    expect(out).toBe(
      '10\n' +
        `HttpError GET ${base}/declared/11: the response body is more than 10 bytes (max-body); the connection was closed\n` +
        `HttpError GET ${base}/chunked/11: the response body is more than 10 bytes (max-body); the connection was closed\n` +
        'HttpError The request\'s max-body must be a number of bytes (0 or more), got "x"\n',
    );
  });

  it('get-content keeps at most 64 MiB', async () => {
    const out = await minOk(`${url(`/chunked/${64 * MIB}`)} get-content length puts!
      ${catching(`${url(`/chunked/${64 * MIB + 1}`)} get-content`)}`);
    expect(out).toBe(`${64 * MIB}\nHttpError GET ${base}/chunked/${64 * MIB + 1}: the response body is more than ${64 * MIB} bytes (max-body); the connection was closed\n`);
  });
});

describe('download', () => {
  it('streams a body bigger than max-body to disk with little memory', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.path('big.bin');
      // Through the CLI, so the process's peak memory is the download's own.
      const code = `${url(`/chunked/${256 * MIB}`)} ${JSON.stringify(file)} download "/proc/self/status" fread puts!`;
      const status = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [join(root, 'bin', 'min-ts'), 'eval', code], (e, out, err) => (e ? reject(new Error(err)) : resolve(out))),
      );
      expect(statSync(file).size).toBe(256 * MIB);
      const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]) * 1024;
      expect(peak).toBeLessThan(150 * MIB);
      expect(readdirSync(tmp.dir)).toEqual(['big.bin']);
    } finally {
      tmp.remove();
    }
  });

  it('a transfer cut off leaves no file (not even a partial one) and is a NetError', async () => {
    const tmp = tempDir();
    try {
      const out = await minOk(catching(`${url(`/cut/${8 * MIB}`)} ${JSON.stringify(tmp.path('f'))} download`));
      expect(out).toMatch(/^NetError GET http:\/\/127\.0\.0\.1:\d+\/cut\/8388608: /);
      expect(readdirSync(tmp.dir)).toEqual([]);
    } finally {
      tmp.remove();
    }
  });

  it('an existing file is replaced only once the new content is complete', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.path('keep');
      await minOk(`"old content" ${JSON.stringify(file)} fwrite
        ${catching(`${url(`/cut/${MIB}`)} ${JSON.stringify(file)} download`)}`);
      expect(readFileSync(file, 'utf8')).toBe('old content');
      await minOk(`${url('/declared/5')} ${JSON.stringify(file)} download`);
      expect(readFileSync(file, 'utf8')).toBe('ddddd');
      expect(readdirSync(tmp.dir)).toEqual(['keep']);
    } finally {
      tmp.remove();
    }
  });

  it('a directory that cannot be written is a IOError', async () => {
    const out = await minOk(catching(`${url('/declared/5')} "/nonexistent-dir/f" download`));
    expect(out).toBe('IOError Cannot write /nonexistent-dir/f: no such file or directory\n');
    expect(existsSync('/nonexistent-dir')).toBe(false);
  });
});
