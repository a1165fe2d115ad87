// Every registered operator, called with every combination of 0, 1 and 2
// operands from a set of representative values (ints, floats, strings,
// quotations, symbols, booleans, null, dicts, typed dicts forged without a
// native handle, a deep quotation; for operators that take more, type-matching
// values below them): whatever happens, the outcome is a value or a min error
// in words, never a JavaScript error (TypeError, 'is not a function', a stack
// trace, Node's argument errors) dressed as one. Values that fail an operand's
// type check are refused by the machine before the body runs, all the same
// way, so three of them stand for the rest at each position. Each operator
// gets a fresh runtime, each call a fresh machine and a time budget (a call
// still running then is stopped and listed, not failed: `(1) 2^53 times` is a
// fine program); everything runs with cwd and HOME in a temporary directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../src/ops/modules.js';
import { nativeOp, prepareOp, type NativeOp } from '../src/core/registry.js';
import { read } from '../src/core/reader.js';
import { makeDict } from '../src/core/dict.js';
import { EntryKind, valueEntry } from '../src/core/scope.js';
import { Dict, Flt, Sym, copyLiteral, type Value } from '../src/core/values.js';
import { MinError } from '../src/core/errors.js';
import { SKIPPED, enterSandbox, escapeOf, fuzzRuntime, runItems, textEscape } from './fuzz-harness.js';

/** A value made afresh for each call (dicts are mutable), from a min literal or in JavaScript. */
interface Sample {
  label: string;
  make: () => Value;
}

/** A literal as the reader gives it; a dict literal is copied for each call, as evaluating it would. */
const fromSource = (src: string): Sample => {
  const [v] = read(src);
  if (v instanceof Dict) return { label: src, make: () => copyLiteral(v, null) };
  return { label: src, make: () => v! };
};
const fromJs = (label: string, make: () => Value): Sample => ({ label, make });

function deepQuotation(depth: number): Value[] {
  let q: Value[] = [1];
  for (let k = 0; k < depth; k++) q = [q];
  return q;
}
const DEEP = deepQuotation(20_000);

function deepDict(depth: number): Dict {
  let d = makeDict({ a: 1 });
  for (let k = 0; k < depth; k++) d = makeDict({ d });
  return d;
}

/** A dict that holds itself, as a scope dict stored in its own scope is. */
function selfDict(): Dict {
  const d = makeDict({ a: 1 });
  d.scope.set('self', valueEntry(d, EntryKind.Quoted));
  return d;
}

/** A typed dict made without a native handle, as a script makes one with a constructor. */
const forged = (type: string, pairs: Record<string, Value> = {}): Sample =>
  fromJs(`forged dict:${type}`, () => makeDict(pairs, type));

const SAMPLES: Sample[] = [
  // ints
  fromSource('0'),
  fromSource('-1'),
  fromSource('3'),
  fromSource('9007199254740992'),
  fromSource('9223372036854775807'),
  // floats
  fromJs('nan', () => new Flt(NaN)),
  fromJs('inf', () => new Flt(Infinity)),
  fromJs('-inf', () => new Flt(-Infinity)),
  fromSource('-0.0'),
  fromSource('2.5'),
  // strings
  fromSource('""'),
  fromSource('"héllo ✓ 𝄞"'),
  fromJs('"a\\u0000b"', () => 'a\u0000b'),
  fromSource('"a b,c"'),
  fromSource('"-1"'),
  fromSource('"(["'),
  // quotations
  fromSource('()'),
  fromSource('(1 2 3)'),
  fromSource('((1) (2 (3)) "x")'),
  fromSource('("b" "a")'),
  fromSource('(dup)'),
  fromSource('(pop)'),
  fromJs('a quotation nested 20000 deep', () => DEEP),
  // symbols
  fromSource("'sym"),
  fromSource("'__proto__"),
  fromSource("'constructor"),
  fromJs('a bare symbol', () => new Sym('sym')),
  // booleans, null
  fromSource('true'),
  fromSource('false'),
  fromSource('null'),
  // dicts
  fromSource('{}'),
  fromSource('{1 :a "x" :b (1 2) :c}'),
  fromSource('{{1 :a} :d}'),
  fromJs('a dict that holds itself', selfDict),
  forged('socket', { address: '127.0.0.1', port: 0 }),
  forged('task', { id: 1 }),
  forged('error', { error: 'MinRuntimeError', message: 'forged' }),
  forged('datastore', { data: makeDict({}), path: 'ds.json' }),
  forged('xml-element', { tag: 'a', attributes: makeDict({}), children: [] }),
  forged('xml-entity', { value: 'amp' }),
  forged('timeinfo', { year: 2020 }),
  forged('http-response', {}),
  forged('url', {}),
  forged('channel', { size: 1 }),
];

