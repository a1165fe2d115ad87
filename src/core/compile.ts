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
import { Cmd, Dict, Resolved, Sym, copyLiteral, type Value } from './values.js';
import { EntryKind, type Entry } from './scope.js';
import { EntryAction, ItemAction, entryAction, itemAction } from './evaluation.js';
import { Check, fits } from './types.js';
import type { NativeOp } from './registry.js';
import type { Machine } from './machine.js';
import type { QuotationFrame } from './frame.js';

/** Returned when the item at the frame's pc is left to the interpreter. */
export const BAIL: unique symbol = Symbol('bail');

/** Runs the frame's items from its pc; undefined: look at the frames again. */
export type Code = (m: Machine, f: QuotationFrame) => Promise<unknown> | undefined | typeof BAIL;

/**
 * When quotations are compiled: `hot` (the default), `always` (every one on
 * its first run, whatever its size) or `never`. The tests run the language
 * cases and random programs in all three, so compiled and interpreted runs
 * are held to the same results.
 */
export type CompileMode = 'hot' | 'always' | 'never';

/** One runtime's compiled quotations, and when it compiles them. */
export class CodeCache {
  /** Runs of a quotation before it is compiled: most quotations run once. */
  private readonly hot: number;
  /** Shorter ones gain nothing; longer ones are top-level programs or data. */
  private readonly minItems: number;
  private readonly maxItems: number;
  /** Per quotation: its runs so far, its code, or null (not compiled, for good). */
  private readonly codes = new WeakMap<Value[], number | Code | null>();

  constructor(readonly mode: CompileMode = 'hot') {
    [this.hot, this.minItems, this.maxItems] = mode === 'always' ? [1, 1, Infinity] : mode === 'never' ? [1, Infinity, 0] : [3, 2, 400];
  }

  /** The compiled code of `items`, compiling it once it is hot; null while it is not. */
  codeFor(items: Value[], m: Machine): Code | null {
    const c = this.codes.get(items);
    if (typeof c === 'function' || c === null) return c;
    const runs = (c ?? 0) + 1;
    if (runs < this.hot) {
      this.codes.set(items, runs);
      return null;
    }
    const code = items.length < this.minItems || items.length > this.maxItems ? null : tryCompile(items, m);
    this.codes.set(items, code);
    return code;
  }
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
  lines.push('const D = m.frames.length;', 'const EP = m.caches;', 'let st, e, r, len, c;', 'switch (f.pc) {');
  items.forEach((v, k) => {
    lines.push(`case ${k}: f.pc = ${k + 1};`);
    lines.push(item(v, k, env, m, Q));
  });
  lines.push('}', 'return undefined;');
  const params = ['BAIL', 'Sym', 'Cmd', 'Dict', 'ACTION', 'FITS', 'COPY', ...env.names];
  const make = new Function(...params, `return function compiled(m, f) {\n${lines.join('\n')}\n};`);
  return make(BAIL, Sym, Cmd, Dict, entryAction, fits, copyLiteral, ...env.values) as Code;
}

/** Give item k back to the interpreter. */
const bail = (k: number): string => `{ f.pc = ${k}; return BAIL; }`;

/** The code for item k: what the machine's loop does with it (itemAction), decided once. */
function item(v: Value, k: number, env: Env, m: Machine, Q: string): string {
  switch (itemAction(v)) {
    case ItemAction.Push:
      // Plain literals are written into the code; floats, quotations and dicts are taken from the items.
      if (typeof v === 'string' || typeof v === 'boolean' || v === null || (Number.isSafeInteger(v) && !Object.is(v, -0))) {
        return `m.stack.push(${JSON.stringify(v)});`;
      }
      return `m.stack.push(${Q}[${k}]);`;
    case ItemAction.Evaluate:
      return symbol(v as Sym, k, env, m);
    case ItemAction.CopyLiteral:
      return `m.stack.push(COPY(${Q}[${k}], f.scope));`;
    case ItemAction.RunCommand:
      return bail(k);
  }
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
  if (s.resolved === Resolved.Sigil && s.resolvedEpoch === m.caches.global && s.resolvedEntry === m.bindEntry) {
    const B = bind(env, m.bindEntry);
    return `if (${S}.resolvedEpoch !== EP.global || ${S}.resolved !== ${Resolved.Sigil} || ${S}.resolvedEntry !== ${B} || !m.quickBind(${S}, f)) ${generic(`m.evalSym(${S}, f)`)}`;
  }
  const resolve = [
    `if (${S}.resolvedEpoch === EP.global) e = ${S}.resolved === ${Resolved.Global} ? ${S}.resolvedEntry : null;`,
    `else if (${S}.localScope === f.scope && ${S}.localEpoch === EP.local) e = ${S}.localEntry;`,
    'else e = null;',
    `if (e === null) ${generic(`m.evalSym(${S}, f)`)}`,
  ].join('\n');
  const now = currentEntry(s, m);
  const op = now !== undefined && entryAction(now) === EntryAction.CallNative ? now.op! : null;
  if (op !== null && !op.gen && op.arity >= 0 && op.arity <= 3) return `${resolve}\nelse ${native(op, S, env)}`;
  // A value is pushed, unless applying the entry does more (entryAction, as apply decides);
  // a stored dict (a socket in a loop) is pushed as a copy that knows its name, as applyStored does.
  // The two common cases are tested here rather than through ACTION, which V8
  // does not inline into a large quotation: a stored number, string, boolean
  // or null (what entryAction answers first), and a stored dict.
  return `${resolve}
else if (e.kind !== ${EntryKind.Native} && (typeof (c = e.val) !== 'object' || c === null)) m.stack.push(c);
else if (e.kind !== ${EntryKind.Native} && e.val instanceof Dict) { c = COPY(e.val, f.scope); c.origin = e; m.stack.push(c); }
else if (ACTION(e) === ${EntryAction.Push}) m.stack.push(e.val);
else ${generic(`m.apply(e, ${S}, f)`)}`;
}

/** The entry a symbol's caches hold now (compilation happens after runs filled them). */
function currentEntry(s: Sym, m: Machine): Entry | undefined {
  if (s.resolvedEpoch === m.caches.global && s.resolved === Resolved.Global) return s.resolvedEntry as Entry;
  if (s.localEpoch === m.caches.local) return s.localEntry as Entry;
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
    // (Only native entries hold an operator, so the identity test covers the kind.)
    `if (e.op !== ${O} || len < ${n}${checks.map((c) => ` || ${c}`).join('')}) ${generic(`m.apply(e, ${S}, f)`)}`,
    'else {',
    `m.cur = ${S};`,
  ];
  for (let j = n - 1; j >= 0; j--) out.push(`const ${args[j]} = st.pop();`);
  out.push(`r = ${F}(m${args.map((a) => `, ${a}`).join('')});`);
  if (op.pushResult) {
    out.push(
      'if (r instanceof Promise) { m.noteWait(r); return r.then((x) => void m.stack.push(x)); }',
      // Like min's push, a symbol an operator produces is evaluated.
      'if (r instanceof Sym) return m.evalSym(r, f);',
      'if (r instanceof Cmd) return m.runCmd(r);',
      'm.stack.push(r);',
    );
  } else out.push('if (r instanceof Promise) { m.noteWait(r); return r; }');
  // An operator that started frames (times, while, if...) runs them first.
  out.push('if (m.frames.length !== D) return undefined;', '}', '}');
  return out.join('\n');
}
