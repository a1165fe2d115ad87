// The global module: definitions, scopes, control flow, errors, conversions
// and the other symbols of min's language core.
import { op, alias, RunIn, type ModuleDef } from '../lang/registry.js';
import type { Machine } from '../lang/machine.js';
import { asQuot, condition, onNewStack, pushItem, type Run } from '../lang/control.js';
import { MinError, invalid } from '../lang/errors.js';
import { EntryKind, Scope, rebindEntry, valueEntry, type Entry } from '../lang/scope.js';
import { Cmd, Dict, Flt, Sym, strOf, typeName, type Value } from '../lang/values.js';
import { display, show } from '../lang/printer.js';
import { read, newSource } from '../lang/reader.js';
import { defineOperator, ReturnSignal } from '../lang/operator.js';
import { checkType } from '../lang/typecheck.js';
import { baseDir, findLoad, findModule, readSource } from '../lang/files.js';
import { fromJson, fromYaml, toJson, toYaml } from '../lang/json.js';
import { ExitSignal } from '../lang/runtime.js';
import { errorDict, errorFromDict, formatError } from '../lang/errordict.js';
import { helpText, helpDict } from '../lang/help.js';
import { symbolsStore } from '../lang/saved.js';
import { entryDict } from '../lang/machine.js';
import { nextLine } from '../lang/input.js';
import { grew } from '../lang/limits.js';

export const VERSION = '0.44.0';

type Q = Value[];

/** Name a symbol operand: a string or a quoted symbol. */
const nameOf = (v: Value): string => strOf(v);

/** Split `a.b.c` into the dict holding `c` and `c` (for define/bind through dots). */
function dotTarget(i: Machine, name: string): { scope: Scope; key: string } | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  const e = i.resolvePath(name.slice(0, dot));
  const d = e ? entryDict(e) : null;
  if (!d) throw new MinError(`${name.slice(0, dot)} is not a dictionary`, 'MinInvalidError');
  return { scope: d.scope, key: name.slice(dot + 1) };
}

function define(i: Machine, name: string, e: Entry): void {
  const t = name.indexOf('.') > 0 ? dotTarget(i, name) : null;
  if (t) {
    if (t.scope.get(t.key)?.sealed) throw invalid(`Symbol ${name} is sealed`);
    t.scope.set(t.key, e);
    i.noteLocal(t.scope, t.key);
    return;
  }
  const s = i.ownScope();
  if (s.get(name)?.sealed) throw invalid(`Symbol ${name} is sealed`);
  i.defineHere(name, e);
}

function rebind(i: Machine, name: string, kind: EntryKind, val: Value): void {
  let prev: Entry | undefined;
  if (name.indexOf('.') > 0) {
    const t = dotTarget(i, name);
    prev = t?.scope.get(t.key);
  } else prev = i.lookup(name);
  if (!prev) throw new MinError(`Attempting to bind undefined symbol: ${name}`, 'MinUndefinedError');
  if (prev.sealed) throw invalid(`Symbol ${name} is sealed`);
  rebindEntry(prev, kind, val);
}

/** Find a user sigil's table entry, scope by scope. */
function sigilOwner(i: Machine, name: string): Scope | null {
  for (let s: Scope | null = i.scope; s; s = s.parent) if (s.sigils?.has(name)) return s;
  return null;
}

function* runCase(i: Machine, branches: Q): Run<void> {
  for (const b of branches) {
    if (!Array.isArray(b) || b.length !== 2) throw invalid('Each case branch must be (condition body)');
    if (yield* condition(i, b[0]!)) {
      yield asQuot(b[1]!);
      return;
    }
  }
}

/** (2 + (3 * 5)) -> 2 3 5 * + : operands in order, each operator after its right operand. */
function infixToPostfix(q: Q): Q {
  const out: Q = [];
  const operand = (v: Value) => (Array.isArray(v) ? out.push(...infixToPostfix(v)) : out.push(v));
  if (q.length === 0) return out;
  operand(q[0]!);
  for (let k = 1; k < q.length; k += 2) {
    const o = q[k]!;
    if (k + 1 < q.length) operand(q[k + 1]!);
    out.push(o);
  }
  return out;
}