/**
 * Samples too costly to try in every combination (a pushed dict is a copy):
 * each is tried at each operand position, the others holding their first
 * candidate.
 */
const DEEP_DICT = deepDict(20_000);
const HEAVY: Sample[] = [fromJs('a dict nested 20000 deep', () => DEEP_DICT)];

/** Samples that fail a check: the machine refuses them before the body runs, the same way for all, so a few stand for the rest. */
const MISFITS = 3;

/** The samples to try at one operand position: all that pass its type check, and a few that do not. */
function candidates(check: (v: Value) => boolean): Sample[] {
  const fit = SAMPLES.filter((s) => check(s.make()));
  const misfit = SAMPLES.filter((s) => !check(s.make()));
  // Misfits of different kinds: spread over the list, which is grouped by kind.
  const step = Math.max(1, Math.floor(misfit.length / MISFITS));
  return [...fit, ...misfit.filter((_, k) => k % step === 0).slice(0, MISFITS)];
}

/**
 * Operand lists (deepest first). An operator of fixed arity k sees only its
 * top k values: it gets every combination of k candidates, and every
 * shorter list of them (too few operands). Arity 0 gets nothing or any one
 * sample below; operators that take what they need every combination of
 * 0, 1 and 2 samples. Beyond 2 operands, the deeper ones are the first
 * sample that passes their check.
 */
function operandLists(op: NativeOp): Sample[][] {
  if (op.inTypes.includes('a*')) return combinations([SAMPLES, SAMPLES]);
  if (op.arity === 0) return combinations([SAMPLES]);
  const below: Sample[] = [];
  for (let k = 0; k < op.arity - 2; k++) below.push(candidates(op.checks[k]!)[0]!);
  const top = op.checks.slice(Math.max(0, op.arity - 2)).map(candidates);
  const lists = combinations(top).map((l) => (l.length === top.length ? [...below, ...l] : l));
  const firsts = [...below, ...top.map((c) => c[0]!)];
  for (const heavy of HEAVY) for (let k = 0; k < firsts.length; k++) lists.push(firsts.map((s, j) => (j === k ? heavy : s)));
  return lists;
}

/** Every list of choices from the positions, and the shorter lists of the last positions' choices. */
function combinations(positions: Sample[][]): Sample[][] {
  let lists: Sample[][] = [[]];
  const out: Sample[][] = [[]];
  for (let k = positions.length - 1; k >= 0; k--) {
    lists = positions[k]!.flatMap((s) => lists.map((l) => [s, ...l]));
    out.push(...lists);
  }
  return out;
}

const BUDGET_MS = 500;
/** Calls slower than this are listed (not a failure: a loaded machine is slow). */
const SLOW_MS = 100;

interface ModuleReport {
  calls: number;
  escapes: string[];
  stopped: string[];
  slow: string[];
}

/** One line per operator and kind of escape, with the first call that showed it. */
function noteEscape(report: ModuleReport, call: string, why: string): void {
  const op = call.slice(call.lastIndexOf(' ') + 1);
  const kind = `${op}: ${why.replace(/ in ".*/s, '')}`;
  if (report.escapes.some((e) => e.startsWith(kind))) return;
  report.escapes.push(`${kind}, e.g. ${call}: ${why}`);
}

