// A recv-line echo server flooded with a GiB that holds no newline stays
// small and keeps answering: bench/line-flood.mjs does the flooding (a min
// `serve` script through bin/min-ts, two Node clients on loopback) and
// reports the server's peak resident memory from /proc.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './cli.js';

const MIB = 2 ** 20;

function flood(mib: number): Promise<{ bytes: number; peakRss: number; answers: string[]; flooderAnswers: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(root, 'bench', 'line-flood.mjs'), String(mib), '--json'], { timeout: 120_000 }, (e, out, err) => {
      if (e) reject(new Error(`${e.message}\n${err}`));
      else resolve(JSON.parse(out));
    });
  });
}

describe.runIf(existsSync('/proc/self/status'))('a line server under a flood', () => {
  it('1 GiB without a newline: under 200 MiB of memory, the other client answered throughout, the connection usable after', async () => {
    const r = await flood(1024);
    expect(r.bytes).toBe(1024 * MIB);
    expect(r.peakRss).toBeLessThan(200 * MIB);
    expect(r.answers).toEqual(Array.from({ length: 16 }, (_, k) => `stage ${k + 1}`));
    expect(r.flooderAnswers).toEqual([
      '! line too long: the peer sent a line of more than 1048576 bytes (max-line); it is skipped up to its newline',
      'after the flood',
    ]);
    expect(r.stderr).toBe('');
  }, 120_000);
});
