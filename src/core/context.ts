// The operator contract: everything an operator body (src/ops, and the
// operators core defines itself) may touch. The Machine implements it; a
// body never sees the machine's frames, caches or loop, so those can change
// without touching a single operator.
import type { Entry, Scope } from './scope.js';
import type { Dict, Sym, Value } from './values.js';
import type { Runtime } from './runtime.js';
import type { Interrupts } from './interrupts.js';

export interface OpContext {
  // ---- the stack ------------------------------------------------------------

  /**
   * The data stack, top last. A body may read it, push, pop and splice it;
   * to run code on another stack it swaps the stack (never assigns it).
   */
  readonly stack: Value[];
  push(v: Value): void;
  /** The top value; an empty stack is a MinEmptyStackError. */
  pop(): Value;
  peek(): Value;
  /** Put `next` in place of the stack and return the stack it replaces (put it back in a `finally`). */
  swapStack(next: Value[]): Value[];

  // ---- where the program is -------------------------------------------------

  /** The symbol being evaluated: errors are located there, and symbols a body makes take its position. */
  readonly cur: Sym | null;
  /** The program: standard streams, arguments, the global scope, tasks and per-program state. */
  readonly rt: Runtime;
  /** What may end this task's waits early: its cancel and the deadlines of the `within`s it is in. */
  readonly interrupts: Interrupts;

  // ---- names ----------------------------------------------------------------

  /** The scope symbols resolve in now. */
  readonly scope: Scope;
  /** The current scope, made the running quotation's own so that definitions stay local to it. */
  ownScope(): Scope;
  /** Define a name in the current scope (ownScope().set: the caches stay right by themselves). */
  define(name: string, e: Entry): void;
  /** The entry of a symbol name, as the machine looks it up (no dot paths). */
  lookup(name: string, scope?: Scope): Entry | undefined;
  /** The entry a name stands for as the evaluator finds it: a symbol in scope, else a dot path `a.b.c`. */
  resolve(name: string, scope?: Scope): Entry | undefined;
  /** The entry a dot path names, the dict holding it and, when that dict was found through `name` (the path's first part), the entry of `name`. */
  resolveMember(path: string, scope?: Scope): { dict: Dict | null; entry: Entry; holder: Entry | null } | undefined;
  /** The entry a sigil character stands for here (a user sigil, else a system one). */
  sigilFor(ch: string, scope?: Scope): Entry | undefined;
  /** A scope sharing a dict's table, on top of `parent` (`with`: definitions land in the dict). */
  dictView(d: Dict, parent: Scope): Scope;

  // ---- running code -----------------------------------------------------------
  // A body that runs min code either is a generator (it yields a quotation, a
  // Cond, a RunIn or a Promise: see registry.ts) or asks for one of these
  // frames, which run after the body returns.

  /** `times`: run q n times, each pass in a fresh child scope. */
  repeat(q: Value[], n: number): void;
  /**
   * if/when/unless/while: `cond` on a copy of the stack (with `consume`, on
   * the stack itself, its result popped, as native min runs `while`), then
   * `then` or `otherwise` (null: nothing); with `again`, loop.
   */
  conditional(cond: Value[], then: Value[] | null, otherwise: Value[] | null, again: boolean, consume?: boolean): void;
  /** Run an operator's body in `scope`; `after` runs when it ends or a `return` ends it. */
  callBody(items: Value[], scope: Scope, after: () => void): void;
  /** Whether an operator defined in min is running its body here, so that a `return` has a catcher. */
  inOperatorBody(): boolean;
}