async function fuzzModule(name: string): Promise<ModuleReport> {
  const m = MODULES.find((x) => x.name === name)!;
  const report: ModuleReport = { calls: 0, escapes: [], stopped: [], slow: [] };
  const cwd = process.cwd();
  for (const def of m.ops) {
    if (def.alias || SKIPPED[def.name]) continue;
    const op = prepareOp(nativeOp(def, m.name));
    const { rt, err } = fuzzRuntime(undefined, DEV);
    // The symbol samples name: one holding the deep quotation (save-symbol, source... walk it), one a lambda.
    rt.global.set('sym', valueEntry(DEEP, EntryKind.Quoted));
    rt.global.set('constructor', valueEntry([new Sym('dup')], EntryKind.Value));
    const sym = new Sym(def.name);
    try {
      for (const operands of operandLists(op)) {
        const started = performance.now();
        const outcome = await runItems(rt, operands.map((s) => s.make()), [sym], BUDGET_MS);
        report.calls++;
        const call = `${operands.map((s) => s.label).join(' ')} ${def.name}`.trim();
        const took = performance.now() - started;
        if (took > SLOW_MS && outcome.kind !== 'budget') report.slow.push(`${call} (${Math.round(took)} ms)`);
        if (outcome.kind === 'budget') report.stopped.push(call);
        else if (outcome.kind === 'error') {
          const why = escapeOf(outcome.error);
          if (why) noteEscape(report, call, why);
        }
      }
      const why = textEscape(err());
      if (why) noteEscape(report, `${def.name} (stderr)`, why);
    } finally {
      rt.releaseAll();
      process.chdir(cwd);
    }
  }
  return report;
}

let sandbox: ReturnType<typeof enterSandbox>;
beforeAll(() => {
  sandbox = enterSandbox();
});
afterAll(() => sandbox.restore());

/** FUZZ_DEV=1: in development mode (-d), where operators check more. */
const DEV = process.env.FUZZ_DEV === '1';

/** FUZZ_MODULES=net,seq fuzzes only those modules (to reproduce a failure quickly). */
const only = process.env.FUZZ_MODULES?.split(',');

describe('every operator with every combination of 0-2 representative operands', () => {
  for (const m of MODULES) {
    if (only && !only.includes(m.name)) continue;
    it(`${m.name}: gives a value or a min error in words`, async () => {
      const r = await fuzzModule(m.name);
      if (r.stopped.length) console.log(`${m.name}: stopped after ${BUDGET_MS} ms: ${r.stopped.join('; ')}`);
      if (r.slow.length) console.log(`${m.name}: slow: ${r.slow.join('; ')}`);
      expect(r.escapes.slice(0, 40)).toEqual([]);
      expect(r.calls).toBeGreaterThan(0);
    }, 120_000);
  }
});

/**
 * Sockets with a native handle, made afresh for each call by min code: the
 * net and task operators get them at every position a socket fits, with the
 * samples at the others. They stay on loopback: connect and send-to (which
 * would resolve the sample strings as host names by DNS) and listen (whose
 * defaults bind all interfaces) are left to test/net, except as the making
 * of these.
 */
const LIVE: { label: string; type: string; code: Value[] }[] = [
  { label: 'a tcp socket', type: 'socket', code: read('{} socket') },
  { label: 'a tcp server on 127.0.0.1', type: 'socket', code: read('{} socket {"127.0.0.1" :address 0 :port} listen') },
  { label: 'a udp socket on 127.0.0.1', type: 'socket', code: read('{"dgram" :type "udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen') },
  { label: 'a udp socket on ::1', type: 'socket', code: read('{"dgram" :type "udp" :protocol "ipv6" :domain} socket {"::1" :address 0 :port} listen') },
  { label: 'a closed tcp socket', type: 'socket', code: read('{} socket dup close') },
  // and what the task module waits on
  { label: 'a channel of 1', type: 'channel', code: read('1 channel') },
  { label: 'a channel of 0', type: 'channel', code: read('0 channel') },
  { label: 'a spawned task', type: 'task', code: read('(1 2) spawn') },
];
const LIVE_SKIPPED = new Set(['connect', 'send-to', 'listen']);
/** Many of these calls wait for a peer that never comes (recv, accept, serve): they are stopped sooner. */
const LIVE_BUDGET_MS = 150;

