// What the fuzz tests share: running one case in a runtime with a time
// budget, and telling a min error in words from a JavaScript error that
// escaped as one (toMinError turns whatever JavaScript throws into a
// MinInternalError carrying the raw message, so that is what to look for).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../src/core/machine.js';
import { MinError } from '../src/core/errors.js';
import { ExitSignal, type Runtime } from '../src/core/runtime.js';
import { createRuntime } from '../src/ops/modules.js';
import type { Value } from '../src/core/values.js';
import type { CompileMode } from '../src/core/compile.js';

/** Operators that must not run in a test (the operator fuzz), and why. */
export const SKIPPED: Record<string, string> = {
  exit: 'ends the program',
  quit: 'ends the program',
  fatal: 'ends the program',
  system: 'runs a shell command',
  'system-output': 'runs a shell command',
  run: 'runs a shell command',
  sleep: 'sleeps for as long as it is told (2^53 ms among the values)',
  'dns-lookup': "asks the system's DNS resolver about the sample strings (traffic off the machine)",
  'dns-resolve': "asks the system's DNS resolver about the sample strings (traffic off the machine)",
  'dns-reverse': "asks the system's DNS resolver about the sample strings (traffic off the machine)",
  'dns-servers': 'changes the DNS servers of the whole test process',
};

/** Text that only a JavaScript error (or a stack trace) puts in a message. */
const JS_TEXT: [RegExp, string][] = [
  [/is not a function/, "'is not a function'"],
  [/Cannot (read|set) propert/, "'Cannot read properties'"],
  // (min's own messages say "undefined symbol", "a system sigil or undefined")
  [/(?<!or )\bundefined\b(?! symbol)/, "'undefined'"],
  [/\b(Type|Range|Reference|Syntax|Internal)Error\b/, 'a JavaScript error name'],
  [/is not iterable|is not a constructor|is not defined|\[object \w+\]/, 'a JavaScript message'],
  [/\bat .*\(?(file:|node:|\/)[^ )]*:\d+:\d+\)?/, 'a stack frame'],
  [/\bERR_[A-Z_]{3,}\b|The (argument '|"\w+" argument|value of ")|Received (type |an instance |')/, 'a Node.js argument error'],
];

/** Longer messages hold a whole value where its start would do. */
const MAX_MESSAGE = 2000;

/** Why e is not a min error in words, or null when it is one. */
export function escapeOf(e: unknown): string | null {
  if (e instanceof ExitSignal) return null;
  if (!(e instanceof MinError)) return `a non-min error escaped: ${describe(e)}`;
  return errorEscape(e.kind, e.message);
}

/** Why an error of this kind and message (as `try` hands it to a script) is not a min error in words, or null. */
export function errorEscape(kind: string, message: string): string | null {
  if (kind === 'MinInternalError') return `a JavaScript error: ${message}`;
  if (!/[A-Za-z]{2,}/.test(message)) return `a message without words: ${JSON.stringify(message)}`;
  // A message quotes the start of a value, never the whole of a huge one.
  if (message.length > MAX_MESSAGE) return `a message of ${message.length} characters: ${JSON.stringify(message.slice(0, 100))}...`;
  // Code that walks nested values does it with a stack of its own (only the reader may run out of host stack).
  if (kind === 'MinRecursionError' && /host stack/.test(message)) return 'a walk by recursion ran out of host stack';
  return textEscape(message);
}

/** Why the text (a message, or what a program wrote to stderr) shows a JavaScript error, or null. */
export function textEscape(text: string): string | null {
  for (const [pattern, what] of JS_TEXT) if (pattern.test(text)) return `${what} in ${JSON.stringify(text.slice(0, 300))}`;
  return null;
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return String(e);
}

export type Outcome =
  /** Ran to the end, leaving `stack`. */
  | { kind: 'value'; stack: Value[] }
  | { kind: 'error'; error: unknown }
  /** Still running (or waiting) when the budget ran out: stopped, not a failure in itself. */
  | { kind: 'budget' };

/** Stop every machine of the runtime: a suspended loop finds no frames left when it resumes. */
function stopAll(m: Machine, rt: Runtime): void {
  m.frames.length = 0;
  for (const t of rt.tasks) t.machine.frames.length = 0;
  rt.tasks.clear();
}

/**
 * Run items in a new machine of rt (rt's global scope) whose stack starts as
 * `stack`; the tasks it spawns get the rest of the budget. Never throws.
 */
export async function runItems(rt: Runtime, stack: Value[], items: Value[], budgetMs: number): Promise<Outcome> {
  const m = new Machine(rt);
  m.stack = stack;
  let settle: Promise<Outcome>;
  try {
    const r = m.execute(items, rt.global, true);
    if (r === undefined && rt.tasks.size === 0) return { kind: 'value', stack: m.stack };
    settle = Promise.resolve(r).then(
      () => waitTasks(rt, m),
      (error: unknown) => ({ kind: 'error', error }),
    );
  } catch (error) {
    if (rt.tasks.size > 0) stopAll(m, rt);
    return { kind: 'error', error };
  }
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<Outcome>((res) => (timer = setTimeout(() => res({ kind: 'budget' }), budgetMs)));
  const outcome = await Promise.race([settle, budget]);
  clearTimeout(timer);
  if (outcome.kind === 'budget') stopAll(m, rt);
  return outcome;
}

/** Wait for the tasks of rt; a task's failure is reported on rt's stderr, checked by the caller. */
async function waitTasks(rt: Runtime, m: Machine): Promise<Outcome> {
  while (rt.tasks.size > 0) await Promise.all([...rt.tasks].map((t) => t.done));
  return { kind: 'value', stack: m.stack };
}

/** A runtime whose output is kept (stderr checked for escapes) and dropped as it grows. */
export function fuzzRuntime(compile?: CompileMode, dev = false): { rt: Runtime; err: () => string } {
  let err = '';
  const rt = createRuntime({
    compile,
    dev,
    out: { write: () => {} },
    err: { write: (s: string) => void (err.length < 1 << 16 && (err += s)) },
    args: ['<fuzz>'],
  });
  return { rt, err: () => err };
}

/**
 * Run the tests in a temporary directory that is also HOME, so operators
 * that write files (fwrite, save-symbol, mkdir...) write there; gives the
 * function that puts everything back.
 */
export function enterSandbox(): { dir: string; restore: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-fuzz-'));
  const cwd = process.cwd();
  const home = process.env.HOME;
  process.chdir(dir);
  process.env.HOME = dir;
  return {
    dir,
    restore: () => {
      process.chdir(cwd);
      if (home === undefined) delete process.env.HOME;
      else process.env.HOME = home;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fixed-seed count from the environment (FUZZ_SEED, FUZZ_RUNS...), else the default. */
export function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${v}`);
  return n;
}
