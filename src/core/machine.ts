// The stack machine. Evaluation is an explicit loop over frames rather than JS
// recursion, for three reasons: min recursion depth is not limited by the JS
// stack, the loop stays synchronous until an operator really waits (returns a
// Promise), and a waiting task can be suspended anywhere and resumed later
// while other tasks run.
//
// A frame is either a quotation being evaluated (items + pc; see frame.ts for
// the kinds) or a generator operator (map, try...) that yields quotations
// for the machine to run.
import { Cmd, Dict, Resolved, Sym, copyLiteral, type Value } from './values.js';
import { dictWithPath, entryDict } from './dict.js';

export { entryDict };
import { EntryKind, Scope, rebindEntry, type Entry, type SymbolCaches } from './scope.js';
import { CountedCalls, MinError, TypeMismatch, emptyStack, inertData, toMinError, undefinedSymbol } from './errors.js';
import { didYouMean, namesInScope, nearestNames } from './suggest.js';
import { Cond, RunIn, prepareOp, type NativeOp } from './registry.js';
import { ExitSignal, type Runtime } from './runtime.js';
import { ReturnSignal } from './operator.js';
import { EntryAction, ItemAction, entryAction, isPlain, itemAction } from './evaluation.js';
import type { OpContext } from './context.js';
import { showShort } from './printer.js';
import { typeName } from './values.js';
import { fits } from './types.js';
import { BAIL, type CodeCache } from './compile.js';
import { FrameKind, inheritCallers, lastPass, type TailCalls, operatorFrame, quotationFrame, type BodyFrame, type BranchFrame, type Frame, type Loop, type OperatorFrame, type QuotationFrame } from './frame.js';
import { MAX_STACK, checkHeap, splitAtMost, stackLimit } from './limits.js';
import { Interrupts, takeWaits, withdrawAll } from './interrupts.js';
import { now } from './clock.js';

/** Steps between two looks at the clock when the runtime asks for time slices. */
const SLICE_CHECK = 4096;

/** Frames deeper than this are runaway recursion. */
const MAX_FRAMES = 2_000_000;

/** Slice checks between two looks at the heap (see checkLimits). */
const HEAP_CHECK = 4;

const AUTO_POP = '!';

export class Machine implements OpContext {
  stack: Value[] = [];
  readonly frames: Frame[] = [];
  /** The symbol being evaluated: errors raised by natives are located here. */
  cur: Sym | null = null;
  /**
   * The Promise the last operator that waited returned, as it returned it
   * (core/idle.ts asks it whether the wait is still on).
   */
  waiting: Promise<unknown> | null = null;
  /** Whether the stack limit was reported since the stack last was within it. */
  private stackFull = false;
  /** Slice checks left before the next look at the heap. */
  private heapBudget = HEAP_CHECK;
  /** The sigil table (char -> symbol) of the runtime. */
  private readonly sigils: Map<string, string>;
  /** What may end this machine's waits early (`cancel`, `within`). */
  readonly interrupts = new Interrupts();

  /** Shortcuts to the runtime's tables, read on every symbol. */
  readonly caches: SymbolCaches;
  private readonly codeCache: CodeCache;
  private readonly localNames: Set<string>;
  private readonly globals: Map<string, Entry>;
  /** The global `bind`, which `@name` usually stands for (see quickBind). */
  readonly bindEntry: Entry | undefined;
  /** What the auto-pop suffix (`name!`) runs after `name`: a symbol of this machine, so its caches are this runtime's. */
  private readonly popSym = new Sym('pop');

  constructor(
    readonly rt: Runtime,
    /** Scope new code starts in. */
    public baseScope: Scope = rt.global,
  ) {
    this.sigils = rt.sigils;
    this.caches = rt.caches;
    this.codeCache = rt.codeCache;
    this.localNames = rt.caches.localNames;
    this.globals = (rt.global.symbols ??= new Map());
    this.bindEntry = this.globals.get('bind');
  }

  // ---- stack -------------------------------------------------------------

  push(v: Value): void {
    this.stack.push(v);
  }

  pop(): Value {
    if (this.stack.length === 0) throw emptyStack();
    return this.stack.pop()!;
  }

  peek(): Value {
    if (this.stack.length === 0) throw emptyStack();
    return this.stack[this.stack.length - 1]!;
  }

  swapStack(next: Value[]): Value[] {
    const prev = this.stack;
    this.stack = next;
    return prev;
  }

  // ---- scopes ------------------------------------------------------------

