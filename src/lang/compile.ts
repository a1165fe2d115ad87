// Hot quotations compiled to JavaScript. The machine's loop pays, for every
// item, a frame look-up, a type switch, the symbol's cache checks and a call
// through one shared site for all native operators (which V8 cannot inline).
// A quotation that runs again and again (a loop body, a condition, a lambda)
// becomes one function with a `case` per item: the same cache checks, but
// each native call has a site of its own, and its operand checks are written
// out for its signature, so V8 inlines small operators into the quotation.
//
// The compiled code only takes the interpreter's fast paths; for anything
// else (a stale cache, a lambda, an operator that runs quotations, a type
// mismatch to report) it calls the machine's own evalSym or apply, exactly
// as the loop would, and returns to the loop when that suspended or pushed a
// frame. The cases fall through, so the code is entered again at any pc. The
// frame's pc is advanced before an item runs, as the loop does, so errors,
// suspension and frames pushed by operators look just as they do there. A
// command item (`[ls]`) returns BAIL: the loop evaluates that one item itself.
import { Cmd, Dict, Sym, copyLiteral, type Value } from './values.js';
import { EntryKind, epoch, type Entry } from './scope.js';
import { Check, fits } from './types.js';
import type { NativeOp } from './registry.js';
import type { Frame, Machine } from './machine.js';

/** Returned when the item at the frame's pc is left to the interpreter. */
export const BAIL: unique symbol = Symbol('bail');

/** Runs the frame's items from its pc; undefined: look at the frames again. */
export type Code = (m: Machine, f: Frame) => Promise<unknown> | undefined | typeof BAIL;

/** Runs of a quotation before it is compiled: most quotations run once. */
let HOT = 3;
/** Shorter ones gain nothing; longer ones are top-level programs or data. */
let MIN_ITEMS = 2;
let MAX_ITEMS = 400;

/**
 * When quotations are compiled: `hot` (the default), `always` (every one on
 * its first run, whatever its size) or `never`. The tests run the language
 * cases and random programs in all three, so compiled and interpreted runs
 * are held to the same results.
 */
export function compileMode(mode: 'hot' | 'always' | 'never'): void {
  [HOT, MIN_ITEMS, MAX_ITEMS] = mode === 'always' ? [1, 1, Infinity] : mode === 'never' ? [1, Infinity, 0] : [3, 2, 400];
}

const seen = new WeakMap<Value[], number | Code | null>();

/** The compiled code of `items`, compiling it once it is hot; null while it is not. */
export function codeFor(items: Value[], m: Machine): Code | null {
  const c = seen.get(items);
  if (typeof c === 'function' || c === null) return c;
  const runs = (c ?? 0) + 1;
  if (runs < HOT) {
    seen.set(items, runs);
    return null;
  }
  const code = items.length < MIN_ITEMS || items.length > MAX_ITEMS ? null : tryCompile(items, m);
  seen.set(items, code);
  return code;
}

/** What the generated code needs, passed in as parameters rather than globals. */
interface Env {
  names: string[];
  values: unknown[];
}

function bind(env: Env, value: unknown): string {
  const k = env.values.indexOf(value);
  if (k >= 0) return env.names[k]!;
  const name = `k${env.values.length}`;
  env.names.push(name);
  env.values.push(value);
  return name;
}

/** Where code generation is not allowed (--disallow-code-generation-from-strings), the interpreter does it all. */
function tryCompile(items: Value[], m: Machine): Code | null {
  try {
    return compile(items, m);
  } catch {
    return null;
  }
}

function compile(items: Value[], m: Machine): Code {
  const env: Env = { names: [], values: [] };
  const lines: string[] = [];
  const Q = bind(env, items);
  lines.push('const D = m.frames.length;', 'let st, e, r, v, len;', 'switch (f.pc) {');
  items.forEach((v, k) => {
    lines.push(`case ${k}: f.pc = ${k + 1};`);
    lines.push(item(v, k, env, m, Q));
  });
  lines.push('}', 'return undefined;');
  const params = ['EP', 'BAIL', 'Sym', 'Cmd', 'Dict', 'Native', 'FITS', 'COPY', ...env.names];
  const make = new Function(...params, `return function compiled(m, f) {\n${lines.join('\n')}\n};`);
  return make(epoch, BAIL, Sym, Cmd, Dict, EntryKind.Native, fits, copyLiteral, ...env.values) as Code;
}

/** Give item k back to the interpreter. */
const bail = (k: number): string => `{ f.pc = ${k}; return BAIL; }`;

