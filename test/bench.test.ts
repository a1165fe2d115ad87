// The benchmark harness itself: `npm run bench -- --quick` runs every
// benchmark on a small workload, once. Its figures mean nothing (speed is
// judged by `npm run bench`, never by a test); this only checks that every
// section still runs against real servers and prints its rows.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

describe('bench --quick', () => {
  it('runs every section and prints a row for each benchmark', () => {
    const doc = join(root, 'docs', 'performance.md');
    const before = readFileSync(doc, 'utf8');
    const r = spawnSync(process.execPath, [join(root, 'bench', 'run.mjs'), '--quick'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('|  |'));
    expect(rows.filter((l) => l.includes('(failed'))).toEqual([]);
    const sections = new Set(rows.map((l) => l.split('|')[1]!.trim()));
    expect([...sections]).toEqual(['Interpreter', 'Start-up', 'Parser', 'Network']);
    for (const name of ['fib 25 (^fib lambda)', 'empty script', 'reader,', 'line ping-pong', 'clients x 100 lines streamed', 'concurrent clients x 10 lines, `serve`', 'a task `spawn`ed per client', 'peak RSS', 'through send/recv', 'over TLS', 'through a relay', 'GETs of a route', 'GETs of a 1 MiB static file']) {
      expect(rows.some((l) => l.includes(name)), name).toBe(true);
    }
    // A quick run leaves the measured figures alone.
    expect(readFileSync(doc, 'utf8')).toBe(before);
  }, 150_000);
});