  /** The innermost quotation frame: definitions go to its scope. */
  evalFrame(): QuotationFrame | null {
    const frames = this.frames;
    for (let k = frames.length - 1; k >= 0; k--) {
      const f = frames[k]!;
      if (f.kind !== FrameKind.Operator) return f;
    }
    return null;
  }

  /** The current scope, for lookups. */
  get scope(): Scope {
    const f = this.evalFrame();
    return f ? f.scope : this.baseScope;
  }

  /** The current scope, made the frame's own so definitions stay local to it. */
  ownScope(): Scope {
    const f = this.evalFrame();
    if (!f) return this.baseScope;
    if (!f.own) {
      f.scope = new Scope(f.scope);
      f.own = true;
    }
    return f.scope;
  }

  /** Define a symbol in the current scope. */
  define(name: string, e: Entry): void {
    this.ownScope().set(name, e);
  }

  lookup(name: string, scope: Scope = this.scope): Entry | undefined {
    return this.localNames.has(name) ? scope.lookup(name) : this.globals.get(name);
  }

  // ---- running -----------------------------------------------------------

  /** Evaluate a program (a quotation) in `scope`; resolves when done. */
  execute(items: Value[], scope: Scope = this.baseScope, own = true): void | Promise<void> {
    this.frames.push(quotationFrame(FrameKind.Run, items, scope, own, null));
    return this.run();
  }

  /**
   * The evaluation loop. Returns undefined when the frames below `base` ran to
   * completion synchronously, or a Promise when an operator had to wait.
   */
  run(pending?: unknown): void | Promise<void> {
    const frames = this.frames;
    let error: unknown = pending;
    const slice = this.rt.sliceMs;
    const sliceEnd = slice === null ? 0 : now() + slice;
    let budget = SLICE_CHECK;
    // Notes of withdrawable waits left by code that ran outside any machine are not ours.
    takeWaits();
    for (;;) {
      if (error !== undefined) {
        const r = this.unwind(error);
        error = undefined;
        if (r !== undefined) return this.suspend(r);
      }
      try {
        // Also on every resumption: a task that waits often may never use up a budget.
        this.checkLimits();
        while (frames.length > 0) {
          // Let the event loop (and so the other tasks) run every slice of
          // time; the clock is read only every SLICE_CHECK steps.
          if (--budget === 0) {
            budget = SLICE_CHECK;
            this.checkLimits();
            if (slice !== null && now() >= sliceEnd) return this.suspend(new Promise((r) => setImmediate(r)), true);
          }
          const f = frames[frames.length - 1]!;
          if (f.kind !== FrameKind.Operator) {
            const items = f.items;
            if (f.pc >= items.length) {
              if (f.kind === FrameKind.Repeat) {
                if (--f.repeat <= 1) lastPass(f);
                f.pc = 0;
                f.scope = f.base;
                f.own = false;
                continue;
              }
              if (f.kind === FrameKind.Branch && this.loopNext(f)) continue;
              frames.pop();
              if (f.kind === FrameKind.Body) this.finishBody(f);
              else if (f.after !== null) f.after();
              continue;
            }
            if (f.codeOf !== items) {
              f.codeOf = items;
              f.code = this.codeCache.codeFor(items, this);
            }
            if (f.code !== null) {
              const r = f.code(this, f);
              if (r === undefined) continue;
              if (r !== BAIL) return this.suspend(r);
              // The item at pc is the interpreter's to evaluate.
            }
            const v = items[f.pc++]!;
            if (isPlain(v)) {
              this.stack.push(v);
              continue;
            }
            const action = itemAction(v);
            if (action === ItemAction.Push) this.stack.push(v);
            else if (action === ItemAction.Evaluate) {
              const r = this.evalSym(v as Sym, f);
              if (r !== undefined) return this.suspend(r);
            } else {
              const r = this.evalOther(action, v, f);
              if (r !== undefined) return this.suspend(r);
            }
          } else {
            const r = this.stepGen(f);
            if (r !== undefined) return this.suspend(r);
          }
        }
        return;
      } catch (e) {
        error = e;
      }
    }
  }

  /** An item that is neither pushed as it is nor a symbol (kept out of the loop, which V8 inlines into). */
  private evalOther(action: ItemAction, v: Value, f: QuotationFrame): Promise<unknown> | undefined {
    switch (action) {
      case ItemAction.CopyLiteral:
        this.stack.push(copyLiteral(v as Dict, f.scope));
        return undefined;
      case ItemAction.RunCommand:
        this.cur = null;
        return this.runCmd(v as Cmd);
      case ItemAction.Push:
        this.stack.push(v);
        return undefined;
      case ItemAction.Evaluate:
        return this.evalSym(v as Sym, f);
      default:
        return unhandled(action);
    }
  }

