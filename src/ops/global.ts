// The global module: definitions, scopes, control flow, errors, conversions
// and the other symbols of min's language core.
import { op, alias, RunIn, type ModuleDef } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { applyQuot, asQuot, pushItem, type Run } from '../core/control.js';
import { MinError, TypeMismatch, emptyStack, endColumn, invalid } from '../core/errors.js';
import { byteOrder, EntryKind, Scope, rebindEntry, valueEntry, type Entry } from '../core/scope.js';
import { Cmd, Dict, Flt, Sym, strOf, typeName, type Value, type Quot } from '../core/values.js';
import { display, show, showShort } from '../core/printer.js';
import { read, newSource } from '../core/reader.js';
import { defineOperator, ReturnSignal } from '../core/operator.js';
import { checkType } from '../core/typecheck.js';
import { dictWithPath, makeDict } from '../core/dict.js';
import { splitAtMost } from '../core/limits.js';
import { ExitSignal } from '../core/runtime.js';
import { errorDict, errorFromDict, formatError } from '../core/errordict.js';
import { describeUncaught } from '../core/uncaught.js';
import { findHelpText, helpDict } from '../core/help.js';
import { entryDict } from '../core/machine.js';
import { tokenize } from '../core/tokenize.js';
import { baseDir, findLoad, findModule, readSource } from '../lib/files.js';
import { fromJson, toJson } from '../lib/json.js';
import { SymbolsFile } from '../lib/saved.js';
import { jsonValues } from './adapt/json-values.js';
import { sealedSymbol } from '../core/sealed.js';
import { didYouMean, namesInScope, nearestNames } from '../core/suggest.js';

/** The saved-symbols file, $HOME/.min_symbols. */
const symbolsStore = new SymbolsFile(jsonValues);

export const VERSION = '0.44.0';


/** Name a symbol operand: a string or a quoted symbol. */
const nameOf = (v: Value): string => strOf(v);

/**
 * Define or rebind `a.b.c` (a name holding a dict, then keys of nested
 * dicts): the name `a` is rebound to a new dict with the entry changed, so
 * no other copy of the dict sees the change (a module changes in place).
 */
function setThroughDots(i: OpContext, name: string, entry: (old: Entry | undefined) => Entry): void {
  const parts = splitAtMost(name, '.', 'a dot path');
  if (parts.some((p) => p === '')) throw invalid(`Symbol identifier '${name}' contains invalid characters.`);
  const holder = i.lookup(parts[0]!);
  const d = holder ? entryDict(holder) : null;
  if (!d) throw new MinError(`Symbol '${parts[0]}' is not a dictionary.`, 'MinInvalidError');
  const result = dictWithPath(d, parts.slice(1), (old) => {
    if (old?.sealed) throw sealedSymbol(name, old);
    return entry(old);
  });
  if (result !== d) {
    if (holder!.sealed) throw sealedSymbol(parts[0]!, holder!);
    rebindEntry(holder!, holder!.kind, result);
  }
}

function define(i: OpContext, name: string, e: Entry): void {
  if (name.indexOf('.') > 0) return setThroughDots(i, name, () => e);
  const s = i.ownScope();
  const old = s.get(name);
  if (old?.sealed) throw sealedSymbol(name, old);
  i.define(name, e);
}

function rebind(i: OpContext, name: string, kind: EntryKind, val: Value): void {
  if (name.indexOf('.') > 0) {
    return setThroughDots(i, name, (old) => {
      if (!old) throw new MinError(`Attempting to bind undefined symbol: ${name}`, 'MinUndefinedError');
      return { ...old, kind, val, op: null };
    });
  }
  const prev = i.lookup(name);
  if (!prev) throw new MinError(`Attempting to bind undefined symbol: ${name}`, 'MinUndefinedError');
  if (prev.sealed) throw sealedSymbol(name, prev);
  rebindEntry(prev, kind, val);
}

/** A type named in an `expect` quotation, as written. */
const typeText = (t: Value): string => (t instanceof Sym ? t.name : typeof t === 'string' ? t : show(t));

/** The names native min's `lambda` accepts. */
const LAMBDA_NAME = /^[a-zA-Z_][a-zA-Z0-9/!?+*_-]*$/;
/** `define` accepts dots as well: `:o.x` defines key `x` of the dict `o`. */
const DEFINE_NAME = /^[a-zA-Z_][a-zA-Z0-9/!?+*._-]*$/;

function checkName(name: string, rule: RegExp): string {
  if (!rule.test(name)) throw invalid(`Symbol identifier '${name}' contains invalid characters.`);
  return name;
}

/** Find a user sigil's table entry, scope by scope. */
function sigilOwner(i: OpContext, name: string): Scope | null {
  for (let s: Scope | null = i.scope; s; s = s.parent) if (s.sigils?.has(name)) return s;
  return null;
}

/**
 * `case`, as native min runs it: each branch's condition runs on the stack
 * as it was when case started, and the one that holds keeps what it did to
 * it (a condition that pops consumes), its result popped, before its body runs.
 */
