// Runs every language case in test/cases/<area>/*.min. A case states what it
// prints with `; expect: LINE` comments (in order), and optionally
// `; expect-error: TEXT` (a substring of stderr) and `; exit: N`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCaptured } from '../src/lang/interpreter.js';
import { compileMode } from '../src/lang/compile.js';
import { withMachineLock } from './machine-lock.js';

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

async function check(file: string): Promise<void> {
  const src = readFileSync(file, 'utf8');
  // A case working in a fixed directory under /tmp takes turns with other checkouts' suites.
  const fixedDir = /\/tmp\/(min-ts-case-[\w-]+)/.exec(src)?.[1];
  if (fixedDir) return withMachineLock(fixedDir, () => run(file, src));
  return run(file, src);
}

async function run(file: string, src: string): Promise<void> {
  const want = expectations(src);
  const got = await runCaptured(src, { file, args: [file] });
  expect(got.out).toBe(want.out);
  for (const e of want.errors) expect(got.err).toContain(e);
  if (!want.errors.length) expect(got.err).toBe('');
  expect(got.code).toBe(want.exit);
}

for (const [area, files] of byArea) {
  describe(area, () => {
    for (const file of files) it(relative(root, file), () => check(file));
  });
}

// The same cases again with every quotation compiled on its first run (see
// src/lang/compile.ts), so compiled code is held to the interpreter's results.
describe('compiled at once', () => {
  beforeAll(() => compileMode('always'));
  afterAll(() => compileMode('hot'));
  for (const files of byArea.values()) {
    for (const file of files) {
      it(relative(root, file), () => check(file));
    }
  }
});
