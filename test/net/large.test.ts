// Several megabytes through send/recv and recv-line, byte-exact, and
// back-pressure on a sender nobody is reading from.
import { describe, expect, it } from 'vitest';
import type net from 'node:net';
import { writeFileSync } from 'node:fs';
import { closedAfterEach, minOk, sleep, tcpServer, tempDir } from './peers.js';

const own = closedAfterEach();

/** Valid UTF-8 text of about `bytes` bytes mixing 1- to 4-byte characters and newlines. */
function text(bytes: number, seed = 1): string {
  const pool = ['a', 'Z', '0', ' ', '\n', 'é', 'ß', 'ж', '€', '✓', '中', '😀', '𝄞', '\r\n'];
  let x = seed;
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const c = pool[x % pool.length]!;
    parts.push(c);
    n += Buffer.byteLength(c);
  }
  return parts.join('');
}

/** Read exactly `n` bytes from a Node socket. */
function readBytes(s: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (b: Buffer) => {
      parts.push(b);
      got += b.length;
      if (got >= n) {
        s.off('data', onData);
        resolve(Buffer.concat(parts));
      }
    };
    s.on('data', onData);
  });
}

describe('large payloads', () => {
  it('round-trips 6 MB from min through a Node peer and back, byte-exact, in one recv', async () => {
    const payload = text(6 << 20);
    const bytes = Buffer.from(payload, 'utf8');
    let received: Buffer | null = null;
    own.peer = await tcpServer(async (s) => {
      received = await readBytes(s, bytes.length);
      s.end(received);
    });
    // The payload reaches min as a file written by the test: min has no other way to get megabytes.
    const file = tmpFile(payload);
    const out = await minOk(`"${file.path}" fread :p
      {} socket "127.0.0.1" ${own.peer.port} connect :c
      c p send
      c ${bytes.length} recv :back
      back p == puts! c 1 recv string puts!`);
    file.remove();
    expect(out).toBe('true\n\n');
    expect(Buffer.compare(received!, bytes)).toBe(0);
  });

  it('round-trips 5 MB sent by Node, received in odd-sized recvs that cut characters', async () => {
    const payload = text(5 << 20, 7);
    const bytes = Buffer.from(payload, 'utf8');
    let back: Promise<Buffer> | null = null;
    own.peer = await tcpServer((s) => {
      back = readBytes(s, bytes.length);
      // Half-close: min reads to the end, then still answers.
      s.end(bytes);
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      "" :all "" :piece
      (c 777 recv @piece piece "" !=) (all piece suffix @all) while
      c all send "done" puts!`);
    expect(out).toBe('done\n');
    const got = await back!;
    expect(got.length).toBe(bytes.length);
    expect(Buffer.compare(got, bytes)).toBe(0);
  });

  it('reads 5 MB of lines with recv-line and sends them back identical', async () => {
    const lines: string[] = [];
    let size = 0;
    for (let k = 0; size < 5 << 20; k++) {
      const l = `${k} ${text(20 + (k % 200), k)}`.replace(/[\r\n]/g, '');
      lines.push(l);
      size += Buffer.byteLength(l) + 1;
    }
    const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
    let back: Promise<Buffer> | null = null;
    own.peer = await tcpServer((s) => {
      back = readBytes(s, bytes.length);
      s.write(bytes);
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      ( c recv-line :l c l "\\n" suffix send ) ${lines.length} times "ok" puts!`);
    expect(out).toBe('ok\n');
    expect(Buffer.compare(await back!, bytes)).toBe(0);
  });

  it('receives a 3 MB line in one piece (with max-line raised above it)', async () => {
    const line = 'x'.repeat(3 << 20);
    own.peer = await tcpServer((s) => s.end(line + '\nafter\n'));
    const out = await minOk(`{4194304 :max-line} socket "127.0.0.1" ${own.peer.port} connect :c
      c recv-line length puts! c recv-line puts!`);
    expect(out).toBe(`${line.length}\nafter\n`);
  });

  it('pauses a fast sender while nobody reads, and loses nothing', async () => {
    const total = 48 << 20;
    let buffered = 0;
    own.peer = await tcpServer(async (s) => {
      const chunk = Buffer.alloc(1 << 16, 'y');
      for (let k = 0; k < total / chunk.length; k++) s.write(chunk);
      s.end();
      await sleep(400);
      buffered = s.writableLength;
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      800 sleep
      0 :n 0 :k (c 1048576 recv length @k k 0 >) (n k + @n) while n puts!`);
    expect(out).toBe(`${total}\n`);
    // Most of it was still waiting in the sender: min did not swallow it all.
    expect(buffered).toBeGreaterThan(total / 2);
  });
});

function tmpFile(content: string): { path: string; remove(): void } {
  const t = tempDir();
  const path = t.path('payload.txt');
  writeFileSync(path, content);
  return { path, remove: t.remove };
}