function* runCase(i: OpContext, branches: Quot): Run<void> {
  if (branches.length === 0) throw invalid('Empty case operator');
  const start = i.stack.slice();
  for (let k = 0; k < branches.length; k++) {
    const b = branches[k]!;
    if (!Array.isArray(b) || b.length !== 2) throw invalid('Each case branch must be (condition body)');
    if (k > 0) {
      const st = i.stack;
      st.length = 0;
      for (const v of start) st.push(v);
    }
    yield asQuot(b[0]!);
    const r = i.pop();
    if (typeof r !== 'boolean') throw invalid(`Result of case #${k + 1} is not a boolean value (got ${showShort(r)})`);
    if (r) {
      yield asQuot(b[1]!);
      return;
    }
  }
}

/**
 * A linrec condition, as native min runs it: on the stack itself (a test that
 * pops consumes), its boolean popped. No copy of the stack per step, so a
 * deep recursion stays linear.
 */
function* linrecTest(i: OpContext, p: Quot): Run<boolean> {
  yield p;
  const r = i.pop();
  if (typeof r !== 'boolean') throw invalid(`linrec condition did not return a boolean value (got ${showShort(r)})`);
  return r;
}

/** (2 + (3 * 5)) -> 2 3 5 * + : operands in order, each operator after its right operand. */
function infixToPostfix(q: Quot): Quot {
  const out: Quot = [];
  // A nested operand is expanded in place from a frame of its own on this
  // stack, not by recursion: quotations may nest deeper than the host stack.
  const frames: { q: Quot; step: number }[] = [{ q, step: 0 }];
  while (frames.length > 0) {
    const f = frames[frames.length - 1]!;
    const k = infixPosition(f.step++, f.q.length);
    if (k < 0) {
      frames.pop();
      continue;
    }
    const v = f.q[k]!;
    if (k % 2 === 0 && Array.isArray(v)) frames.push({ q: v, step: 0 });
    else out.push(v);
  }
  return out;
}

/**
 * Which item of an infix quotation of n items comes at this step of its
 * postfix order (-1 when none is left): the first operand, then each
 * operator after the operand that follows it (`a + b * c` -> a b + c *).
 */
function infixPosition(step: number, n: number): number {
  if (step === 0) return n > 0 ? 0 : -1;
  const operator = 2 * ((step + 1) >> 1) - 1;
  if (operator >= n) return -1;
  const operand = operator + 1;
  if (step % 2 === 1) return operand < n ? operand : operator;
  return operand < n ? operator : -1;
}

/** Native min's truth table: only null, false, 0, 0.0, "", "false" and () are false ({} is true). */
function toBool(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Flt) return v.v !== 0;
  if (typeof v === 'string') return v !== '' && v !== 'false';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function toInt(v: Value): number {
  if (v === null || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') return v;
  if (v instanceof Flt) {
    // min ints are 64-bit: a float beyond that range has no integer value.
    if (!(Math.abs(v.v) < 2 ** 63)) throw invalid(`Cannot convert ${showShort(v)} to an integer`);
    return Math.trunc(v.v) + 0;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?[0-9]+$/.test(s)) return parseInt(s, 10);
    // Nim's parseInt fails with a ValueError, and native min passes it on.
    throw new MinError(`invalid integer: ${v}`, 'ValueError');
  }
  throw invalid(`Cannot convert a ${typeName(v)} to an integer`);
}

/** As native min: `null float` is the int 0 (not 0.0), `false float` is 0.0. */
function toFloat(v: Value): Flt | number {
  if (v === null) return 0;
  if (v === false) return new Flt(0);
  if (v === true) return new Flt(1);
  if (typeof v === 'number') return new Flt(v);
  if (v instanceof Flt) return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return new Flt(parseFloat(s));
    if (/^[+-]?inf$/i.test(s)) return new Flt(s.startsWith('-') ? -Infinity : Infinity);
    if (/^nan$/i.test(s)) return new Flt(NaN);
    throw new MinError(`invalid float: ${v}`, 'ValueError');
  }
  throw invalid(`Cannot convert a ${typeName(v)} to a float`);
}

/** The doc comment written on the line of a definition or just after it. */
function docAt(sym: Sym | null): string {
  const src = sym?.src as { docs?: Map<number, string> } | undefined;
  if (!src?.docs || !sym) return '';
  return src.docs.get(sym.line) ?? src.docs.get(sym.line + 1) ?? '';
}

/** What the saved-symbols file keeps for an entry: the quotation evaluating the symbol runs. */
function savedForm(name: string, e: Entry): Quot {
  if (e.kind === EntryKind.Native) throw invalid(`Symbol '${name}' cannot be serialized.`);
  const v = e.val;
  return e.kind === EntryKind.Value && Array.isArray(v) ? v : [v];
}

