// Every failure a script can cause is a MinError: it carries min's error dict
// fields so `try` can hand the script a `dict:error`, and the CLI can print
// `FILE(LINE,COLUMN) [symbol]: message`.
import type { Dict, Sym } from './values.js';

export class MinError extends Error {
  /** The `error` field: the kind of error, e.g. `MinRuntimeError`, `TimeoutError`. */
  kind: string;
  symbol = '';
  filename = '';
  line = 0;
  column = 0;
  /** The dict raised by `raise`, kept as is so `try` hands the same dict back. */
  dict: Dict | null = null;
  /** The min call trace (innermost first), filled when the error leaves a frame. */
  trace: Sym[] = [];
  located = false;

  constructor(message: string, kind = 'MinRuntimeError') {
    super(message);
    this.kind = kind;
  }

  /**
   * Add a frame to the trace. An operator that runs a quotation (foreach,
   * map...) owns two frames, its own and the quotation's, both opened by the
   * same symbol: the trace shows that call once.
   */
  traced(sym: Sym): void {
    if (this.trace[this.trace.length - 1] !== sym) this.trace.push(sym);
  }

  /** Record where the error happened, once: the innermost location wins. */
  at(sym: Sym | null): this {
    if (!this.located && sym) {
      this.located = true;
      this.symbol = sym.name;
      this.filename = sym.src?.file ?? '';
      this.line = sym.line;
      this.column = sym.column;
    }
    return this;
  }
}

export const emptyStack = (): MinError => new MinError('Insufficient items on the stack', 'MinEmptyStackError');

export const undefinedSymbol = (name: string): MinError =>
  new MinError(`Undefined symbol: ${name}`, 'MinUndefinedError');

/** Evaluating a symbol or command that came out of JSON (see Sym.inert). */
export const inertData = (what: string): MinError =>
  new MinError(`${what} is data read from JSON, and data read from JSON does not run`, 'MinInvalidError');

export const invalid = (message: string): MinError => new MinError(message, 'MinInvalidError');

/** Turn anything thrown (a JS bug, a Node error) into a MinError, never a raw stack. */
export function toMinError(e: unknown): MinError {
  if (e instanceof MinError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new MinError('Maximum recursion depth exceeded', 'MinRecursionError');
  }
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return new MinError(e.message, code ? 'MinIOError' : 'MinInternalError');
  }
  return new MinError(String(e), 'MinInternalError');
}
