// The TLS row: megabytes from a min client to a min server over `tls`
// sockets (send, recv), against Node's tls doing the same, taking turns in
// the same run, with a self-signed certificate openssl makes for the run.
// The receiver prints the byte count, so a short transfer fails the row.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

const MIN_TRANSFER = (cert, key, mb) => `
{"tls" :protocol ${JSON.stringify(cert)} :cert ${JSON.stringify(key)} :key} socket {"127.0.0.1" :address 0 :port} listen :srv
(srv {} socket accept :c 0 :total "x" :chunk
  (chunk "" !=) (c 1048576 recv @chunk total chunk length + @total) while
  total puts! c close) spawn :receiver
"0123456789abcdef" 65536 repeat :block
{"tls" :protocol ${JSON.stringify(cert)} :ca} socket "localhost" srv 'port dget connect :out
(out block send) ${mb} times
out close
receiver wait pop srv close
`;

const timed = async (fn) => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};

function minTransfer(root, file, mb) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(root, 'bin', 'min-ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (c) => (c === 0 && out.trim() === String(mb * 1048576) ? resolve() : reject(new Error(`TLS transfer failed (${c}): ${out}`))));
  });
}

function nodeTransfer(cert, key, mb) {
  const block = Buffer.alloc(1048576, 'x');
  return new Promise((resolve, reject) => {
    const srv = tls.createServer({ cert, key }, (s) => {
      let total = 0;
      s.on('data', (d) => (total += d.length));
      s.on('end', () => {
        srv.close();
        total === mb * 1048576 ? resolve() : reject(new Error('node TLS transfer short'));
      });
    });
    srv.listen(0, '127.0.0.1', () => {
      const c = tls.connect({ port: srv.address().port, host: '127.0.0.1', servername: 'localhost', ca: cert }, async () => {
        for (let k = 0; k < mb; k++) if (!c.write(block)) await new Promise((r) => c.once('drain', r));
        c.end();
      });
      c.on('error', reject);
    });
  });
}

export async function tlsRow({ root, quick }) {
  const mb = quick ? 4 : 100;
  const rounds = quick ? 1 : 2;
  const name = `${mb} MB through send/recv over TLS (min to min)`;
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-tlsbench-'));
  try {
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    } catch {
      return { name, value: 'skipped', reference: 'needs openssl', ratio: '', target: '', ok: undefined };
    }
    const script = join(dir, 'transfer.min');
    writeFileSync(script, MIN_TRANSFER(certFile, keyFile, mb));
    const cert = readFileSync(certFile);
    const key = readFileSync(keyFile);
    let t = Infinity;
    let tn = Infinity;
    for (let round = 0; round < rounds; round++) {
      t = Math.min(t, await timed(() => minTransfer(root, script, mb)));
      tn = Math.min(tn, await timed(() => nodeTransfer(cert, key, mb)));
    }
    return {
      name,
      value: `${(mb / t).toFixed(0)} MB/s`,
      reference: `node ${(mb / tn).toFixed(0)} MB/s`,
      ratio: `${((tn / t) * 100).toFixed(0)}% of node`,
      target: '',
      ok: undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
