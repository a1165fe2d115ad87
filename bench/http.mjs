// The HTTP server rows: requests a second through a start-server route, and
// megabytes a second of a static file, each against a Node HTTP server doing
// the same in the same run. The client keeps 10 connections alive and checks
// every answer, so a wrong or short one fails the row instead of looking fast.
import { serverProcess } from './server-process.mjs';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILE_SIZE = 1 << 20;

const minServer = (dir) => `
{ 0 :port
  (("GET /items/:id" (:req {} req /params /id 'body dset))) :routes
  (("/files" ${JSON.stringify(dir)})) :static
  (:srv srv /port puts!) :started } start-server
`;

const NODE_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[1];
const srv = http.createServer((req, res) => {
  const m = /^\\/items\\/([^/]+)$/.exec(req.url);
  if (m) return res.end(m[1]);
  if (req.url === '/files/one.bin') return fs.createReadStream(path.join(dir, 'one.bin')).pipe(res);
  res.statusCode = 404;
  res.end();
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;


/** Seconds for `total` GETs of `path(k)` over 10 kept-alive connections; each body must be `expect(k)` bytes long. */
async function load(port, total, path, expect, performance) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let next = 0;
  const t0 = performance.now();
  const one = (k) =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: path(k), agent }, (res) => {
          let n = 0;
          res.on('data', (b) => (n += b.length));
          res.on('end', () => (res.statusCode === 200 && n === expect(k) ? resolve() : reject(new Error(`${path(k)}: ${res.statusCode}, ${n} bytes`))));
        })
        .on('error', reject);
    });
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < total) await one(next++);
    }),
  );
  agent.destroy();
  return (performance.now() - t0) / 1000;
}

export async function httpRows({ root, quick, performance }) {
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-httpbench-'));
  writeFileSync(join(dir, 'one.bin'), Buffer.alloc(FILE_SIZE, 'static '));
  const script = join(dir, 'server.min');
  writeFileSync(script, minServer(dir));
  const requests = quick ? 50 : 5000;
  const files = quick ? 5 : 300;
  const min = await serverProcess(process.execPath, [join(root, 'bin', 'min-ts'), script], 'server');
  const node = await serverProcess(process.execPath, ['-e', NODE_SERVER, dir], 'server');
  const item = (k) => `/items/${k}`;
  const itemLength = (k) => String(k).length;
  try {
    // A first pass each warms up the code paths; the second is measured.
    await load(min.port, Math.min(requests, 200), item, itemLength, performance);
    await load(node.port, Math.min(requests, 200), item, itemLength, performance);
    const t = await load(min.port, requests, item, itemLength, performance);
    const tn = await load(node.port, requests, item, itemLength, performance);
    const f = await load(min.port, files, () => '/files/one.bin', () => FILE_SIZE, performance);
    const fn = await load(node.port, files, () => '/files/one.bin', () => FILE_SIZE, performance);
    const mb = (files * FILE_SIZE) / 2 ** 20;
    return [
      {
        name: `${requests} GETs of a route (start-server routes, 10 kept-alive connections)`,
        value: `${(requests / t).toFixed(0)} req/s`,
        reference: `node http ${(requests / tn).toFixed(0)} req/s`,
        ratio: `${((tn / t) * 100).toFixed(0)}% of node`,
        target: '',
        ok: undefined,
      },
      {
        name: `${files} GETs of a 1 MiB static file`,
        value: `${(mb / f).toFixed(0)} MB/s`,
        reference: `node createReadStream ${(mb / fn).toFixed(0)} MB/s`,
        ratio: `${((fn / f) * 100).toFixed(0)}% of node`,
        target: '',
        ok: undefined,
      },
    ];
  } finally {
    min.stop();
    node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
