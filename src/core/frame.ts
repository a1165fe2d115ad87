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
  /**
   * The compiled forms of `cond` and `then` once they have them: a loop
   * switches between the two on every pass, and the code cache is a
   * WeakMap look-up each time.
   */
  condCode: Code | null;
  thenCode: Code | null;
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
  /**
   * For the trace: the call whose frame a tail call dropped to make this one,
   * and the calls before it that tail calls dropped (null: none).
   */
  caller: Sym | null;
  /** How many times more `caller` called itself in tail position just before (a loop). */
  again: number;
  callers: TailCalls | null;
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
  const f: FrameFields = { kind, items, pc: 0, scope, own, sym, gen: null, op: null, resume: undefined, saved: null, base: scope, repeat: 0, loop: null, after: null, caller: null, again: 0, callers: null, code: null, codeOf: null };
  return f as Extract<QuotationFrame, { kind: K }>;
}

/** The frame of a generator operator's body. */
export function operatorFrame(gen: Generator<unknown, unknown, unknown>, op: NativeOp, scope: Scope, sym: Sym | null): OperatorFrame {
  const f: FrameFields = { kind: FrameKind.Operator, items: null, pc: 0, scope, own: false, sym, gen, op, resume: undefined, saved: null, base: scope, repeat: 0, loop: null, after: null, caller: null, again: 0, callers: null, code: null, codeOf: null };
  return f as OperatorFrame;
}

/**
 * The older callers of a chain of tail calls (see `caller`): the latest
 * ones, oldest first, and how many before them were forgotten. A loop
 * written as a tail call runs forever in constant memory, so only the latest
 * are kept. One record serves a whole chain, handed from frame to frame.
 */
export interface TailCalls {
  calls: Sym[];
  forgotten: number;
}

/** Callers kept for the trace; twice as many pile up before the oldest are forgotten, so a tail call costs an array push. */
const TAIL_KEPT = 32;

/**
 * `body` is the frame of a tail call that replaced frame `f` (`below` is the
 * frame under both): body inherits f's callers, and f's own call becomes the
 * latest of them, unless it is not one of its own: the program's frame (no
 * symbol), or the quotation an operator runs (map, try...), whose operator
 * frame below stands for it.
 */
export function inheritCallers(body: QuotationFrame, f: QuotationFrame, below: Frame | undefined): void {
  const sym = f.sym;
  if (sym === null || (below !== undefined && below.sym === sym && below.kind === FrameKind.Operator)) {
    body.caller = f.caller;
    body.callers = f.callers;
    return;
  }
  body.caller = sym;
  const older = f.caller;
  if (older === null) {
    body.callers = f.callers;
    return;
  }
  if (older === sym) {
    // The same call again, a loop: counted, not listed.
    body.callers = f.callers;
    body.again = f.again + 1;
    return;
  }
  const tail = f.callers ?? { calls: [], forgotten: 0 };
  const calls = tail.calls;
  if (calls.push(older) > 2 * TAIL_KEPT) {
    tail.forgotten += calls.length - TAIL_KEPT;
    calls.splice(0, calls.length - TAIL_KEPT);
  }
  body.callers = tail;
}

/** A repeating or branching frame on its last pass: from here on it ends like a Run (and may be dropped for a tail call). */
export function lastPass(f: RepeatFrame | BranchFrame): void {
  (f as FrameFields).kind = FrameKind.Run;
  f.repeat = 0;
  (f as FrameFields).loop = null;
}