  /**
   * The limits that would cost too much to check on every push, checked
   * every few thousand steps: the stack (a push adds at most a few hundred
   * items between two checks, far below what V8 can hold), and now and then
   * the heap, the last line of defence before V8 would end the process.
   */
  private checkLimits(): void {
    const depth = this.stack.length;
    if (depth > MAX_STACK) {
      // Raised once as the stack crosses the limit, so a catch block has room
      // to work (try leaves the stack as it was), and again at twice the
      // limit, still far below what V8 can hold.
      if (!this.stackFull || depth > 2 * MAX_STACK) {
        this.stackFull = true;
        throw stackLimit();
      }
    } else this.stackFull = false;
    if (--this.heapBudget === 0) {
      this.heapBudget = HEAP_CHECK;
      checkHeap();
    }
  }

  /** An operator returned `r` to wait on (see `waiting`). */
  noteWait(r: Promise<unknown>): void {
    this.waiting = r;
    this.rt.onWait?.();
  }

  /** Wait for `p` (`busy`: only for the next time slice), then carry on with the loop (or unwind its error). */
  private suspend(p: Promise<unknown>, busy = false): Promise<void> {
    this.rt.flush();
    // The waits the operator just started, to withdraw if a cancel or a
    // deadline ends this wait first (see interrupts.ts).
    const waits = takeWaits();
    const guard = this.interrupts;
    const early = guard.due();
    if (early && withdrawAll(waits, early)) {
      p.catch(() => {});
      // Through the event loop: a task that catches the error and waits again must not starve the others.
      return new Promise((r) => setImmediate(r)).then(() => this.run(early));
    }
    // A cancel or a deadline during the wait withdraws the waits, which rejects p.
    guard.begin(waits, busy);
    return p.then(
      () => {
        guard.finish();
        return this.run();
      },
      (e) => {
        guard.finish();
        return this.run(e ?? new MinError('Operation failed'));
      },
    );
  }