function toBool(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Flt) return v.v !== 0;
  if (typeof v === 'string') return v !== '' && v !== 'false';
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Dict) return v.scope.size > 0;
  return true;
}

function toInt(v: Value): number {
  if (v === null || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') return v;
  if (v instanceof Flt) {
    // min ints are 64-bit: a float beyond that range has no integer value.
    if (!(Math.abs(v.v) < 2 ** 63)) throw invalid(`Cannot convert ${show(v)} to an integer`);
    return Math.trunc(v.v) + 0;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?[0-9]+$/.test(s)) return parseInt(s, 10);
    throw invalid(`Cannot convert "${v}" to an integer`);
  }
  throw invalid(`Cannot convert a ${typeName(v)} to an integer`);
}

function toFloat(v: Value): Flt {
  if (v === null || v === false) return new Flt(0);
  if (v === true) return new Flt(1);
  if (typeof v === 'number') return new Flt(v);
  if (v instanceof Flt) return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return new Flt(parseFloat(s));
    if (/^[+-]?inf$/i.test(s)) return new Flt(s.startsWith('-') ? -Infinity : Infinity);
    if (/^nan$/i.test(s)) return new Flt(NaN);
    throw invalid(`Cannot convert "${v}" to a float`);
  }
  throw invalid(`Cannot convert a ${typeName(v)} to a float`);
}

/** The doc comment written on the line of a definition or just after it. */
function docAt(sym: Sym | null): string {
  const src = sym?.src as { docs?: Map<number, string> } | undefined;
  if (!src?.docs || !sym) return '';
  return src.docs.get(sym.line) ?? src.docs.get(sym.line + 1) ?? '';
}

/** Run a file's code in a fresh module scope and return it as a `;module` dict. */
function* requireFile(i: Machine, path: string): Run<Dict> {
  const cached = i.rt.required.get(path);
  if (cached) return cached;
  const code = read(readSource(path), newSource(path));
  const scope = new Scope(i.rt.global);
  const saved = i.stack;
  i.stack = [];
  try {
    yield new RunIn(code, scope);
  } finally {
    i.stack = saved;
  }
  const d = new Dict(scope, 'module');
  i.rt.required.set(path, d);
  return d;
}