function item(v: Value, k: number, env: Env, m: Machine, Q: string): string {
  if (typeof v === 'string' || typeof v === 'boolean' || v === null || (Number.isSafeInteger(v) && !Object.is(v, -0))) {
    return `m.stack.push(${JSON.stringify(v)});`;
  }
  if (typeof v !== 'object') return `m.stack.push(${Q}[${k}]);`;
  if (v instanceof Sym) return symbol(v, k, env, m);
  if (v instanceof Dict && v.literal) return `m.stack.push(COPY(${Q}[${k}]));`;
  if (v instanceof Cmd) return bail(k);
  // A float, a quotation, a dict that is not a literal: pushed as it is.
  return `m.stack.push(${Q}[${k}]);`;
}

/**
 * Evaluate through the machine (what the interpreter would do for this item),
 * then go back to the loop if that suspended or changed the frames.
 */
const generic = (call: string): string =>
  `{ r = ${call}; if (r !== undefined) return r; if (m.frames.length !== D || m.frames[D - 1] !== f) return undefined; }`;

/**
 * A symbol: its cached resolution, checked exactly as evalSym checks it. An
 * inert symbol (read from JSON) never gets a cache, so it always goes to
 * evalSym, which refuses it.
 */
function symbol(s: Sym, k: number, env: Env, m: Machine): string {
  const S = bind(env, s);
  // `@name` rebinding in place, as evalSym does it.
  if (s.ck === 2 && s.cv === epoch.v && s.ce === m.bindEntry) {
    const B = bind(env, m.bindEntry);
    return `if (${S}.cv !== EP.v || ${S}.ck !== 2 || ${S}.ce !== ${B} || !m.quickBind(${S}, f)) ${generic(`m.evalSym(${S}, f)`)}`;
  }
  const resolve = [
    `if (${S}.cv === EP.v) e = ${S}.ck === 1 ? ${S}.ce : null;`,
    `else if (${S}.ls === f.scope && ${S}.lv === EP.l) e = ${S}.le;`,
    'else e = null;',
    `if (e === null) ${generic(`m.evalSym(${S}, f)`)}`,
  ].join('\n');
  const now = currentEntry(s);
  const op = now?.kind === EntryKind.Native ? now.op : null;
  if (op !== null && op !== undefined && !op.gen && op.arity >= 0 && op.arity <= 3) return `${resolve}\nelse ${native(op, S, env)}`;
  // A value is pushed, unless it is something the interpreter must run.
  return `${resolve}
else if (e.kind !== Native && (typeof (v = e.val) !== 'object' || v === null || !(v instanceof Sym || v instanceof Cmd || (v instanceof Dict && v.literal) || (e.kind !== 2 && Array.isArray(v))))) m.stack.push(v);
else ${generic(`m.apply(e, ${S}, f)`)}`;
}

/** The entry a symbol's caches hold now (compilation happens after runs filled them). */
function currentEntry(s: Sym): Entry | undefined {
  if (s.cv === epoch.v && s.ck === 1) return s.ce as Entry;
  if (s.lv === epoch.l) return s.le as Entry;
  return undefined;
}

/** A call of one known native operator, guarded by its identity and operand types. */
function native(op: NativeOp, S: string, env: Env): string {
  const O = bind(env, op);
  const F = bind(env, op.fn);
  const n = op.arity;
  const checks: string[] = [];
  for (let j = 0; j < n; j++) {
    const code = op.codes[j]!;
    if (code === Check.Any) continue;
    const C = code === Check.Other ? bind(env, op.checks[j]) : 'null';
    checks.push(`!FITS(${code}, st[len - ${n - j}], ${C})`);
  }
  const args = ['a', 'b', 'c'].slice(0, n);
  const out = [
    '{',
    'st = m.stack;',
    'len = st.length;',
    // Another operator under that name, too few operands or a type mismatch:
    // the machine's own call reports it.
    `if (e.kind !== Native || e.op !== ${O} || len < ${n}${checks.map((c) => ` || ${c}`).join('')}) ${generic(`m.apply(e, ${S}, f)`)}`,
    'else {',
    `m.cur = ${S};`,
  ];
  for (let j = n - 1; j >= 0; j--) out.push(`const ${args[j]} = st.pop();`);
  out.push(`r = ${F}(m${args.map((a) => `, ${a}`).join('')});`);
  if (op.pushResult) {
    out.push(
      'if (r instanceof Promise) return r.then((x) => void m.stack.push(x));',
      // Like min's push, a symbol an operator produces is evaluated.
      'if (r instanceof Sym) return m.evalSym(r, f);',
      'if (r instanceof Cmd) return m.runCmd(r);',
      'm.stack.push(r);',
    );
  } else out.push('if (r instanceof Promise) return r;');
  // An operator that started frames (times, while, if...) runs them first.
  out.push('if (m.frames.length !== D) return undefined;', '}', '}');
  return out.join('\n');
}
