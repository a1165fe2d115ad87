// `operator` (`::`): symbols, sigils, type classes and constructors defined in
// min with a signature. Inputs are captured into symbols, outputs are read
// back from their capturing symbols and `return` ends the body early. As in
// native min, only development mode (-d) checks the types of inputs and
// outputs and that the body left the stack as it found it: a program that
// runs natively runs here too.
import type { OpContext } from './context.js';
import type { Run } from './control.js';
import { MinError, TypeMismatch } from './errors.js';
import { RunIn, type NativeOp } from './registry.js';
import { BoundNames, EntryKind, Scope, nativeEntry, valueEntry, type Entry } from './scope.js';
import { checkType, type Generics } from './typecheck.js';
import { basePredicate, onlyBase, parseTypeExpr } from './types.js';
import { Dict, Sym, typeName, type Value } from './values.js';
import { show, showShort } from './printer.js';
import { sealedSymbol } from './sealed.js';

/** Thrown by `return`; the innermost operator call catches it. */
export class ReturnSignal extends MinError {
  constructor() {
    super('return used outside of an operator body', 'MinReturnError');
  }
}

interface Param {
  type: string;
  name: string;
  lambda: boolean;
  /** Where the type is in the signature (1-based), for errors. */
  pos: number;
}

export interface Signature {
  ins: Param[];
  outs: Param[];
  generics: Map<string, string>;
  text: string;
}

const symName = (v: Value): string | null => (v instanceof Sym ? v.name : null);

/** Parse `(num :base int :exp ==> num :result)` (generics: `(str|num :t) :a`). */
export function parseSignature(sig: Value[]): Signature {
  const generics = new Map<string, string>();
  const ins: Param[] = [];
  const outs: Param[] = [];
  let side = ins;
  let type: string | null = null;
  let typePos = 0;
  let pos = 0;
  const bad = (why: string) => new MinError(`Invalid signature ${showShort(sig)}: ${why}`, 'MinInvalidError');
  for (const item of sig) {
    pos++;
    if (Array.isArray(item)) {
      // A generic: (type-expression :name), used as the type of this slot.
      const [t, n] = item.map(symName);
      if (item.length !== 2 || !t || !n || !n.startsWith(':')) throw bad('a generic is written (type :name)');
      generics.set(n.slice(1), t);
      if (type !== null) throw bad(`type ${type} has no capturing symbol`);
      type = n.slice(1);
      typePos = pos;
      continue;
    }
    const w = symName(item);
    if (w === null) throw bad(`unexpected ${showShort(item)}`);
    if (w === '==>') {
      if (type !== null) throw bad(`type ${type} has no capturing symbol`);
      if (side === outs) throw bad('more than one ==>');
      side = outs;
      continue;
    }
    if (type === null) {
      type = w;
      typePos = pos;
      continue;
    }
    if (w.length < 2 || (w[0] !== ':' && w[0] !== '^')) throw bad(`expected a capturing symbol after ${type}, got ${w}`);
    if (w[0] === '^' && side === ins) throw bad('lambdas cannot be captured as inputs');
    side.push({ type, name: w.slice(1), lambda: w[0] === '^', pos: typePos });
    type = null;
  }
  if (type !== null) throw bad(`type ${type} has no capturing symbol`);
  if (side !== outs) throw bad('missing ==>');
  const text = [...ins.map((p) => p.type), '==>', ...outs.map((p) => p.type)].join(' ');
  return { ins, outs, generics, text };
}

export type OperatorKind = 'symbol' | 'sigil' | 'typeclass' | 'constructor';

/** A check that needs no min code (base types only, no generics), or null. */
function fastCheck(type: string, sig: Signature): ((v: Value) => boolean) | null {
  const e = parseTypeExpr(type);
  if (!onlyBase(e)) return null;
  if (sig.generics.size && [...sig.generics.keys()].some((g) => type.split(/[|&!]/).includes(g))) return null;
  return basePredicate(type);
}