describe('net and task operators on live sockets, channels and tasks', () => {
  for (const name of ['net', 'task']) {
    it(`${name}: gives a value or a min error in words`, async () => {
      const m = MODULES.find((x) => x.name === name)!;
      const escapes: string[] = [];
      let calls = 0;
      for (const def of m.ops) {
        if (def.alias || SKIPPED[def.name] || LIVE_SKIPPED.has(def.name)) continue;
        const op = prepareOp(nativeOp(def, m.name));
        const top = op.checks.slice(Math.max(0, op.arity - 2));
        const below = op.checks.slice(0, Math.max(0, op.arity - 2)).map((c) => candidates(c)[0]!);
        // Every list with a live one somewhere on top: at each position that asks for its
        // type (not any value or any dict, where the samples stand for it), or a sample.
        const typed = (c: (v: Value) => boolean, l: (typeof LIVE)[number]): boolean => c(makeDict({}, l.type)) && !c(makeDict({}));
        // Beside a live one, a few samples do (many of these calls wait, and are stopped).
        const few = (c: (v: Value) => boolean): Sample[] => [...candidates(c).slice(0, 3), ...candidates(c).slice(-1)];
        const choices = top.map((c) => [...LIVE.filter((l) => typed(c, l)).map((l) => ({ live: l })), ...few(c).map((s) => ({ sample: s }))]);
        const { rt, err } = fuzzRuntime();
        try {
          for (const list of product(choices)) {
            if (!list.some((c) => 'live' in c)) continue;
            const stack: Value[] = below.map((s) => s.make());
            for (const c of list) {
              if ('sample' in c) stack.push(c.sample.make());
              else {
                const made = await runItems(rt, [], c.live.code, BUDGET_MS);
                if (made.kind !== 'value') throw new Error(`making ${c.live.label} failed: ${made.kind === 'error' ? String(made.error) : 'too slow'}`);
                stack.push(made.stack[made.stack.length - 1]!);
              }
            }
            const outcome = await runItems(rt, stack, [new Sym(def.name)], LIVE_BUDGET_MS);
            calls++;
            const call = `${list.map((c) => ('live' in c ? c.live.label : c.sample.label)).join(', ')} ${def.name}`;
            if (outcome.kind === 'error') {
              const why = escapeOf(outcome.error);
              if (why && !escapes.some((e) => e.startsWith(`${def.name}: ${why}`))) escapes.push(`${def.name}: ${why} (${call})`);
            }
          }
          const why = textEscape(err());
          if (why) escapes.push(`${def.name} (stderr): ${why}`);
        } finally {
          rt.releaseAll();
        }
      }
      expect(escapes).toEqual([]);
      expect(calls).toBeGreaterThan(0);
    }, 120_000);
  }
});

/** Every list of one choice per position. */
function product<T>(positions: T[][]): T[][] {
  let lists: T[][] = [[]];
  for (const p of positions) lists = lists.flatMap((l) => p.map((c) => [...l, c]));
  return lists;
}

describe('the fuzz check itself', () => {
  it('tells JavaScript errors from min errors in words', async () => {
    const { toMinError } = await import('../src/core/errors.js');
    expect(escapeOf(toMinError(new TypeError("Cannot read properties of undefined (reading 'x')")))).toMatch(/JavaScript error/);
    expect(escapeOf(new RangeError('Invalid array length'))).toMatch(/non-min error/);
    expect(escapeOf(new MinError("Unable to read file 'x': The argument 'path' must be a string. Received 'a'", 'IOError'))).toMatch(/Node.js/);
    expect(escapeOf(new MinError('x.slice is not a function', 'MinInvalidError'))).toMatch(/is not a function/);
    expect(escapeOf(new MinError("Undefined symbol 'x'", 'MinUndefinedError'))).toBeNull();
    expect(escapeOf(new MinError('Attempting to bind undefined symbol: x', 'MinUndefinedError'))).toBeNull();
  });
});
