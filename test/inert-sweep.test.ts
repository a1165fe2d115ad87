// Every operator of the language modules, called with data read from JSON
// (quotations and dicts holding inert symbols and commands) among its
// operands: whatever it does with them, the symbol `pwned` they name never
// runs, nor the command. This is what keeps a new operator from evaluating
// data by a path of its own.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODULES } from '../src/ops/modules.js';
import { nativeOp, prepareOp } from '../src/core/registry.js';
import { runCaptured } from '../src/run.js';

const dir = mkdtempSync(join(tmpdir(), 'min-ts-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const marker = join(dir, 'command-ran');

/** Modules whose operators only compute (the others wait for peers, files or the terminal). */
const SWEPT = new Set(['global', 'stack', 'seq', 'str', 'logic', 'num', 'dict', 'math', 'crypto', 'time', 'xml', 'dstore']);

/** Operators that leave the program, read the terminal, or change the process or files. */
const SKIPPED = new Set([
  'exit', 'quit', 'gets', 'put-env', 'save-symbol', 'load-symbol', 'remove-symbol', 'saved-symbols', '>', '<',
  'base', 'dsinit', 'dswrite', 'loglevel', 'dev', 'load', 'require', 'system', 'run', '!', '&',
]);

const json = JSON.stringify({
  q: [';sym:pwned'],
  qq: [[';sym:pwned'], [';sym:pwned', 1]],
  d: { a: ';sym:pwned', b: [';sym:pwned'] },
  c: [`;cmd:touch ${marker}`],
  dl: [{ a: ';sym:pwned' }, ';sym:pwned'],
});

const INERT = ['J /q', 'J /qq', 'J /d', 'J /c', 'J /dl'];
const PLAIN = ['1', '"s"', '(1 2)', '{}'];

/** Operand lists of n values holding at least one inert value (deepest first). */
function operands(n: number): string[][] {
  if (n === 0) return [[]];
  const out: string[][] = INERT.map((x) => Array<string>(n).fill(x));
  for (let at = 0; at < n; at++) {
    for (const x of INERT) for (const p of PLAIN) out.push(Array.from({ length: n }, (_, k) => (k === at ? x : p)));
  }
  return out;
}

function sweepProgram(): { program: string; calls: number } {
  const lines = [
    'false :hit',
    '(true @hit) ^pwned',
    `${JSON.stringify(json)} from-json :J`,
    // A JavaScript error turned into a min error would be a bug of its own: report it.
    // (`raise` hands back the dict raised, which may have no `error`.)
    '(:e e "error" dhas? (e /error "MinInternalError" == ("INTERNAL: " e /message suffix puts!) when) when) ^internal',
  ];
  let calls = 0;
  for (const m of MODULES) {
    if (!SWEPT.has(m.name)) continue;
    for (const def of m.ops) {
      if (def.alias || SKIPPED.has(def.name)) continue;
      const op = prepareOp(nativeOp(def, m.name));
      const sizes = op.inTypes.includes('a*') ? [0, 1, 2, 3] : [op.arity];
      for (const n of sizes) {
        for (const args of operands(n)) {
          lines.push(`((${args.join(' ')} ${def.name}) (internal)) try clear-stack`);
          calls++;
        }
      }
    }
  }
  lines.push('hit "pwned ran: $1" swap quote % puts!');
  return { program: lines.join('\n'), calls };
}

describe('operators given data read from JSON', () => {
  it('never run the symbols or commands in it', async () => {
    const { program, calls } = sweepProgram();
    expect(calls).toBeGreaterThan(5000);
    const r = await runCaptured(program, { args: ['<sweep>'] });
    expect(r.out.split('\n').filter((l) => l.startsWith('INTERNAL: '))).toEqual([]);
    expect(r.out.trim().split('\n').at(-1)).toBe('pwned ran: false');
    expect(existsSync(marker)).toBe(false);
  }, 120_000);
});
