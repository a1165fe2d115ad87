// The http client's streams and connections against a Node server on
// loopback: download writes the body to disk as it arrives, body-file
// uploads a file as it is read, and keep-alive reuses one connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, linkSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { catching, minOk, startMin, tempDir } from './peers.js';
import { waitFor } from '../wait.js';

const HALF = 1 << 20;
const files = tempDir();
const ports: number[] = [];
/** Where /slow-download waits until the test lets it send its second half. */
let release: (() => void) | null = null;
let base = '';

const server = http.createServer((req, res) => {
  ports.push(req.socket.remotePort!);
  if (req.url === '/slow-download') {
    res.writeHead(200, { 'Content-Length': String(2 * HALF) });
    res.write(Buffer.alloc(HALF, 'a'));
    release = () => res.end(Buffer.alloc(HALF, 'b'));
    return;
  }
  if (req.url === '/upload') {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (b: Buffer) => ((size += b.length), hash.update(b)));
    req.on('end', () => res.end(JSON.stringify({ size, sha: hash.digest('hex'), length: req.headers['content-length'], method: req.method })));
    return;
  }
  if (req.url === '/missing') {
    res.statusCode = 404;
    return void res.end('gone');
  }
  if (req.url === '/again') {
    res.writeHead(307, { Location: '/upload' });
    return void res.end();
  }
  res.end(String(req.socket.remotePort));
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => ((base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve()))));
afterAll(() => {
  server.closeAllConnections();
  server.close();
  files.remove();
});

describe('download', () => {
  it('writes the body to disk while it arrives, and the file appears once it is whole', async () => {
    const target = files.path('big.bin');
    const p = startMin(`"${base}/slow-download" "${target}" download "done" puts!`);
    // The first half is on disk, in the temporary file, before the server has sent the rest.
    const part = await waitFor(
      () => readdirSync(files.dir).find((f) => f.endsWith('.tmp') && statSync(join(files.dir, f)).size === HALF),
      { what: 'the first half in the temporary file', hopeless: () => p.ended() && 'min ended' },
    );
    expect(part).toMatch(new RegExp(`^\\.big\\.bin\\.min-ts-${process.pid}-[0-9a-z]+\\.tmp$`));
    expect(readdirSync(files.dir)).not.toContain('big.bin');
    release!();
    expect(await p.ok()).toBe('done\n');
    const got = readFileSync(target);
    expect(got.length).toBe(2 * HALF);
    expect(got[0]).toBe(97);
    expect(got[2 * HALF - 1]).toBe(98);
    expect(readdirSync(files.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('request with a download file', () => {
  it('streams a successful body into the file and leaves an error status in the response', async () => {
    const target = files.path('saved.txt');
    const out = await minOk(`{"${base}/port" :url "${target}" :download} request :r
      r /status puts! r /body length puts!
      {"${base}/missing" :url "${files.path('never.txt')}" :download} request :gone
      gone /status puts! gone /body puts!`);
    expect(out).toBe('200\n0\n404\ngone\n');
    expect(existsSync(files.path('never.txt'))).toBe(false);
    expect(readFileSync(target, 'utf8')).toMatch(/^\d+$/);
  });

  it('replaces the file a symbolic link points to, keeping its mode, as fwrite does', async () => {
    const kept = files.path('kept.txt');
    const link = files.path('link.txt');
    writeFileSync(kept, 'old');
    chmodSync(kept, 0o640);
    symlinkSync(kept, link);
    expect(await minOk(`"${base}/port" "${link}" download "done" puts!`)).toBe('done\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(kept, 'utf8')).toMatch(/^\d+$/);
    expect(statSync(kept).mode & 0o777).toBe(0o640);
  });

  it('writes into a file with several hard links, so every name sees the download, and leaves no temporary file', async () => {
    const first = files.path('first.txt');
    const second = files.path('second.txt');
    writeFileSync(first, 'old contents, longer than the new');
    linkSync(first, second);
    expect(await minOk(`"${base}/port" "${first}" download "done" puts!`)).toBe('done\n');
    expect(readFileSync(second, 'utf8')).toMatch(/^\d+$/);
    expect(statSync(first).ino).toBe(statSync(second).ino);
    expect(readdirSync(files.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('body-file', () => {
  const upload = files.path('upload.bin');
  const content = Buffer.alloc(3 * HALF + 17);
  for (let k = 0; k < content.length; k++) content[k] = (k * 31) & 0xff;

  it('sends the file as the body with its length', async () => {
    writeFileSync(upload, content);
    const out = await minOk(`{"${base}/upload" :url "PUT" :method "${upload}" :body-file} request /body from-json :r
      (r /size r /length r /sha r /method) => puts!`);
    expect(out).toBe(`(${content.length} "${content.length}" "${createHash('sha256').update(content).digest('hex')}" "PUT")\n`);
  });

  it('sends it again on a 307 redirect', async () => {
    const out = await minOk(`{"${base}/again" :url "POST" :method "${upload}" :body-file} request /body from-json /size puts!`);
    expect(out).toBe(`${content.length}\n`);
  });

  it('fails with the reason when the file cannot be read, or with a body too', async () => {
    const out = await minOk(`${catching(`{"${base}/upload" :url "${files.path('missing')}" :body-file} request`)}
      ${catching(`{"${base}/upload" :url "${files.dir}" :body-file} request`)}
      ${catching(`{"${base}/upload" :url "x" :body "${upload}" :body-file} request`)}`);
    expect(out).toBe(
      `IOError Cannot send "${files.path('missing')}" as the request body: no such file or directory\n` +
        `IOError Cannot send "${files.dir}" as the request body: not a regular file\n` +
        'HttpError The request has both a body and a body-file: give one of them\n',
    );
  });
});

describe('keep-alive', () => {
  it('reuses one connection per origin when asked', async () => {
    const out = await minOk(`{"${base}/port" :url true :keep-alive} :q
      (q request /body puts!) 3 times`);
    const seen = out.trim().split('\n');
    expect(seen.length).toBe(3);
    expect(new Set(seen).size).toBe(1);
  });

  it('opens a connection per request otherwise', async () => {
    const out = await minOk(`{"${base}/port" :url} :q (q request /body puts!) 3 times`);
    const seen = out.trim().split('\n');
    expect(new Set(seen).size).toBe(3);
  });

  it('is true or false', async () => {
    expect(await minOk(catching(`{"${base}/port" :url 1 :keep-alive} request`))).toBe("HttpError The request's keep-alive must be true or false, got 1\n");
  });
});