/** Build the native op that runs a min-defined operator. */
export function makeOperator(kind: OperatorKind, name: string, sig: Signature, body: Value[], doc: string): NativeOp {
  // Signatures are checked on every call: decide once which checks are plain.
  const inChecks = sig.ins.map((p) => fastCheck(p.type, sig));
  const outChecks = sig.outs.map((p) => fastCheck(p.type, sig));
  /** Take the inputs off the stack; their scope is made by `bind` once they are checked. */
  function takeInputs(i: OpContext): Value[] {
    const n = sig.ins.length;
    if (i.stack.length < n) {
      // Native min pops input by input until the stack runs out.
      i.stack.length = 0;
      throw new MinError('Insufficient items on the stack', 'MinEmptyStackError');
    }
    return i.stack.splice(i.stack.length - n, n);
  }

  const inTypes = sig.ins.map((p) => p.type);
  /**
   * Input k has the wrong type. The inputs are checked from the top down, as
   * native min pops them: those above k and k itself stay popped.
   */
  function badInput(i: OpContext, vals: Value[], k: number): MinError {
    i.stack.push(...vals.slice(0, k));
    return new TypeMismatch(inTypes, k, typeName(vals[k]!), name);
  }

  const inNames = sig.ins.map((p) => p.name);
  const outNames = sig.outs.map((p) => p.name);
  const outLambda = sig.outs.map((p) => p.lambda);
  const bound = new BoundNames([...inNames, ...outNames]);

  /** The body's scope: the inputs, and the outputs' capturing symbols. */
  function bind(i: OpContext, vals: Value[]): Scope {
    const m = new Map<string, Entry>();
    for (let k = 0; k < inNames.length; k++) m.set(inNames[k]!, valueEntry(vals[k]!, EntryKind.Quoted));
    for (let k = 0; k < outNames.length; k++) {
      m.set(outNames[k]!, outLambda[k] ? valueEntry([], EntryKind.Value) : valueEntry(null, EntryKind.Quoted));
    }
    return Scope.bound(i.scope, bound, m);
  }

  /** The body has run: it must have left the stack as it found it. */
  function checkStack(i: OpContext, mark: number): void {
    if (i.stack.length === mark) return;
    const extra = i.stack.length - mark;
    throw new MinError(
      extra > 0
        ? `Operator '${name}' is polluting the stack (${extra} extra value${extra > 1 ? 's' : ''})`
        : `Operator '${name}' consumed ${-extra} value${extra < -1 ? 's' : ''} below its inputs`,
      'MinInvalidError',
    );
  }

  /** Output k as captured (a constructor types the dict it makes). */
  function output(scope: Scope, k: number): Value {
    const p = sig.outs[k]!;
    const v = scope.get(p.name)!.val;
    // A typed copy: the dict the body built may be held elsewhere too.
    if (!p.lambda && kind === 'constructor' && v instanceof Dict) return v.copy(name);
    return v;
  }

  function badOutput(k: number, v: Value): MinError {
    const p = sig.outs[k]!;
    return new MinError(`Invalid value for output symbol '${p.name}' of ${name}: expected ${p.type}, got ${typeName(v)} ${showShort(v)}`, 'MinInvalidError');
  }

  // When every check is a plain predicate, no min code runs outside the body:
  // the call is one frame, and its end (or a `return` in it) pushes the
  // outputs directly, without a generator.
  // A `^name` output is run once the body is done: that takes a generator too.
  const plain = sig.generics.size === 0 && inChecks.every((c) => c !== null) && sig.outs.every((p, k) => !p.lambda && outChecks[k] !== null);

  /** Without development mode nothing is checked: the call is one frame, as in a plain call. */
  const uncheckedCall = (i: OpContext): void => {
    const scope = bind(i, takeInputs(i));
    i.callBody(body, scope, () => {
      for (let k = 0; k < sig.outs.length; k++) i.stack.push(output(scope, k));
    });
  };

  const plainCall = (i: OpContext): void => {
    if (!i.rt.dev) return uncheckedCall(i);
    const vals = takeInputs(i);
    for (let k = vals.length - 1; k >= 0; k--) if (!inChecks[k]!(vals[k]!)) throw badInput(i, vals, k);
    const scope = bind(i, vals);
    const mark = i.stack.length;
    i.callBody(body, scope, () => {
      checkStack(i, mark);
      for (let k = 0; k < sig.outs.length; k++) {
        const v = output(scope, k);
        if (!sig.outs[k]!.lambda && !outChecks[k]!(v)) throw badOutput(k, v);
        i.stack.push(v);
      }
    });
  };

  /** Output k is pushed, or for a `^name` output run, as native min does. */
  function* pushOutput(i: OpContext, v: Value, k: number): Run<void> {
    if (outLambda[k] && Array.isArray(v)) yield v;
    else i.stack.push(v);
  }

  // Type classes and generics are checked by running min code: a generator.
  const checkedCall = function* (i: OpContext): Run<void> {
    if (!i.rt.dev) {
      // The unchecked call, run from this generator's frame.
      const scope = bind(i, takeInputs(i));
      try {
        yield new RunIn(body, scope);
      } catch (e) {
        if (!(e instanceof ReturnSignal)) throw e;
      }
      for (let k = 0; k < sig.outs.length; k++) yield* pushOutput(i, output(scope, k), k);
      return;
    }
    const generics: Generics | undefined = sig.generics.size
      ? new Map([...sig.generics].map(([k, e]) => [k, { expr: e, bound: null }]))
      : undefined;
    const vals = takeInputs(i);
    for (let k = vals.length - 1; k >= 0; k--) {
      const fast = inChecks[k];
      if (!(fast ? fast(vals[k]!) : yield* checkType(i, vals[k]!, sig.ins[k]!.type, generics))) throw badInput(i, vals, k);
    }
    const scope = bind(i, vals);
    const mark = i.stack.length;
    try {
      yield new RunIn(body, scope);
    } catch (e) {
      if (!(e instanceof ReturnSignal)) throw e;
    }
    checkStack(i, mark);
    for (let k = 0; k < sig.outs.length; k++) {
      const v = output(scope, k);
      const fast = outChecks[k];
      if (!sig.outs[k]!.lambda && !(fast ? fast(v) : yield* checkType(i, v, sig.outs[k]!.type, generics))) throw badOutput(k, v);
      yield* pushOutput(i, v, k);
    }
  };

  return {
    name,
    sig: sig.text,
    doc,
    fn: plain ? plainCall : checkedCall,
    arity: 0,
    checks: [],
    codes: [],
    inTypes: sig.ins.map((p) => p.type),
    outTypes: sig.outs.map((p) => p.type),
    pushResult: false,
    gen: !plain,
    module: '',
  };
}