  /**
   * Unwind frames until an operator frame (such as `try`) handles the error.
   * Returns what run() should return if the handler had to wait.
   */
  private unwind(e: unknown): Promise<unknown> | undefined {
    if (e instanceof ExitSignal) throw e;
    let err = toMinError(e);
    err.at(this.cur);
    const frames = this.frames;
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.kind !== FrameKind.Operator) {
        if (f.saved !== null) this.restoreStack(f, false);
        if (f.kind === FrameKind.Body && err instanceof ReturnSignal) {
          // `return` ends the operator's body: its outputs are pushed and the
          // program carries on after the call.
          frames.pop();
          try {
            this.finishBody(f);
            return undefined;
          } catch (e2) {
            if (e2 instanceof ExitSignal) throw e2;
            err = toMinError(e2);
            continue;
          }
        }
        frames.pop();
        // The quotation an operator runs is opened by the operator's symbol: the operator's frame, below, traces that call.
        const below = frames[frames.length - 1];
        if (f.sym && !(below !== undefined && below.kind === FrameKind.Operator && below.sym === f.sym)) err.traced(f.sym);
        if (f.caller !== null) traceTailCalls(err, f);
        continue;
      }
      this.cur = f.sym;
      if (f.saved !== null) this.restoreStack(f, false);
      let res: IteratorResult<unknown, unknown>;
      try {
        res = f.gen.throw(err);
      } catch (e2) {
        if (e2 instanceof ExitSignal) throw e2;
        if (f.sym && e2 === err) err.traced(f.sym);
        err = toMinError(e2);
        err.at(f.sym);
        frames.pop();
        continue;
      }
      return this.afterGen(f, res);
    }
    throw err;
  }

  /**
   * Run an operator body (see operator.ts) in its own scope; `after` pushes
   * its outputs once the body is done or a `return` ended it.
   */
  callBody(items: Value[], scope: Scope, after: () => void): void {
    const f = quotationFrame(FrameKind.Body, items, scope, true, this.cur);
    f.after = after;
    this.pushFrame(f);
  }

  /**
   * A plain call's body is a Body frame; a checked call is a generator frame
   * of an operator from no module. Only there does a ReturnSignal have a
   * catcher; anywhere else it would pass through every `try`.
   */
  inOperatorBody(): boolean {
    const frames = this.frames;
    for (let k = frames.length - 1; k >= 0; k--) {
      const f = frames[k]!;
      if (f.kind === FrameKind.Body || (f.kind === FrameKind.Operator && f.op.module === '')) return true;
    }
    return false;
  }

  /** The operator body in frame f (already popped) is done: errors are located at its call. */
  private finishBody(f: BodyFrame): void {
    this.cur = f.sym;
    try {
      f.after();
    } catch (e) {
      const err = toMinError(e);
      err.at(f.sym);
      if (f.sym) err.traced(f.sym);
      throw err;
    }
  }

  private stepGen(f: OperatorFrame): Promise<unknown> | undefined {
    this.cur = f.sym;
    let resume = f.resume;
    f.resume = undefined;
    if (f.saved !== null) resume = this.finishCondition(f);
    return this.afterGen(f, f.gen.next(resume));
  }

  /** Act on what a generator operator yielded or returned. */
  private afterGen(f: OperatorFrame, res: IteratorResult<unknown, unknown>): Promise<unknown> | undefined {
    if (res.done) {
      this.frames.pop();
      if (f.op.pushResult) {
        if (res.value instanceof Sym) return this.evalSym(res.value, this.evalFrame() ?? quotationFrame(FrameKind.Run, [], f.scope, false, f.sym));
        if (res.value instanceof Cmd) return this.runCmd(res.value);
        this.stack.push(res.value as Value);
      }
      return undefined;
    }
    const y = res.value;
    if (Array.isArray(y)) {
      this.pushFrame(quotationFrame(FrameKind.Run, y, f.scope, false, f.sym));
      return undefined;
    }
    if (y instanceof Cond) {
      this.startCondition(f);
      this.pushFrame(quotationFrame(FrameKind.Run, y.items, f.scope, false, f.sym));
      return undefined;
    }
    if (y instanceof RunIn) {
      this.pushFrame(quotationFrame(FrameKind.Run, y.items, y.scope, true, f.sym));
      return undefined;
    }
    if (y instanceof Promise) return y.then((v) => (f.resume = v));
    throw new MinError(`Internal: operator ${f.op.name} yielded ${String(y)}`, 'MinInternalError');
  }

  private pushFrame(fr: Frame): void {
    if (this.frames.length >= MAX_FRAMES) {
      // Located at the call that went one level too deep, not at the last operator run.
      throw new MinError(`recursion limit exceeded: more than ${MAX_FRAMES} nested calls`, 'MinRecursionError').at(fr.sym ?? this.cur);
    }
    this.frames.push(fr);
  }

  /** Evaluate one symbol found in frame `f`. */
  evalSym(sym: Sym, f: QuotationFrame): Promise<unknown> | undefined {
    const caches = this.caches;
    if (sym.resolvedEpoch === caches.global) {
      if (sym.resolved === Resolved.Global) return this.apply(sym.resolvedEntry as Entry, sym, f);
      if (sym.resolved === Resolved.Sigil) {
        if (sym.resolvedEntry === this.bindEntry && this.quickBind(sym, f)) return undefined;
        this.stack.push(sym.sigilArg);
        return this.apply(sym.resolvedEntry as Entry, sym, f);
      }
    }
    const scope = f.scope;
    if (sym.localScope === scope && sym.localEpoch === caches.local) return this.apply(sym.localEntry as Entry, sym, f);
    // Every uncached resolution passes here, and an inert symbol never gets a
    // cache, so this one test covers every way of evaluating one (compiled
    // code included) at no cost to cached symbols.
    if (sym.inert) throw inertData(`Symbol '${sym.name}'`);
    const name = sym.name;
    if (this.localNames.has(name)) {
      const e = scope.lookupSeen(name);
      if (e !== undefined) {
        sym.localScope = scope;
        sym.localEntry = e;
        sym.localEpoch = caches.local;
        return this.apply(e, sym, f);
      }
      return this.evalUnbound(sym, f);
    }
    const e = this.globals.get(name);
    if (e !== undefined) {
      sym.resolved = Resolved.Global;
      sym.resolvedEntry = e;
      sym.resolvedEpoch = caches.global;
      return this.apply(e, sym, f);
    }
    return this.evalUnbound(sym, f);
  }

  /**
   * `@name`, the rebinding every min loop does, without pushing the name and
   * calling `bind`: the same in-place update bind makes. Anything unusual
   * (a dot path, an unknown or sealed name, an empty stack) returns false and
   * goes the ordinary way, which also reports the error.
   */
  quickBind(sym: Sym, f: QuotationFrame): boolean {
    const st = this.stack;
    if (st.length === 0) return false;
    const scope = f.scope;
    let e: Entry | undefined;
    // The target's entry is cached like a local lookup (see evalSym).
    if (sym.bindScope === scope && sym.bindEpoch === this.caches.local) e = sym.bindTarget as Entry;
    else {
      const name = sym.sigilArg;
      if (name.indexOf('.') >= 0) return false;
      if (this.localNames.has(name)) e = scope.lookupSeen(name);
      else {
        // A global found directly is cached for this scope too: the walk
        // marks every scope on the way, where a definition must invalidate it.
        scope.lookupSeen(name);
        e = this.globals.get(name);
      }
      if (e === undefined) return false;
      sym.bindScope = scope;
      sym.bindTarget = e;
      sym.bindEpoch = this.caches.local;
    }
    if (e.sealed) return false;
    rebindEntry(e, EntryKind.Quoted, st.pop()!);
    return true;
  }

  /** Apply a symbol-table entry as if its symbol had been met in frame `f`. */
  apply(e: Entry, sym: Sym, f: QuotationFrame): Promise<unknown> | undefined {
    // The two common actions here, the others out of line: this is inlined
    // into the loop, where every byte counts against V8's inlining budget.
    const action = entryAction(e);
    if (action === EntryAction.CallNative) {
      this.cur = sym;
      return this.callNative(e.op!, sym, f);
    }
    if (action === EntryAction.Push) {
      this.stack.push(e.val);
      return undefined;
    }
    return this.applyStored(action, e, sym, f);
  }

  /** The entry's stored value is a symbol, a dict literal, a lambda or a command. */
  private applyStored(action: EntryAction, e: Entry, sym: Sym, f: QuotationFrame): Promise<unknown> | undefined {
    switch (action) {
      case EntryAction.Evaluate:
        return this.evalSym(e.val as Sym, f);
      case EntryAction.CopyLiteral: {
        const c = copyLiteral(e.val as Dict, f.scope);
        c.origin = e;
        this.stack.push(c);
        return undefined;
      }
      case EntryAction.RunLambda: {
        // Run the body in a child of the current scope. In tail position the
        // finished caller frame is dropped first.
        // The dropped frame's caller is kept for the trace (see inheritCallers).
        const frames = this.frames;
        const body = quotationFrame(FrameKind.Run, e.val as Value[], f.scope, false, sym);
        if (f.kind === FrameKind.Run && f.pc >= f.items.length && frames[frames.length - 1] === f) {
          frames.pop();
          // What the dropped frame runs when it ends (a dot member unpinning its table) runs when the body ends.
          body.after = f.after;
          // (Never frames[-1]: a read out of bounds takes V8's slow path.)
          inheritCallers(body, f, frames.length > 0 ? frames[frames.length - 1] : undefined);
        }
        this.pushFrame(body);
        return undefined;
      }
      case EntryAction.RunCommand:
        return this.runCmd(e.val as Cmd);
      case EntryAction.CallNative:
      case EntryAction.Push:
        return this.apply(e, sym, f);
      default:
        return unhandled(action);
    }
  }

  callNative(op: NativeOp, sym: Sym | null, f: QuotationFrame | null): Promise<unknown> | undefined {
    const st = this.stack;
    if (op.arity < 0) prepareOp(op);
    const n = op.arity;
    const len = st.length;
    if (len < n) {
      // Native min pops operand by operand until the stack runs out.
      st.length = 0;
      throw emptyStack();
    }
    const codes = op.codes;
    const checks = op.checks;
    for (let k = 0; k < n; k++) {
      if (!fits(codes[k]!, st[len - n + k]!, checks[k]!)) throw operandMismatch(op, st);
    }
    let r: unknown;
    switch (n) {
      case 0:
        r = op.fn(this);
        break;
      case 1:
        r = op.fn(this, st.pop());
        break;
      case 2: {
        const b = st.pop();
        r = op.fn(this, st.pop(), b);
        break;
      }
      case 3: {
        const c = st.pop();
        const b = st.pop();
        r = op.fn(this, st.pop(), b, c);
        break;
      }
      default:
        r = op.fn(this, ...st.splice(len - n, n));
    }
    if (op.gen) {
      this.pushFrame(operatorFrame(r as Generator<unknown, unknown, unknown>, op, f ? f.scope : this.scope, sym));
      return undefined;
    }
    if (r instanceof Promise) {
      this.noteWait(r);
      return op.pushResult ? r.then((v) => void this.stack.push(v as Value)) : r;
    }
    if (op.pushResult) {
      // Like min's push, a symbol an operator produces is evaluated.
      if (r instanceof Sym) return this.evalSym(r, f ?? this.evalFrame() ?? quotationFrame(FrameKind.Run, [], this.scope, false, sym));
      // And a command it produces (`([ls]) first`) runs, as every push of one does.
      if (r instanceof Cmd) return this.runCmd(r);
      this.stack.push(r as Value);
    }
    return undefined;
  }

  /** Symbols not in any scope: dot paths, sigils, and the auto-pop suffix. */
  private evalUnbound(sym: Sym, f: QuotationFrame): Promise<unknown> | undefined {
    const name = sym.name;
    // `ab"x y"` (see the reader): sigil ab with the string "x y".
    const quote = name.indexOf('"');
    if (quote > 0 && quote < name.length - 1 && name.endsWith('"')) return this.sigilString(sym, quote, f);
    const dot = name.indexOf('.');
    if (dot > 0 && dot < name.length - 1) {
      const t = this.resolveMember(name, f.scope);
      if (t) {
        // Found outside the dict, or a module's operator: applied as it is, on the caller's scope.
        if (t.dict === null || (t.entry.kind === EntryKind.Native && t.entry.op!.module)) return this.apply(t.entry, sym, f);
        // A member of a dict (a required module, say) runs in a view of that
        // dict's table, so its body sees, and rebinds, its sibling symbols.
        const call = memberCall(sym);
        const d = t.holder !== null && (call.inner.length > 0 || t.dict.literal) ? memberTarget(t.holder, call.inner, t.dict) : t.dict;
        const view = this.dictView(d, f.scope);
        const frame = quotationFrame(FrameKind.Run, call.items, view, false, sym);
        // Once the member is done, its table is free again: later copies of the dict share it, O(1).
        const pinned = d.version;
        frame.after = () => pinned.unpin();
        this.pushFrame(frame);
        return undefined;
      }
    }
    if (name.length > 1) {
      const user = f.scope.lookupSigil(name[0]!);
      const target = user ?? this.systemSigil(name[0]!);
      if (target !== undefined) {
        const arg = name.slice(1);
        if (!user && !this.localNames.has(name)) {
          sym.resolved = Resolved.Sigil;
          sym.resolvedEntry = target;
          sym.sigilArg = arg;
          sym.resolvedEpoch = this.caches.global;
        }
        this.stack.push(arg);
        return this.apply(target, sym, f);
      }
      if (name.endsWith(AUTO_POP)) {
        const base = new Sym(name.slice(0, -1), sym.src, sym.line, sym.column);
        const inner = this.resolve(base.name, f.scope);
        if (inner) {
          // Evaluate, then drop what it left on top.
          this.frames.push(quotationFrame(FrameKind.Run, [base, this.popSym], f.scope, false, sym));
          return undefined;
        }
      }
    }
    this.cur = sym;
    const err = undefinedSymbol(name);
    err.message += didYouMean(nearestNames(name, namesInScope(f.scope)));
    throw err;
  }

  /** A user sigil used with a string, `NAME"text"`: the sigil must be defined, and gets the text. */
  private sigilString(sym: Sym, quote: number, f: QuotationFrame): Promise<unknown> | undefined {
    const sigil = sym.name.slice(0, quote);
    const target = this.sigilFor(sigil, f.scope);
    if (target === undefined) {
      this.cur = sym;
      throw new MinError(`Undefined sigil '${sigil}'`, 'MinUndefinedError');
    }
    this.stack.push(sym.name.slice(quote + 1, -1));
    return this.apply(target, sym, f);
  }

  /** The entry a sigil character stands for, if it is one here. */
  sigilFor(ch: string, scope: Scope = this.scope): Entry | undefined {
    return scope.lookupSigil(ch) ?? this.systemSigil(ch);
  }

  private systemSigil(ch: string): Entry | undefined {
    const target = this.sigils.get(ch);
    return target === undefined ? undefined : this.globals.get(target);
  }

  /** A symbol in scope, else a dot path: `a.b.c` looks `a` up, then `b` inside that dict, and so on. */
  resolve(name: string, scope: Scope = this.scope): Entry | undefined {
    return this.lookup(name, scope) ?? (name.includes('.') ? this.resolveMember(name, scope)?.entry : undefined);
  }

  /**
   * The entry a dot path names and the dict holding it. A key a dict lacks
   * is looked up, as native min does, in the scopes the dict was pushed in:
   * for the dict a name holds, the scope of that name (where it was stored),
   * for a nested one `Dict.parent`, set when a literal is pushed:
   * `{} :o 4 o.succ` is 5. An entry found there has no dict (`dict` null);
   * a nested dict never pushed has no such scope.
   */
  resolveMember(path: string, scope: Scope = this.scope): { dict: Dict | null; entry: Entry; holder: Entry | null } | undefined {
    const parts = splitAtMost(path, '.', 'a dot path');
    const first = parts[0]!;
    let e = this.lookup(first, scope);
    let d: Dict | null = null;
    let holder: Entry | null = null;
    for (let k = 1; k < parts.length; k++) {
      d = e ? entryDict(e) : null;
      if (!d) return undefined;
      if (k === 1) holder = e!;
      const key = parts[k]!;
      e = d.scope.get(key);
      if (e === undefined) {
        const outer = k === 1 ? (this.ownerOf(first, scope) ?? d.parent) : d.parent;
        e = outer?.lookup(key);
        d = null;
      }
    }
    return e ? { dict: d, entry: e, holder: d === null ? null : holder } : undefined;
  }

  /** The scope a name is defined in, seen from `scope`. */
  private ownerOf(name: string, scope: Scope): Scope | null {
    return this.localNames.has(name) ? scope.owner(name) : this.rt.global;
  }

  /** A scope sharing a dict's symbol table, on top of `parent`. */
  dictView(d: Dict, parent: Scope): Scope {
    // The view changes the dict in place (as `with` and members rebinding
    // their siblings do): its contents become its own first.
    const own = d.ownTable();
    const table = (own.symbols ??= new Map());
    // Once viewed, the dict's table belongs to this runtime's lookups: its
    // keys become local names now, and later ones as they are set.
    if (own.caches === null) {
      own.caches = this.caches;
      for (const k of table.keys()) this.caches.noteLocal(k);
    }
    const v = new Scope(parent);
    v.symbols = table;
    v.sigils = own.sigils;
    // Two scopes share the table: a change through either must invalidate
    // lookups cached through the other.
    v.seen = own.seen = true;
    return v;
  }

  /**
   * A command pushed (a `[...]` literal, or one an operator produced) runs
   * through `system-output`, which pushes what it printed (see sys.ts). One
   * read from JSON never runs.
   */
  runCmd(c: Cmd): Promise<unknown> | undefined {
    if (c.inert) throw inertData(`Command [${c.text}]`);
    const op = this.rt.commandOp;
    if (!op) throw new MinError('Commands are not available', 'MinRuntimeError');
    this.stack.push(c.text);
    return this.callNative(op, null, null);
  }

  // ---- loops ---------------------------------------------------------------

  /** `times`: run q n times in one frame, each pass in a fresh child scope. */
  repeat(q: Value[], n: number): void {
    if (n <= 0 || q.length === 0) return;
    if (n === 1) {
      this.pushFrame(quotationFrame(FrameKind.Run, q, this.scope, false, this.cur));
      return;
    }
    const f = quotationFrame(FrameKind.Repeat, q, this.scope, false, this.cur);
    f.repeat = n;
    this.pushFrame(f);
  }

  /**
   * `if`/`when`/`unless`/`while`: evaluate `cond` on a copy of the stack
   * (with `consume`, on the stack itself, popping its result, as native min
   * runs `while`), then run `then` or `else` (null: nothing); with `again`, loop.
   */
  conditional(cond: Value[], then: Value[] | null, otherwise: Value[] | null, again: boolean, consume = false): void {
    const f = quotationFrame(FrameKind.Branch, cond, this.scope, false, this.cur);
    f.loop = { cond, then, else: otherwise, again, consume, condCode: null, thenCode: null };
    this.startCondition(f);
    this.pushFrame(f);
  }

  /** Run a condition on a copy of the stack, the real one kept in the frame. */
  private startCondition(f: Frame): void {
    f.saved = this.stack;
    if (f.loop !== null && f.loop.consume) return;
    // An empty stack has nothing a condition could disturb: no copy needed,
    // it is emptied again afterwards (the common case of loop conditions).
    if (this.stack.length > 0) this.stack = this.stack.slice();
  }

  /** Put the real stack back after a condition; returns what the condition left on top. */
  private restoreStack(f: Frame, take = true): Value | undefined {
    const st = this.stack;
    if (f.loop !== null && f.loop.consume) {
      // The condition ran on the real stack (`saved` only marks that it ran).
      f.saved = null;
      return take ? st.pop() : undefined;
    }
    const r = st.length > 0 ? st[st.length - 1] : undefined;
    if (st === f.saved) while (st.length > 0) st.pop();
    this.stack = f.saved!;
    f.saved = null;
    return r;
  }

  /** A condition ended: put the real stack back and return the boolean it left. */
  private finishCondition(f: Frame): boolean {
    const r = this.restoreStack(f);
    if (typeof r !== 'boolean') {
      if (r === undefined && f.loop !== null && f.loop.consume) throw emptyStack();
      throw new MinError(
        r === undefined ? 'Condition left nothing on the stack' : `Condition did not return a boolean value (got ${showShort(r)})`,
        'MinInvalidError',
      );
    }
    return r;
  }

  /** A branching frame reached the end of its items: set up the next part, or finish (false). */
  private loopNext(f: BranchFrame): boolean {
    const loop: Loop = f.loop;
    let next: Value[] | null;
    if (f.saved !== null) {
      this.cur = f.sym;
      const r = this.finishCondition(f);
      next = r ? loop.then : loop.else;
      if (!loop.again || !r) lastPass(f);
      if (next === null) return false;
    } else {
      next = loop.cond;
      this.startCondition(f);
    }
    f.items = next;
    f.pc = 0;
    f.scope = f.base;
    f.own = false;
    if (loop.again) {
      if (next === loop.cond) f.code = loop.condCode ??= this.codeCache.codeFor(next, this);
      else if (next === loop.then) f.code = loop.thenCode ??= this.codeCache.codeFor(next, this);
      else return true;
      f.codeOf = next;
    }
    return true;
  }
}


