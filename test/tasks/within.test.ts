// within around socket waits: the deadline raises TimeoutError in the
// recv-line it interrupts, and the line that comes later is still there for
// the next recv-line. A Node peer on loopback.
import { describe, expect, it } from 'vitest';
import { startMin, minPrinted, tcpServer } from '../net/peers.js';

describe('within', () => {
  it('around recv-line: TimeoutError on time, and the data arriving later is not lost', async () => {
    let send: ((s: string) => void) | null = null;
    const peer = await tcpServer((s) => (send = (text) => void s.write(text)));
    const p = startMin(`
      {} socket "127.0.0.1" ${peer.port} connect :c
      now :t0
      (((c recv-line) 400 within) (:e e 'error dget puts! e 'message dget puts!)) try
      now t0 - 1000 * :took
      "took " took string suffix puts!
      ; nested: the outer deadline ends the inner's wait
      now @t0
      ((((c recv-line) 100000 within) 300 within) ('message dget puts!)) try
      now t0 - 1000 * @took
      "took " took string suffix puts!
      "ready" puts!
      c recv-line puts!
      c close
    `);
    await minPrinted(p, 'ready');
    send!('late line\n');
    const out = await p.ok();
    peer.close();
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('TimeoutError');
    expect(lines[1]).toBe('timed out after 400 ms (within)');
    const first = Number(lines[2]!.split(' ')[1]);
    expect(first).toBeGreaterThanOrEqual(350);
    expect(first).toBeLessThan(20_000);
    expect(lines[3]).toBe('timed out after 300 ms (within)');
    const second = Number(lines[4]!.split(' ')[1]);
    expect(second).toBeGreaterThanOrEqual(250);
    expect(second).toBeLessThan(20_000);
    expect(lines.slice(5)).toEqual(['ready', 'late line']);
  });
});