/**
 * The signatures of operators defined in min, as written (`(str :s ==> str :r)`),
 * which their help shows. Kept beside the op, not in it: every NativeOp keeps one shape.
 */
export const writtenSignatures = new WeakMap<NativeOp, string>();

/** What an operator may be named, as in native min. */
const OPERATOR_NAME = /^[a-zA-Z_][a-zA-Z0-9/!?+*_-]*$/;

/** The type names native min knows without a definition. */
const SIGNATURE_TYPES = new Set(['a', 'bool', 'null', 'int', 'num', 'flt', 'str', 'quot', 'dict', "'sym", 'sym', 'cmd']);

/**
 * Every name in a signature's types must be a type where the operator is
 * defined (native min checks this once, when `operator` runs).
 */
function checkTypeNames(i: OpContext, sig: Signature): void {
  const known = (t: string): boolean =>
    SIGNATURE_TYPES.has(t) || (t.startsWith('dict:') && t.length > 5) || sig.generics.has(t) || i.lookup('typeclass:' + t) !== undefined || i.lookup('typealias:' + t) !== undefined;
  for (const p of [...sig.ins, ...sig.outs]) {
    for (const part of p.type.split(/[|&]/)) {
      const t = part.replace(/^!+/, '');
      if (!known(t)) throw new MinError(`Invalid type '${t}' specified in signature at position ${p.pos}`, 'MinInvalidError');
    }
  }
  for (const expr of sig.generics.values()) {
    for (const part of expr.split(/[|&]/)) {
      const t = part.replace(/^!+/, '');
      if (!known(t)) throw new MinError(`Invalid type '${t}' specified in signature`, 'MinInvalidError');
    }
  }
}

/** `operator`: define the operator described by (kind name (signature) (body)). */
export function defineOperator(i: OpContext, q: Value[], doc: string): void {
  const [k, n, s, b] = q;
  const kind = symName(k ?? null) ?? (typeof k === 'string' ? k : null);
  let name = symName(n ?? null) ?? (typeof n === 'string' ? n : null);
  if (q.length !== 4 || !kind || !name || !Array.isArray(s) || !Array.isArray(b)) {
    throw new MinError('Invalid operator definition', 'MinInvalidError');
  }
  if (!['symbol', 'sigil', 'typeclass', 'constructor'].includes(kind)) {
    throw new MinError(`Invalid operator kind: ${kind} (symbol, sigil, typeclass or constructor)`, 'MinInvalidError');
  }
  if (!OPERATOR_NAME.test(name)) throw new MinError('Operator name must not contain invalid characters', 'MinInvalidError');
  const sig = parseSignature(s);
  checkTypeNames(i, sig);
  if (kind === 'typeclass') {
    if (sig.ins.length !== 1 || sig.outs.length !== 1 || sig.outs[0]!.type !== 'bool') {
      throw new MinError(`Type class ${name} must take one value and return a bool`, 'MinInvalidError');
    }
    name = 'typeclass:' + name;
  }
  const op = makeOperator(kind as OperatorKind, name, sig, b, doc);
  writtenSignatures.set(op, show(s));
  if (kind === 'sigil') {
    // A sigil defined with `operator` is sealed, as in native min.
    const scope = i.ownScope();
    const prev = scope.lookupSigil(name);
    if (prev?.sealed) throw new MinError(`Attempting to redefine sealed sigil '${name}'`, 'MinInvalidError');
    scope.setSigil(name, { ...nativeEntry(op, true), doc });
    return;
  }
  const entry: Entry = { ...nativeEntry(op, false), doc };
  const scope = i.ownScope();
  const prev = scope.get(name);
  if (prev?.sealed) throw sealedSymbol(name, prev);
  i.define(name, entry);
}