/** Type-checks only when every action is handled above (a new one fails to compile). */
function unhandled(action: never): never {
  throw new MinError(`Internal: no rule for action ${String(action)}`, 'MinInternalError');
}

/** The callers tail calls dropped (see inheritCallers), latest first as in the rest of the trace. */
function traceTailCalls(err: MinError, f: Frame): void {
  const caller = f.caller!;
  // A loop's frame was opened by the same call as the ones it dropped: counted after its own line.
  const repeats = f.again + (caller === f.sym ? 1 : 0);
  if (caller !== f.sym) err.traced(caller);
  if (repeats > 0) err.traced(new CountedCalls(caller, repeats));
  const older = f.callers;
  if (older === null) return;
  const calls = older.calls;
  for (let k = calls.length - 1; k >= 0; k--) err.traced(calls[k]!);
  if (older.forgotten > 0) err.traced(new CountedCalls(null, older.forgotten));
}

/**
 * An operand of the wrong type. Native min pops the operands one by one from
 * the top and stops at the first wrong one: those it popped stay popped.
 */
function operandMismatch(op: NativeOp, st: Value[]): MinError {
  const n = op.arity;
  const base = st.length - n;
  let bad = n - 1;
  while (bad > 0 && fits(op.codes[bad]!, st[base + bad]!, op.checks[bad]!)) bad--;
  const wrong = st.splice(base + bad)[0]!;
  const expected = op.inTypes.map((t) => t.replace(/(?<=[a-z])\d+$/, ''));
  return new TypeMismatch(expected, bad, typeName(wrong), op.name);
}

