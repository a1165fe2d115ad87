// Data-driven operator registration. Each module in src/ops exports one table
// of operators (name, signature, help, body); the machine pops and
// type-checks the inputs from the declared signature before calling the body.
//
// Body conventions:
//  - inputs arrive as arguments, deepest first (`a b -` calls fn(i, a, b));
//  - with exactly one declared output the return value is pushed;
//    otherwise the body pushes what it produces itself;
//  - a body may return a Promise (the interpreter awaits only then);
//  - a generator body may `yield` a quotation to run it in a child scope,
//    a `RunIn` to run code in a given scope, or a Promise to wait for it.
import type { OpContext } from './context.js';
import { checkCode, basePredicate, type Check } from './types.js';
import type { Value } from './values.js';

export type OpFn = (i: OpContext, ...args: any[]) => any;

export interface OpDef {
  name: string;
  /** `in1 in2 ==> out1`; `a*` marks a variable number of values. */
  sig: string;
  doc: string;
  fn?: OpFn;
  /** Register `name` as another spelling of this operator. */
  alias?: string;
}

export interface NativeOp {
  name: string;
  sig: string;
  doc: string;
  fn: OpFn;
  arity: number;
  checks: ((v: Value) => boolean)[];
  /** Per input, a Check code the machine tests inline (Other: use `checks`). */
  codes: Check[];
  inTypes: string[];
  outTypes: string[];
  pushResult: boolean;
  gen: boolean;
  module: string;
}

export interface ModuleDef {
  name: string;
  ops: OpDef[];
  /** Sigil character -> the symbol it stands for. */
  sigils?: Record<string, string>;
}

export const op = (name: string, sig: string, doc: string, fn: OpFn): OpDef => ({ name, sig, doc, fn });
export const alias = (name: string, target: string): OpDef => ({ name, sig: '', doc: '', alias: target });

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;

/** Split a signature into input and output type words. */
export function splitSig(sig: string): { ins: string[]; outs: string[] } {
  const [l, r = ''] = sig.split('==>');
  const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);
  return { ins: words(l!), outs: words(r) };
}

/**
 * Make the NativeOp for a table entry. Its signature is read on first use
 * (`arity` is -1 until then, see prepareOp): start-up then only pays for the
 * operators a program calls.
 */
export function nativeOp(def: OpDef, module: string): NativeOp {
  return {
    name: def.name,
    sig: def.sig,
    doc: def.doc,
    fn: def.fn!,
    arity: -1,
    checks: [],
    codes: [],
    inTypes: [],
    outTypes: [],
    pushResult: false,
    gen: def.fn instanceof GeneratorFunction,
    module,
  };
}

/** Read an operator's signature into its input checks (once). */
export function prepareOp(op: NativeOp): NativeOp {
  if (op.arity >= 0) return op;
  const { ins, outs } = splitSig(op.sig);
  const fixed = ins.some((t) => t.endsWith('*')) ? [] : ins;
  const types = fixed.map((t) => t.replace(/[0-9]+$/, ''));
  op.checks = types.map(basePredicate);
  op.codes = types.map(checkCode);
  op.inTypes = ins;
  op.outTypes = outs;
  op.pushResult = outs.length === 1 && !outs[0]!.endsWith('*');
  op.arity = fixed.length;
  return op;
}

/**
 * Evaluate a condition: run `items` on a copy of the stack and resume the
 * generator with the boolean it left (the stack itself is left untouched).
 */
export class Cond {
  constructor(public readonly items: Value[]) {}
}

/** Run `items` in `scope` (instead of a fresh child of the current scope). */
export class RunIn {
  constructor(
    public readonly items: Value[],
    public readonly scope: import('./scope.js').Scope,
  ) {}
}