/**
 * The first symbol or command read from JSON inside v, walked with a stack
 * of its own (values may nest deeper than the host stack; dicts may hold
 * themselves: each container is seen once).
 */
function inertIn(root: Value): Sym | Cmd | null {
  const seen = new Set<Value>();
  const todo: Value[] = [root];
  while (todo.length > 0) {
    const v = todo.pop()!;
    if (v instanceof Sym || v instanceof Cmd) {
      if (v.inert) return v;
      continue;
    }
    if (!Array.isArray(v) && !(v instanceof Dict)) continue;
    if (seen.has(v)) continue;
    seen.add(v);
    const items = Array.isArray(v) ? v : [...(v.scope.symbols?.values() ?? [])].map((e) => e.val);
    // Pushed in reverse, so the first item is looked at first, as before.
    for (let k = items.length - 1; k >= 0; k--) todo.push(items[k]!);
  }
  return null;
}

/**
 * `save-symbol`, in native min's format (see saved.ts). A value holding data
 * read from JSON is refused: saved symbols run when loaded, so saving such a
 * value and loading it back would turn a peer's data into code.
 */
function saveSymbol(i: OpContext, name: string): void {
  const e = i.resolve(name);
  if (!e) throw new MinError(`Symbol '${name}' not found.`, 'MinUndefinedError');
  const form = savedForm(name, e);
  const data = inertIn(form);
  if (data) {
    const what = data instanceof Sym ? `symbol '${data.name}'` : `command [${data.text}]`;
    throw invalid(`Symbol '${name}' holds data read from JSON (${what}), which cannot be saved as code`);
  }
  symbolsStore.save(name, form);
}

/** `load-symbol`: defined in the current scope as a lambda, so calling it runs the saved quotation. */
function loadSymbol(i: OpContext, name: string): void {
  const v = symbolsStore.load(name);
  const old = i.ownScope().get(name);
  if (old?.sealed) throw sealedSymbol(name, old);
  i.define(name, valueEntry(Array.isArray(v) ? v : [v], EntryKind.Value));
}

/**
 * Run a file's code in a fresh module scope and return it as a `;module` dict.
 * A module must leave nothing on its stack, as native min requires.
 */
function* requireFile(i: OpContext, path: string, name: string): Run<Dict> {
  const cached = i.rt.required.get(path);
  if (cached) return cached;
  const code = read(readSource(path), newSource(path));
  const scope = new Scope(i.rt.global);
  const saved = i.swapStack([]);
  try {
    yield new RunIn(code, scope);
    if (i.stack.length > 0) throw invalid(`Module '${name}' is polluting the stack`);
  } finally {
    i.swapStack(saved);
  }
  const d = Dict.live(scope);
  i.rt.required.set(path, d);
  return d;
}

/** `tokenize`'s result: one untyped {type value} dict per token, as native min gives. */
function tokenDicts(text: string): Quot {
  return tokenize(text).map((t) => makeDict([['type', t.type], ['value', t.value]]));
}

/** YAML for a dict of strings, one `key: value` line each. */
function toYaml(v: Value): string {
  const only = (): MinError => new MinError('YAML conversion is only supported from dictionaries with string values', 'MinInvalidError');
  if (!(v instanceof Dict)) throw only();
  return v.scope
    .names()
    .map((k) => {
      const e = v.scope.get(k)!;
      // Native min converts string values only.
      if (e.kind === EntryKind.Native || typeof e.val !== 'string') throw only();
      return `${k}: ${e.val}`;
    })
    .join('\n');
}