function tokenize(text: string): Q {
  const out: Q = [];
  const tok = (type: string, value: Value) => {
    const s = new Scope(null);
    s.set('type', valueEntry(type));
    s.set('value', valueEntry(value));
    grew(out.push(new Dict(s, 'token')), 'tokenize');
  };
  const walk = (vals: Q) => {
    for (const v of vals) {
      if (Array.isArray(v)) {
        tok('open-quotation', '(');
        walk(v);
        tok('close-quotation', ')');
      } else if (v instanceof Dict) tok('dictionary', show(v));
      else if (v instanceof Sym) tok('symbol', v.name);
      else if (v instanceof Cmd) tok('command', v.text);
      else tok(typeName(v), v);
    }
  };
  walk(read(text));
  return out;
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
  },
  ops: [
    // ---- definitions ----------------------------------------------------
    op('define', "a 'sym ==>", 'Defines symbol sym in the current scope, holding a (sigil :).', (i, v: Value, s: Value) =>
      define(i, nameOf(s), valueEntry(v, EntryKind.Quoted)),
    ),
    alias(':', 'define'),
    op('bind', "a 'sym ==>", 'Sets an existing symbol sym (in this or an outer scope) to a (sigil @).', (i, v: Value, s: Value) =>
      rebind(i, nameOf(s), EntryKind.Quoted, v),
    ),
    alias('@', 'bind'),
    op('lambda', "quot 'sym ==>", 'Defines symbol sym as the program quot: evaluating sym runs it (sigil ^).', (i, q: Q, s: Value) =>
      define(i, nameOf(s), valueEntry(q, EntryKind.Value)),
    ),
    alias('^', 'lambda'),
    op('lambda-bind', "quot 'sym ==>", 'Sets an existing lambda sym to the program quot (sigil ~).', (i, q: Q, s: Value) =>
      rebind(i, nameOf(s), EntryKind.Value, q),
    ),
    alias('lambdabind', 'lambda-bind'),
    alias('~', 'lambda-bind'),
    op('operator', 'quot ==>', 'Defines an operator from (kind name (signature) (body)); kind is symbol, sigil, typeclass or constructor.', (i, q: Q) =>
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
      if (owner?.sigils?.get(name)?.sealed) throw invalid(`Sigil ${name} is sealed`);
      i.ownScope().setSigil(name, valueEntry(asQuot(v), EntryKind.Value));
    }),
    op('delete-symbol', "'sym ==>", 'Deletes symbol sym from the scope that defines it.', (i, s: Value) => {
      const name = nameOf(s);
      const owner = i.scope.owner(name);
      if (!owner) throw new MinError(`Undefined symbol: ${name}`, 'MinUndefinedError');
      if (owner.get(name)!.sealed) throw invalid(`Symbol ${name} is sealed`);
      owner.delete(name);
    }),
    op('delete-sigil', "'sym ==>", 'Deletes the user-defined sigil sym.', (i, s: Value) => {
      const name = nameOf(s);
      const owner = sigilOwner(i, name);
      if (!owner) throw new MinError(`Undefined sigil: ${name}`, 'MinUndefinedError');
      if (owner.sigils!.get(name)!.sealed) throw invalid(`Sigil ${name} is sealed`);
      owner.sigils!.delete(name);
    }),
    op('defined-symbol?', "'sym ==> bool", 'Whether symbol sym is defined here.', (i, s: Value) => {
      const n = nameOf(s);
      return (i.lookup(n) ?? (n.includes('.') ? i.resolvePath(n) : undefined)) !== undefined;
    }),
    op('defined-sigil?', "'sym ==> bool", 'Whether sigil sym is defined here.', (i, s: Value) => i.sigilFor(nameOf(s), i.scope) !== undefined),
    op('seal-symbol', "'sym ==>", 'Seals symbol sym so it cannot be redefined, bound or deleted.', (i, s: Value) => {
      const e = i.lookup(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol: ${nameOf(s)}`, 'MinUndefinedError');
      e.sealed = true;
    }),
    op('unseal-symbol', "'sym ==>", 'Unseals symbol sym.', (i, s: Value) => {
      const e = i.lookup(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol: ${nameOf(s)}`, 'MinUndefinedError');
      if (e.kind === EntryKind.Native && e.op!.module) throw invalid(`System symbol ${nameOf(s)} cannot be unsealed`);
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
      return o ? o.sigils!.get(nameOf(s))!.sealed : i.sigils.has(nameOf(s));
    }),
    op('publish', "'sym dict ==>", 'Copies symbol sym from the current scope into dict.', (i, s: Value, d: Dict) => {
      const e = i.lookup(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol: ${nameOf(s)}`, 'MinUndefinedError');
      d.scope.set(nameOf(s), e);
      i.noteLocal(d.scope, nameOf(s));
    }),
    op('import', "'sym ==>", 'Defines every symbol of module sym in the current scope.', (i, s: Value) => {
      const name = nameOf(s);
      const e = i.lookup(name) ?? i.resolvePath(name);
      const d = e ? entryDict(e) : null;
      if (!d) throw invalid(`${name} is not a module`);
      const here = i.ownScope();
      for (const k of d.scope.names()) {
        here.set(k, { ...d.scope.get(k)! });
        i.noteLocal(here, k);
      }
    }),

    // ---- quoting and evaluation ----------------------------------------
    op('quote', 'a ==> quot', 'Wraps a in a quotation.', (_i, a: Value) => [a]),
    op('quotesym', 'str ==> quot', "Makes a quotation holding the symbol named str (sigil ').", (i, s: string) => [new Sym(s, i.cur?.src ?? null, i.cur?.line ?? 0, i.cur?.column ?? 0)]),
    alias("'", 'quotesym'),
    op('quotecmd', 'str ==> quot', 'Makes a quotation holding the command str.', (_i, s: string) => [new Cmd(s)]),
    op('dequote', 'quot ==> a*', 'Runs quot: pushes its items on the stack one by one.', function* (_i, q: Q) {
      yield q;
    }),
    alias('->', 'dequote'),
    op('apply', 'quot ==> quot', 'Runs quot on a new empty stack and pushes what it left as a quotation.', function* (i, q: Q) {
      return yield* onNewStack(i, q);
    }),
    alias('=>', 'apply'),
    op('prefix-dequote', 'quot ==> a*', 'Runs quot in prefix notation (reversed).', function* (_i, q: Q) {
      yield q.slice().reverse();
    }),
    alias('>>', 'prefix-dequote'),
    op('infix-dequote', 'quot ==> a*', 'Runs quot in infix notation, left to right; nested quotations first.', function* (_i, q: Q) {
      yield infixToPostfix(q);
    }),
    alias('><', 'infix-dequote'),
    op('with', 'quot dict ==> a*', "Runs quot with dict's scope as the current scope (definitions and binds change dict).", function* (i, q: Q, d: Dict) {
      // min makes the dict's own scope current, so it must be shared, not copied.
      yield new RunIn(q, i.dictView(d, i.scope));
    }),
    op('eval', 'str ==> a*', 'Parses and runs the program in str in the current scope.', function* (i, s: string) {
      yield new RunIn(read(s, newSource('<eval>')), i.ownScope());
    }),
    op('parse', 'str ==> quot', 'Parses str into a quotation without running it.', (_i, s: string) => read(s, newSource('<parse>'))),
    op('tokenize', 'str ==> quot', 'Parses str into a quotation of token dicts with type and value.', (_i, s: string) => tokenize(s)),
    op('load', "'sym ==> a*", 'Runs the min file sym (.min optional) in the current scope.', function* (i, s: Value) {
      const path = findLoad(nameOf(s), baseDir(i.cur));
      yield new RunIn(read(readSource(path), newSource(path)), i.ownScope());
    }),
    op('require', "'sym ==> dict", 'Runs module sym in its own scope and returns its symbols as a module dict.', function* (i, s: Value) {
      return yield* requireFile(i, findModule(nameOf(s), baseDir(i.cur)));
    }),
    op('return', '==>', 'Ends the body of the operator being run, pushing its outputs.', () => {
      throw new ReturnSignal();
    }),

    // ---- control flow ----------------------------------------------------
    op('if', 'a quot quot ==> a*', 'Runs quot2 if the condition quot1 is true, quot3 otherwise.', (i, c: Value, t: Q, f: Q) => {
      if (typeof c === 'boolean') i.repeat(c ? t : f, 1);
      else i.conditional(asQuot(c), t, f, false);
    }),
    op('when', 'a quot ==> a*', 'Runs quot2 if the condition quot1 is true.', (i, c: Value, t: Q) => {
      if (typeof c === 'boolean') i.repeat(c ? t : [], 1);
      else i.conditional(asQuot(c), t, null, false);
    }),
    op('unless', 'a quot ==> a*', 'Runs quot2 if the condition quot1 is false.', (i, c: Value, f: Q) => {
      if (typeof c === 'boolean') i.repeat(c ? [] : f, 1);
      else i.conditional(asQuot(c), null, f, false);
    }),
    op('case', 'quot ==> a*', 'Runs the body of the first (condition body) branch whose condition is true.', function* (i, q: Q) {
      yield* runCase(i, q);
    }),
    op('while', 'quot quot ==> a*', 'Runs quot2 as long as the condition quot1 is true.', (i, c: Q, body: Q) => {
      i.conditional(c, body, null, true);
    }),
    op('times', 'quot int ==> a*', 'Runs quot int times.', (i, q: Q, n: number) => {
      i.repeat(q, n);
    }),
    op('foreach', 'quot quot ==> a*', 'Runs quot2 on each item of quot1.', function* (i, list: Q, q: Q) {
      for (const v of list) {
        yield* pushItem(i, v);
        yield q;
      }
    }),
    op('linrec', 'quot quot quot quot ==> a*', 'Linear recursion: if quot1 then quot2, else quot3, recurse, then quot4.', function* (i, p: Q, t: Q, r1: Q, r2: Q) {
      let depth = 0;
      for (;;) {
        if (yield* condition(i, p)) {
          yield t;
          break;
        }
        yield r1;
        depth++;
      }
      for (; depth > 0; depth--) yield r2;
    }),
    op('tap', 'a quot ==> a', 'Passes a through each program of quot in turn and pushes the result.', function* (i, a: Value, qs: Q) {
      let v = a;
      for (const q of qs) {
        i.push(v);
        yield asQuot(q);
        v = i.pop();
      }
      return v;
    }),

    // ---- errors ----------------------------------------------------------
    op('try', 'quot ==> a*', 'Runs (try catch? finally?): on an error the catch block runs with the error dict on the stack.', function* (i, q: Q) {
      const [body, cat, fin] = q;
      if (!Array.isArray(body)) throw invalid('try expects (body catch? finally?) quotations');
      try {
        yield body;
      } catch (e) {
        if (e instanceof ReturnSignal || !(e instanceof MinError)) throw e;
        if (cat !== undefined) {
          i.push(errorDict(e));
          yield asQuot(cat);
        }
      } finally {
        if (Array.isArray(fin)) yield fin;
      }
    }),
    op('raise', 'dict ==>', 'Raises the error described by dict (error, message...).', (_i, d: Dict) => {
      throw errorFromDict(d);
    }),
    op('format-error', 'dict ==> str', 'Formats an error dict as a message.', (_i, d: Dict) => formatError(d)),
    op('expect', 'quot ==> quot', 'Checks the top values against the types in quot (top first) and returns them in a quotation.', function* (i, types: Q) {
      const n = types.length;
      if (i.stack.length < n) i.pop();
      const vals = i.stack.splice(i.stack.length - n, n);
      for (let k = 0; k < n; k++) {
        const t = types[k]!;
        const tn = t instanceof Sym ? t.name : typeof t === 'string' ? t : show(t);
        const v = vals[n - 1 - k]!;
        if (!(yield* checkType(i, v, tn))) {
          for (const v of vals) i.stack.push(v);
          throw new MinError(`Incorrect values found on the stack: expected ${tn}, got ${typeName(v)} ${show(v)}`, 'MinTypeError');
        }
      }
      return vals;
    }),
    op('expect-empty-stack', '==>', 'Raises an error unless the stack is empty.', (i) => {
      if (i.stack.length) throw new MinError(`Stack is not empty (${i.stack.length} values)`, 'MinInvalidError');
    }),
    alias('=-=', 'expect-empty-stack'),

    // ---- conversions -----------------------------------------------------
    op('bool', 'a ==> bool', 'Converts a to a boolean (null, 0, "", "false", () and {} are false).', (_i, a: Value) => toBool(a)),
    op('integer', 'a ==> int', 'Converts a to an integer.', (_i, a: Value) => toInt(a)),
    op('float', 'a ==> flt', 'Converts a to a float.', (_i, a: Value) => toFloat(a)),
    op('string', 'a ==> str', 'Converts a to its string representation.', (_i, a: Value) => display(a)),
    op('type', 'a ==> str', 'The type of a (dict:TYPE for typed dicts).', (_i, a: Value) => typeName(a)),
    op('from-json', 'str ==> a', 'Converts a JSON string into min data.', (_i, s: string) => fromJson(s)),
    op('to-json', 'a ==> str', 'Converts a into a JSON string.', (_i, a: Value) => toJson(a)),
    op('from-yaml', 'str ==> a', 'Converts a YAML string of string values into a dict.', (_i, s: string) => fromYaml(s)),
    op('to-yaml', 'a ==> str', 'Converts a dict of plain values into YAML.', (_i, a: Value) => toYaml(a)),

    // ---- scopes and symbols ----------------------------------------------
    op('scope', '==> dict', 'The current scope, as a module dict.', (i) => new Dict(i.ownScope(), 'module')),
    op('global', '==> dict', 'The global scope, as a module dict.', (i) => new Dict(i.rt.global, 'module')),
    op('parent-scope', 'dict ==> a', 'The parent scope of dict, or null.', (_i, d: Dict) => (d.scope.parent ? new Dict(d.scope.parent, 'module') : null)),
    op('scope-symbols', 'dict ==> quot', 'The names of the symbols defined in dict.', (_i, d: Dict) => d.scope.names()),
    op('scope-sigils', 'dict ==> quot', 'The names of the sigils defined in dict.', (i, d: Dict) =>
      // System sigils live in min's global scope, so `global scope-sigils` lists them as `sigils` does.
      d.scope === i.rt.global ? [...new Set([...i.sigils.keys(), ...d.scope.sigilNames()])].sort() : d.scope.sigilNames(),
    ),
    op('symbols', '==> quot', 'The names of all symbols in the global scope.', (i) => i.rt.global.names()),
    op('sigils', '==> quot', 'All sigils defined in the global scope.', (i) => [...new Set([...i.sigils.keys(), ...i.rt.global.sigilNames()])].sort()),
    op('source', "'sym ==> quot", 'The quotation a user-defined symbol runs.', (i, s: Value) => {
      const e = i.lookup(nameOf(s)) ?? i.resolvePath(nameOf(s));
      if (!e) throw new MinError(`Undefined symbol: ${nameOf(s)}`, 'MinUndefinedError');
      if (e.kind === EntryKind.Native) throw invalid(`No source available for native symbol ${nameOf(s)}`);
      return e.kind === EntryKind.Quoted ? [e.val] : asQuot(e.val);
    }),
    op('line-info', '==> dict', 'Where the current symbol is: filename, line and column.', (i) => {
      const s = new Scope(null);
      s.set('filename', valueEntry(i.cur?.src?.file ?? ''));
      s.set('line', valueEntry(i.cur?.line ?? 0));
      s.set('column', valueEntry(i.cur?.column ?? 0));
      return new Dict(s);
    }),
    op('help', "'sym ==>", 'Prints the signature and description of symbol sym (sigil ?).', (i, s: Value) => {
      i.rt.out.write(helpText(i, nameOf(s)) + '\n');
    }),
    alias('?', 'help'),
    op('symbol-help', "'sym ==> a", 'The help dict of symbol sym, or null.', (i, s: Value) => helpDict(i, nameOf(s), false)),
    op('sigil-help', "'sym ==> a", 'The help dict of sigil sym, or null.', (i, s: Value) => helpDict(i, nameOf(s), true)),
    op('save-symbol', "'sym ==>", 'Saves the value of symbol sym to ~/.min_symbols.', (i, s: Value) => symbolsStore.save(i, nameOf(s))),
    op('load-symbol', "'sym ==>", 'Defines symbol sym from ~/.min_symbols.', (i, s: Value) => symbolsStore.load(i, nameOf(s))),
    op('saved-symbols', '==> quot', 'The names of the symbols saved in ~/.min_symbols.', () => symbolsStore.list()),
    op('remove-symbol', "'sym ==>", 'Removes symbol sym from ~/.min_symbols.', (_i, s: Value) => symbolsStore.remove(nameOf(s))),

    // ---- program and environment ------------------------------------------
    op('args', '==> quot', 'The program file and its arguments.', (i) => i.rt.args.slice()),
    op('raw-args', '==> quot', 'All command-line arguments, options included.', (i) => i.rt.rawArgs.slice()),
    op('opts', '==> dict', 'The -name:value options given to the program.', (i) => {
      const s = new Scope(null);
      for (const [k, v] of Object.entries(i.rt.opts)) s.set(k, valueEntry(v));
      return new Dict(s);
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
    }),
    op('loglevel?', '==> str', 'The current log level.', (i) => i.rt.logLevel),
    op('get-env', "'sym ==> str", 'The value of environment variable sym ("" if unset) (sigil $).', (_i, s: Value) => process.env[nameOf(s)] ?? ''),
    alias('$', 'get-env'),
    op('put-env', "'sym 'sym ==>", 'Sets environment variable sym2 to sym1.', (_i, v: Value, n: Value) => {
      process.env[nameOf(n)] = nameOf(v);
    }),
    op('puts', 'a ==> a', 'Prints a and a new line; a stays on the stack.', (i, a: Value) => {
      i.rt.out.write(display(a) + '\n');
      return a;
    }),
    op('puts!', 'a ==>', 'Prints a and a new line.', (i, a: Value) => {
      i.rt.out.write(display(a) + '\n');
    }),
    op('gets', '==> str', 'Reads a line from standard input ("" at the end of input).', (i) =>
      nextLine(i.rt, 'gets').catch(() => ''),
    ),
  ],
};

