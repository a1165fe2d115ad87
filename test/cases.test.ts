// Runs every language case in test/cases/<area>/*.min. A case states what it
// prints with `; expect: LINE` comments (in order), and optionally
// `; expect-error: TEXT` (a substring of stderr) and `; exit: N`. A line
// `; dev` runs the case in development mode (as `min-ts -d` would).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCaptured } from '../src/run.js';
import type { CompileMode } from '../src/core/compile.js';

const root = join(import.meta.dirname, 'cases');

function* walk(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    // mmm/ folders hold modules the cases require, not cases.
    if (statSync(p).isDirectory()) {
      if (f !== 'mmm') yield* walk(p);
    }
    else if (f.endsWith('.min') && !f.startsWith('_')) yield p;
  }
}

export function expectations(src: string): { out: string; errors: string[]; exit: number } {
  const lines: string[] = [];
  const errors: string[] = [];
  let exit = 0;
  for (const m of src.matchAll(/;\s*(expect|expect-error|exit):[ ]?(.*)$/gm)) {
    if (m[1] === 'expect') lines.push(m[2]!);
    else if (m[1] === 'expect-error') errors.push(m[2]!.trim());
    else exit = Number(m[2]);
  }
  if (errors.length && !/;\s*exit:/.test(src)) exit = 1;
  return { out: lines.length ? lines.join('\n') + '\n' : '', errors, exit };
}

const byArea = new Map<string, string[]>();
for (const p of walk(root)) {
  const area = relative(root, p).split('/')[0]!;
  byArea.set(area, [...(byArea.get(area) ?? []), p]);
}

/**
 * A case that works in a fixed directory, /tmp/min-ts-case-NAME, gets one of its own for this
 * test process: the name gains the process id, in the code and in the expected output alike.
 * Suites of several checkouts run at once on a shared machine, and each such case starts by
 * deleting its directory.
 */
function ownDirectories(src: string): { src: string; dirs: string[] } {
  const dirs = new Set<string>();
  const text = src.replace(/\/tmp\/min-ts-case-[\w-]+/g, (dir) => {
    dirs.add(`${dir}-${process.pid}`);
    return `${dir}-${process.pid}`;
  });
  return { src: text, dirs: [...dirs] };
}

async function check(file: string, compile?: CompileMode): Promise<void> {
  const { src, dirs } = ownDirectories(readFileSync(file, 'utf8'));
  try {
    const want = expectations(src);
    const dev = /^;\s*dev\s*$/m.test(src);
    const got = await runCaptured(src, { file, args: [file], compile, dev });
    expect(got.out).toBe(want.out);
    for (const e of want.errors) expect(got.err).toContain(e);
    if (!want.errors.length) expect(got.err).toBe('');
    expect(got.code).toBe(want.exit);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

for (const [area, files] of byArea) {
  describe(area, () => {
    for (const file of files) it(relative(root, file), () => check(file));
  });
}

// The same cases again with every quotation compiled on its first run (see
// src/core/compile.ts), so compiled code is held to the interpreter's results.
describe('compiled at once', () => {
  for (const files of byArea.values()) {
    for (const file of files) {
      it(relative(root, file), () => check(file, 'always'));
    }
  }
});