/**
 * The dict a member runs in when the dict the name holds cannot change in
 * place: a nested one (`o.in.method`: its object is shared by every copy of
 * `o`) or a literal taken out of a quotation (the code's own). It is a copy,
 * and the name is rebound to a dict holding it at `path`, so the member's
 * changes show through that name and no other copy.
 */
/** What a dot path `a.b.key` runs: the member's symbol, and the dicts between the first and the member. */
interface MemberCall {
  readonly items: Value[];
  readonly inner: readonly string[];
}

/**
 * Made once per dot-path symbol, not per call: a loop calling `o.inc` would
 * otherwise split the name and compile a fresh quotation on every pass.
 */
const memberCalls = new WeakMap<Sym, MemberCall>();

function memberCall(sym: Sym): MemberCall {
  let call = memberCalls.get(sym);
  if (call === undefined) {
    const name = sym.name;
    const key = name.slice(name.lastIndexOf('.') + 1);
    call = { items: [new Sym(key, sym.src, sym.line, sym.column)], inner: name.split('.').slice(1, -1) };
    memberCalls.set(sym, call);
  }
  return call;
}

function memberTarget(root: Entry, path: readonly string[], d: Dict): Dict {
  const own = d.copy();
  if (root.sealed || !(root.val instanceof Dict)) return own;
  root.val = path.length === 0 ? own : dictWithPath(root.val, path, (old) => (old === undefined ? undefined : { ...old, val: own }));
  return own;
}
