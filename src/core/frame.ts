// The machine's frames. Every frame is one record with the same fields, so
// V8 keeps a single hidden class for them and the loop's property reads stay
// monomorphic; `kind` says which of the fields mean something, and the
// TypeScript union below spells that out for readers and for the compiler.
import type { Value, Sym } from './values.js';
import type { Scope } from './scope.js';
import type { NativeOp } from './registry.js';
import type { Code } from './compile.js';

export const enum FrameKind {
  /** A quotation run once: a program, a lambda's body, what an operator yields. */
  Run = 0,
  /** `times`: the items run again from `base` while `repeat` is above 1 (the last pass is a Run). */
  Repeat = 1,
  /** if/when/unless/while: a condition on a copy of the stack, then a branch (the last branch is a Run). */
  Branch = 2,
  /** The body of an operator defined with `operator`: `after` pushes its outputs when it ends or returns. */
  Body = 3,
  /** A generator operator (map, try, foreach...), resumed with what it waited for. */
  Operator = 4,
}

/**
 * A condition and what follows it. While the condition runs, `saved` holds
 * the real stack; when it ends, `then` or `else` runs in the same frame, and
 * for `while` the condition runs again after the body.
 */
export interface Loop {
  cond: Value[];
  then: Value[] | null;
  else: Value[] | null;
  again: boolean;
  /** `while`: the condition runs on the real stack and its result is popped (what it took stays taken). */
  consume: boolean;
}

/** The fields every frame has. */
interface FrameFields {
  kind: FrameKind;
  /** The quotation being evaluated; null for an operator frame. */
  items: Value[] | null;
  pc: number;
  /** The scope symbols resolve in. */
  scope: Scope;
  /** Whether `scope` belongs to this frame (made on its first definition). */
  own: boolean;
  /** The symbol whose evaluation opened this frame (for traces and errors). */
  sym: Sym | null;
  gen: Generator<unknown, unknown, unknown> | null;
  op: NativeOp | null;
  /** What the operator waited for, handed to it when it resumes. */
  resume: unknown;
  /** The stack put aside while a condition runs on a copy of it. */
  saved: Value[] | null;
  /** The scope each pass of a repeated or branching frame starts from. */
  base: Scope;
  /** Passes left for `times`. */
  repeat: number;
  loop: Loop | null;
  after: (() => void) | null;
  /** The compiled form of `codeOf` (see compile.ts), null while it has none. */
  code: Code | null;
  codeOf: Value[] | null;
}

interface QuotationFields extends FrameFields {
  items: Value[];
  gen: null;
  op: null;
}

export interface RunFrame extends QuotationFields {
  kind: FrameKind.Run;
}

export interface RepeatFrame extends QuotationFields {
  kind: FrameKind.Repeat;
}

export interface BranchFrame extends QuotationFields {
  kind: FrameKind.Branch;
  loop: Loop;
}

export interface BodyFrame extends QuotationFields {
  kind: FrameKind.Body;
  after: () => void;
}

export interface OperatorFrame extends FrameFields {
  kind: FrameKind.Operator;
  items: null;
  gen: Generator<unknown, unknown, unknown>;
  op: NativeOp;
}

/** A frame evaluating items: symbols met there resolve in its scope. */
export type QuotationFrame = RunFrame | RepeatFrame | BranchFrame | BodyFrame;

export type Frame = QuotationFrame | OperatorFrame;

/** A frame running `items` (every field present, so all frames share one shape). */
export function quotationFrame<K extends QuotationFrame['kind']>(kind: K, items: Value[], scope: Scope, own: boolean, sym: Sym | null): Extract<QuotationFrame, { kind: K }> {
  const f: FrameFields = { kind, items, pc: 0, scope, own, sym, gen: null, op: null, resume: undefined, saved: null, base: scope, repeat: 0, loop: null, after: null, code: null, codeOf: null };
  return f as Extract<QuotationFrame, { kind: K }>;
}

/** The frame of a generator operator's body. */
export function operatorFrame(gen: Generator<unknown, unknown, unknown>, op: NativeOp, scope: Scope, sym: Sym | null): OperatorFrame {
  const f: FrameFields = { kind: FrameKind.Operator, items: null, pc: 0, scope, own: false, sym, gen, op, resume: undefined, saved: null, base: scope, repeat: 0, loop: null, after: null, code: null, codeOf: null };
  return f as OperatorFrame;
}

/** A repeating or branching frame on its last pass: from here on it ends like a Run (and may be dropped for a tail call). */
export function lastPass(f: RepeatFrame | BranchFrame): void {
  (f as FrameFields).kind = FrameKind.Run;
  f.repeat = 0;
  (f as FrameFields).loop = null;
}