/** A dict of the string values of `key: value` lines. */
function fromYaml(text: string): Dict {
  const pairs: [string, string][] = [];
  for (const line of splitAtMost(text, /\r?\n/, 'from-yaml')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const m = /^\s*([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new MinError(`Unsupported YAML line: ${line}`, 'MinInvalidError');
    let val = m[2]!;
    if (/^".*"$|^'.*'$/.test(val)) val = val.slice(1, -1);
    pairs.push([m[1]!, val]);
  }
  return makeDict(pairs);
}

export const globalModule: ModuleDef = {
  name: 'global',
  sigils: {
    "'": 'quotesym',
    ':': 'define',
    '@': 'bind',
    '#': 'bind',
    '^': 'lambda',
    '~': 'lambda-bind',
    '$': 'get-env',
    '?': 'help',
    '>': 'save-symbol',
    '<': 'load-symbol',
    '/': 'dget',
    '%': 'dset',
    '!': 'system',
    '&': 'run',
    '*': 'invoke',
  },
  ops: [
    // ---- definitions ----------------------------------------------------
    op('define', "a 'sym ==>", 'Defines symbol sym in the current scope, holding a (sigil :).', (i, v: Value, s: Value) =>
      define(i, checkName(nameOf(s), DEFINE_NAME), valueEntry(v, EntryKind.Quoted)),
    ),
    alias(':', 'define'),
    op('bind', "a 'sym ==>", 'Sets an existing symbol sym (in this or an outer scope) to a (sigil @).', (i, v: Value, s: Value) =>
      rebind(i, nameOf(s), EntryKind.Quoted, v),
    ),
    alias('@', 'bind'),
    op('lambda', "quot 'sym ==>", 'Defines symbol sym as the program quot: evaluating sym runs it (sigil ^).', (i, q: Quot, s: Value) =>
      define(i, checkName(nameOf(s), LAMBDA_NAME), valueEntry(q, EntryKind.Value)),
    ),
    alias('^', 'lambda'),
    op('lambda-bind', "quot 'sym ==>", 'Sets an existing lambda sym to the program quot (sigil ~).', (i, q: Quot, s: Value) =>
      rebind(i, nameOf(s), EntryKind.Value, q),
    ),
    alias('lambdabind', 'lambda-bind'),
    alias('~', 'lambda-bind'),
    op('operator', 'quot ==>', 'Defines an operator from (kind name (signature) (body)); kind is symbol, sigil, typeclass or constructor.', (i, q: Quot) =>
      defineOperator(i, q, docAt(i.cur)),
    ),
    alias('::', 'operator'),
    op('==>', '==>', 'Separates inputs from outputs in operator signatures.', () => {}),
    op('typealias', "'sym 'sym ==>", 'Defines sym2 as a name for the type expression sym1.', (i, e: Value, n: Value) =>
      define(i, 'typealias:' + nameOf(n), valueEntry(nameOf(e), EntryKind.Quoted)),
    ),
    op('define-sigil', "a 'sym ==>", 'Defines sigil sym in the current scope, running a (quoted if needed).', (i, v: Value, s: Value) => {
      const name = nameOf(s);
      const owner = sigilOwner(i, name);
      if (owner?.sigils?.get(name)?.sealed) throw invalid(`Attempting to redefine sealed sigil '${name}'`);
      i.ownScope().setSigil(name, valueEntry(asQuot(v), EntryKind.Value));
    }),
    op('delete-symbol', "'sym ==>", 'Deletes symbol sym from the scope that defines it.', (i, s: Value) => {
      const name = nameOf(s);
      const owner = i.scope.owner(name);
      if (!owner) throw new MinError(`Undefined symbol '${name}'`, 'MinUndefinedError');
      if (owner.get(name)!.sealed) throw sealedSymbol(name, owner.get(name)!);
      owner.delete(name);
    }),
    op('delete-sigil', "'sym ==>", 'Deletes the user-defined sigil sym.', (i, s: Value) => {
      const name = nameOf(s);
      const owner = sigilOwner(i, name);
      if (!owner) throw new MinError(`Undefined sigil: ${name}`, 'MinUndefinedError');
      if (owner.sigils!.get(name)!.sealed) throw invalid(`Sigil '${name}' is sealed.`);
      owner.sigils!.delete(name);
    }),
    op('defined-symbol?', "'sym ==> bool", 'Whether symbol sym is defined here.', (i, s: Value) => {
      const n = nameOf(s);
      return i.resolve(n) !== undefined;
    }),
    op('defined-sigil?', "'sym ==> bool", 'Whether sigil sym is defined here.', (i, s: Value) => i.sigilFor(nameOf(s), i.scope) !== undefined),
    op('seal-symbol', "'sym ==>", 'Seals symbol sym so it cannot be redefined, bound or deleted.', (i, s: Value) => {
      const e = i.lookup(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol '${nameOf(s)}'`, 'MinUndefinedError');
      e.sealed = true;
    }),
    // Native min lets any symbol be unsealed, a built-in one too ('dup unseal-symbol), so it can be redefined.
    op('unseal-symbol', "'sym ==>", 'Unseals symbol sym (built-in symbols too), so that it can be redefined.', (i, s: Value) => {
      const e = i.lookup(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol '${nameOf(s)}'`, 'MinUndefinedError');
      e.sealed = false;
    }),
    op('sealed-symbol?', "'sym ==> bool", 'Whether symbol sym is sealed.', (i, s: Value) => i.lookup(nameOf(s))?.sealed ?? false),
    op('seal-sigil', "'sym ==>", 'Seals the user-defined sigil sym.', (i, s: Value) => {
      const o = sigilOwner(i, nameOf(s));
      if (!o) throw new MinError(`Undefined sigil: ${nameOf(s)}`, 'MinUndefinedError');
      o.sigils!.get(nameOf(s))!.sealed = true;
    }),
    op('unseal-sigil', "'sym ==>", 'Unseals the user-defined sigil sym (system sigils stay sealed).', (i, s: Value) => {
      const o = sigilOwner(i, nameOf(s));
      if (!o) throw invalid(`Sigil ${nameOf(s)} is a system sigil or undefined`);
      o.sigils!.get(nameOf(s))!.sealed = false;
    }),
    op('sealed-sigil?', "'sym ==> bool", 'Whether sigil sym is sealed (system sigils always are).', (i, s: Value) => {
      const o = sigilOwner(i, nameOf(s));
      return o ? o.sigils!.get(nameOf(s))!.sealed : i.rt.sigils.has(nameOf(s));
    }),
    op('publish', "'sym dict ==>", 'Copies symbol sym from the current scope into dict.', (i, s: Value, d: Dict) => {
      const e = i.lookup(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol '${nameOf(s)}'`, 'MinUndefinedError');
      // Into a module or scope itself; a plain dict is a value: as with
      // `with`, the name it came from is rebound to a copy holding the symbol.
      d.scopeTarget().fill(nameOf(s), { ...e });
    }),
    op('import', "'sym ==>", 'Defines every symbol of module sym in the current scope.', (i, s: Value) => {
      const name = nameOf(s);
      const e = i.resolve(name);
      const d = e ? entryDict(e) : null;
      if (!d) throw invalid(`${name} is not a module`);
      const here = i.ownScope();
      for (const k of d.scope.names()) {
        here.set(k, { ...d.scope.get(k)! });
      }
    }),

    // ---- quoting and evaluation ----------------------------------------
    op('quote', 'a ==> quot', 'Wraps a in a quotation.', (_i, a: Value) => [a]),
    op('quotesym', 'str ==> quot', "Makes a quotation holding the symbol named str (sigil ').", (i, s: string) => [new Sym(s, i.cur?.src ?? null, i.cur?.line ?? 0, i.cur?.column ?? 0)]),
    alias("'", 'quotesym'),
    op('quotecmd', 'str ==> quot', 'Makes a quotation holding the command str.', (_i, s: string) => [new Cmd(s)]),
    op('invoke', "'sym ==> a*", 'Runs symbol s of dict d for `d/s` (sigil *); `d/e/s` goes through dict e of d.', function* (i, s: Value) {
      const parts = nameOf(s).split('/');
      if (parts.length < 2) throw invalid('Dictionary identifier not specified');
      yield [new Sym(parts[0]!, i.cur?.src ?? null, i.cur?.line ?? 0, i.cur?.column ?? 0)];
      for (const key of parts.slice(1)) {
        const d = i.pop();
        if (!(d instanceof Dict)) throw new TypeMismatch(['dict'], 0, typeName(d), 'invoke');
        if (d.scope.get(key) === undefined) throw new MinError(`Symbol '${key}' not found in dictionary`, 'MinUndefinedError');
        // The member runs in a view of its dict, as `d.key` does: it sees its siblings.
        const target = d.scopeTarget();
        try {
          yield new RunIn([new Sym(key, i.cur?.src ?? null, i.cur?.line ?? 0, i.cur?.column ?? 0)], i.dictView(target, i.scope));
        } finally {
          target.unpin();
        }
      }
    }),
    op('dequote', 'a ==> a*', 'Runs quotation a: pushes its items on the stack one by one. Any other value is pushed back as it is (in development mode it is an error).', function* (i, q: Value) {
      if (Array.isArray(q)) yield q;
      else if (i.rt.dev) throw new TypeMismatch(['quot'], 0, typeName(q), 'dequote');
      else i.push(q);
    }),
    alias('->', 'dequote'),
    op('apply', 'quot ==> quot', 'Runs the items of quot on a new empty stack (a quotation item is dequoted in place) and pushes what they left as a quotation.', function* (i, q: Quot) {
      return yield* applyQuot(i, q);
    }),
    alias('=>', 'apply'),
    op('prefix-dequote', 'quot ==> a*', 'Runs quot in prefix notation (reversed).', function* (_i, q: Quot) {
      yield q.slice().reverse();
    }),
    alias('>>', 'prefix-dequote'),
    op('infix-dequote', 'quot ==> a*', 'Runs quot in infix notation, left to right; nested quotations first.', function* (_i, q: Quot) {
      yield infixToPostfix(q);
    }),
    alias('><', 'infix-dequote'),
    op('with', 'quot dict ==> a*', "Runs quot with dict's scope as the current scope (definitions and binds change dict).", function* (i, q: Quot, d: Dict) {
      // min makes the dict's own scope current. A module's is shared; a plain
      // dict is a value, so the quotation runs in a copy of it (the one popped
      // here may be on the stack again, by `dup`), which the name it came
      // from is rebound to (see Dict.scopeTarget).
      const target = d.scopeTarget();
      try {
        yield new RunIn(q, i.dictView(target, i.scope));
      } finally {
        target.unpin();
      }
    }),
    op('eval', 'str ==> a*', 'Parses and runs the program in str in the current scope; an error in it is reported on stderr and raised again as a MinTrappedException.', function* (i, s: string) {
      try {
        yield new RunIn(read(s, newSource('<eval>')), i.ownScope());
      } catch (e) {
        if (!(e instanceof MinError) || e instanceof ReturnSignal || e.kind === 'MinTrappedException') throw e;
        // As native min's interpreter does with an error in evaluated code.
        i.rt.err.write(describeUncaught(e).split('\n')[0] + '\n');
        throw MinError.named(e.message, 'MinTrappedException');
      }
    }),
    op('parse', 'str ==> quot', 'Parses str into a quotation without running it.', (_i, s: string) => read(s, newSource('<parse>'))),
    op('tokenize', 'str ==> quot', 'Splits the min source str into tokens: a {type value} dict each, type being the native lexer\'s token name (tkInt, tkSpace, tkSymbol, tkString, tkBracketLe...) and value the source text, ending with tkEof.', (_i, s: string) =>
      tokenDicts(s),
    ),
    op('load', "'sym ==> a*", 'Runs the min file sym (.min optional) in the current scope.', function* (i, s: Value) {
      const path = findLoad(nameOf(s), baseDir(i.cur));
      yield new RunIn(read(readSource(path), newSource(path)), i.ownScope());
    }),
    op('require', "'sym ==> dict", 'Runs module sym in its own scope and returns its symbols as a module dict.', function* (i, s: Value) {
      return yield* requireFile(i, findModule(nameOf(s), baseDir(i.cur)), nameOf(s));
    }),
    op('return', '==>', 'Ends the body of the operator being run, pushing its outputs (an error outside an operator body).', (i) => {
      if (!i.inOperatorBody()) throw invalid('return used outside of an operator body');
      throw new ReturnSignal();
    }),

    // ---- control flow ----------------------------------------------------
    op('if', 'a quot quot ==> a*', 'Runs quot2 if the condition quot1 is true, quot3 otherwise.', (i, c: Value, t: Quot, f: Quot) => {
      if (typeof c === 'boolean') i.repeat(c ? t : f, 1);
      else i.conditional(asQuot(c), t, f, false);
    }),
    op('when', 'a quot ==> a*', 'Runs quot2 if the condition quot1 is true.', (i, c: Value, t: Quot) => {
      if (typeof c === 'boolean') i.repeat(c ? t : [], 1);
      else i.conditional(asQuot(c), t, null, false);
    }),
    op('unless', 'a quot ==> a*', 'Runs quot2 if the condition quot1 is false.', (i, c: Value, f: Quot) => {
      if (typeof c === 'boolean') i.repeat(c ? [] : f, 1);
      else i.conditional(asQuot(c), null, f, false);
    }),
    op('case', 'quot ==> a*', 'Runs the body of the first (condition body) branch whose condition is true. Each condition runs on the stack as it was; the one that holds keeps what it took from it.', function* (i, q: Quot) {
      yield* runCase(i, q);
    }),
    op('while', 'quot quot ==> a*', 'Runs quot2 as long as the condition quot1 is true. The condition runs on the stack itself: what it takes from it stays taken, and its result is popped.', (i, c: Quot, body: Quot) => {
      i.conditional(c, body, null, true, true);
    }),
    op('times', 'quot int ==> a*', 'Runs quot int times.', (i, q: Quot, n: number) => {
      i.repeat(q, n);
    }),
    op('foreach', 'quot quot ==> a*', 'Runs quot2 on each item of quot1.', function* (i, list: Quot, q: Quot) {
      for (const v of list) {
        yield* pushItem(i, v);
        yield q;
      }
    }),
    op('linrec', 'quot quot quot quot ==> a*', 'Linear recursion: if quot1 then quot2, else quot3, recurse, then quot4 (quot1 runs on the stack: what it pops is consumed).', function* (i, p: Quot, t: Quot, r1: Quot, r2: Quot) {
      // The recursion as a loop: a count of the quot4 runs owed, no frames kept.
      let depth = 0;
      while (!(yield* linrecTest(i, p))) {
        yield r1;
        depth++;
      }
      yield t;
      for (; depth > 0; depth--) yield r2;
    }),
    op('tap', 'a quot ==> a', 'Passes a through each program of quot in turn and pushes the result.', function* (i, a: Value, qs: Quot) {
      let v = a;
      for (const q of qs) {
        i.push(v);
        yield asQuot(q);
        v = i.pop();
      }
      return v;
    }),

    // ---- errors ----------------------------------------------------------
    op('try', 'quot ==> a*', 'Runs (try catch? finally?): on an error the catch block runs with the error dict on the stack.', function* (i, q: Quot) {
      const [body, cat, fin] = q;
      // native min's messages
      if (q.length === 0) throw invalid('Quotation must contain at least one element');
      if (!Array.isArray(body) || (cat !== undefined && !Array.isArray(cat)) || (fin !== undefined && !Array.isArray(fin))) {
        throw invalid('Quotation must contain at least one quotation');
      }
      try {
        yield body;
      } catch (e) {
        if (e instanceof ReturnSignal || !(e instanceof MinError)) throw e;
        if (cat !== undefined) {
          i.push(errorDict(e));
          yield cat;
        }
      } finally {
        if (Array.isArray(fin)) yield fin;
      }
    }),
    op('raise', 'dict ==>', 'Raises the error described by dict: its error (the kind, MinRuntimeError by default) and message, and symbol, filename, line and column if it has them.', (_i, d: Dict) => {
      throw errorFromDict(d);
    }),
    op('format-error', 'dict ==> str', 'Formats an error dict as a message.', (_i, d: Dict) => formatError(d)),
    op('expect', 'quot ==> quot', 'Takes as many values as quot has types and returns them in a quotation (in stack order); in development mode (-d) each is checked first against its type in quot (top first).', function* (i, types: Quot) {
      const n = types.length;
      if (i.stack.length < n) {
        // Native min pops value by value until the stack runs out.
        i.stack.length = 0;
        throw emptyStack();
      }
      const vals = i.stack.splice(i.stack.length - n, n);
      // As in native min, the checks are only made in development mode.
      if (!i.rt.dev) return vals;
      for (let k = 0; k < n; k++) {
        const t = types[k]!;
        const tn = typeText(t);
        const v = vals[n - 1 - k]!;
        if (!(yield* checkType(i, v, tn))) {
          // Native min pops as it checks: what is above the wrong value stays popped.
          for (const w of vals.slice(0, n - 1 - k)) i.stack.push(w);
          throw new TypeMismatch(vals.map((_v, j) => typeText(types[n - 1 - j]!)), n - 1 - k, typeName(v), 'expect');
        }
      }
      return vals;
    }),
    op('expect-empty-stack', '==>', 'Raises an error unless the stack is empty.', (i) => {
      if (i.stack.length) throw new MinError(`Stack is not empty (${i.stack.length} values)`, 'MinInvalidError');
    }),
    alias('=-=', 'expect-empty-stack'),

    // ---- conversions -----------------------------------------------------
    op('boolean', 'a ==> bool', 'Converts a to a boolean: null, false, 0, 0.0, "", "false" and () are false, everything else (dicts too) is true.', (_i, a: Value) => toBool(a)),
    alias('bool', 'boolean'),
    op('integer', 'a ==> int', 'Converts a to an integer.', (_i, a: Value) => toInt(a)),
    op('float', 'a ==> num', 'Converts a to a float (null gives the int 0, as in native min).', (_i, a: Value) => toFloat(a)),
    op('string', 'a ==> str', 'Converts a to its string representation.', (i, a: Value) => display(a, i.rt.print)),
    op('type', 'a ==> str', 'The type of a (dict:TYPE for typed dicts).', (_i, a: Value) => typeName(a)),
    op('from-json', 'str ==> a', 'Converts a JSON string into min data.', (_i, s: string) => fromJson(s, jsonValues)),
    op('to-json', 'a ==> str', 'Converts a into a JSON string.', (_i, a: Value) => toJson(a, jsonValues)),
    op('from-yaml', 'str ==> a', 'Converts a YAML string of string values into a dict.', (_i, s: string) => fromYaml(s)),
    op('to-yaml', 'a ==> str', 'Converts a dict of string values into YAML (one key: value line each).', (_i, a: Value) => toYaml(a)),

    // ---- scopes and symbols ----------------------------------------------
    op('scope', '==> dict', 'The current scope, as a module dict.', (i) => Dict.live(i.ownScope())),
    op('global', '==> dict', 'The global scope, as a module dict.', (i) => Dict.live(i.rt.global)),
    op('parent-scope', 'dict ==> a', 'The parent scope of dict, or null.', (_i, d: Dict) => (d.scope.parent ? Dict.live(d.scope.parent) : null)),
    op('scope-symbols', 'dict ==> quot', 'The names of the symbols defined in dict.', (_i, d: Dict) => d.scope.names()),
    op('scope-sigils', 'dict ==> quot', 'The names of the sigils defined in dict.', (i, d: Dict) =>
      // System sigils live in min's global scope, so `global scope-sigils` lists them as `sigils` does.
      d.scope === i.rt.global ? [...new Set([...i.rt.sigils.keys(), ...d.scope.sigilNames()])].sort() : d.scope.sigilNames(),
    ),
    op('symbols', '==> quot', 'The names of the symbols visible here: those of the current scope and of every scope around it, global included.', (i) => {
      const names = new Set<string>();
      for (let s: Scope | null = i.scope; s !== null; s = s.parent) for (const n of s.symbols?.keys() ?? []) names.add(n);
      return [...names].sort(byteOrder);
    }),
    op('sigils', '==> quot', 'All sigils defined in the global scope.', (i) => [...new Set([...i.rt.sigils.keys(), ...i.rt.global.sigilNames()])].sort()),
    op('source', "'sym ==> quot", 'The quotation a user-defined symbol runs.', (i, s: Value) => {
      const e = i.resolve(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol '${nameOf(s)}'`, 'MinUndefinedError');
      if (e.kind === EntryKind.Native) throw invalid(`No source available for native symbol ${nameOf(s)}`);
      return e.kind === EntryKind.Quoted ? [e.val] : asQuot(e.val);
    }),
    op('line-info', '==> dict', 'Where the current symbol is: filename, line and column.', (i) => {
      return makeDict([
        ['filename', i.cur?.src?.file ?? ''],
        ['line', i.cur?.line ?? 0],
        ['column', i.cur ? endColumn(i.cur) : 0],
      ]);
    }),
    op('help', "'sym ==>", 'Prints the signature and description of symbol sym (sigil ?); for an unknown name, only a warning.', (i, s: Value) => {
      const text = findHelpText(i, nameOf(s));
      if (text !== null) i.rt.out.write(text + '\n');
      // As natively, an unknown name is not an error; the warning names the nearest ones (the shell's ?conect).
      else if (!['error', 'fatal', 'none'].includes(i.rt.logLevel)) {
        const name = nameOf(s);
        i.rt.err.write(`Undefined symbol: ${name}${didYouMean(nearestNames(name, [...namesInScope(i.scope), ...i.rt.modules.keys()]))}\n`);
      }
    }),
    alias('?', 'help'),
    op('symbol-help', "'sym ==> a", 'The help dict of symbol sym, or null.', (i, s: Value) => helpDict(i, nameOf(s), false)),
    op('sigil-help', "'sym ==> a", 'The help dict of sigil sym, or null.', (i, s: Value) => helpDict(i, nameOf(s), true)),
    op('save-symbol', "'sym ==>", 'Saves symbol sym to $HOME/.min_symbols (pretty-printed JSON, written atomically) as the quotation it runs: a defined value wrapped as [value], a lambda as its quotation, symbols as ";sym:NAME" and commands as ";cmd:TEXT". Operators cannot be saved, nor values holding data read from JSON.', (i, s: Value) =>
      saveSymbol(i, nameOf(s)),
    ),
    op('load-symbol', "'sym ==>", 'Defines symbol sym in the current scope from $HOME/.min_symbols, as a quotation that runs when sym is called (the one JSON whose symbols run).', (i, s: Value) =>
      loadSymbol(i, nameOf(s)),
    ),
    op('saved-symbols', '==> quot', 'The names of the symbols saved in $HOME/.min_symbols, in file order.', () => symbolsStore.list()),
    op('remove-symbol', "'sym ==>", 'Removes symbol sym from $HOME/.min_symbols.', (_i, s: Value) => symbolsStore.remove(nameOf(s))),

    // ---- program and environment ------------------------------------------
    op('args', '==> quot', 'The program file and its arguments.', (i) => i.rt.args.slice()),
    op('raw-args', '==> quot', 'All command-line arguments, options included.', (i) => i.rt.rawArgs.slice()),
    op('opts', '==> dict', 'The -name:value options given to the program.', (i) => {
      return makeDict(Object.entries(i.rt.opts));
    }),
    op('exit', 'int ==>', 'Ends the program with exit code int.', (_i, n: number) => {
      throw new ExitSignal(n);
    }),
    op('quit', '==>', 'Ends the program with exit code 0.', () => {
      throw new ExitSignal(0);
    }),
    op('version', '==> str', 'The version of min this implements.', () => VERSION),
    op('compiled?', '==> bool', 'Whether the program is compiled (never, here).', () => false),
    op('dev', '==>', 'Toggles development mode.', (i) => {
      i.rt.dev = !i.rt.dev;
    }),
    op('dev?', '==> bool', 'Whether development mode is on.', (i) => i.rt.dev),
    op('loglevel', "'sym ==>", 'Sets the log level: debug, info, notice, warn, error or fatal.', (i, s: Value) => {
      const l = nameOf(s);
      if (!['debug', 'info', 'notice', 'warn', 'error', 'fatal', 'none'].includes(l)) throw invalid(`Invalid log level: ${l}`);
      i.rt.logLevel = l;
      // Native min announces the change.
      i.rt.out.write(`Log level: ${l}\n`);
    }),
    op('loglevel?', '==> str', 'The current log level.', (i) => i.rt.logLevel),
    op('get-env', "'sym ==> str", 'The value of environment variable sym ("" if unset) (sigil $).', (_i, s: Value) =>
      // Own variables only: process.env inherits `constructor`, `__proto__`...
      Object.hasOwn(process.env, nameOf(s)) ? (process.env[nameOf(s)] ?? '') : '',
    ),
    alias('$', 'get-env'),
    op('put-env', "'sym 'sym ==>", 'Sets environment variable sym2 to sym1.', (_i, v: Value, n: Value) => {
      process.env[nameOf(n)] = nameOf(v);
    }),
    op('puts', 'a ==> a', 'Prints a and a new line; a stays on the stack.', (i, a: Value) => {
      i.rt.out.write(display(a, i.rt.print) + '\n');
      return a;
    }),
    op('puts!', 'a ==>', 'Prints a and a new line.', (i, a: Value) => {
      i.rt.out.write(display(a, i.rt.print) + '\n');
    }),
    op('gets', '==> str', 'Reads a line from standard input ("" at the end of input).', (i) =>
      i.rt.input.nextLine('gets').catch(() => ''),
    ),
  ],
};

