// Every failure a script can cause is a MinError: it carries min's error dict
// fields so `try` can hand the script a `dict:error`, and the CLI can print
// `FILE(LINE,COLUMN) [symbol]: message`.
import type { Dict, Sym } from './values.js';
import { LIMIT_ERROR, MAX_DICT, dictLimit, itemsLimit, stringLimit } from './limits.js';

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

/**
 * What V8 and Node throw when a value outgrows what they can hold, turned
 * into errors that name the limit in words. A script meets these only where
 * no check of ours (limits.ts) caught the growth first. The table holds
 * functions: limits.ts imports this module, so its values are read late.
 */
const HOST_LIMITS: [RegExp, () => MinError][] = [
  [/call stack/i, () => new MinError('recursion limit exceeded: nested too deeply for the host stack', 'MinRecursionError')],
  [/^Invalid (typed )?array length|^Array buffer allocation failed/, () => itemsLimit('the result')],
  [/^Invalid string length|^Cannot create a string longer/, () => stringLimit('the result')],
  [/^Map maximum size/, () => dictLimit()],
  [/^Set maximum size/, () => new MinError(`set limit exceeded: more than ${MAX_DICT} distinct items`, LIMIT_ERROR)],
  [/^Maximum BigInt size/, () => new MinError('number limit exceeded: the integer has too many digits', LIMIT_ERROR)],
];

/** The host limit error e reports, in words, or null when it is not one. */
export function hostLimit(e: unknown): MinError | null {
  if (!(e instanceof Error)) return null;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ERR_STRING_TOO_LONG') return stringLimit('the result');
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new MinError('file limit exceeded: the file is too large to read', LIMIT_ERROR);
  if (!(e instanceof RangeError)) return null;
  for (const [pattern, make] of HOST_LIMITS) if (pattern.test(e.message)) return make();
  return null;
}

/** Turn anything thrown (a JS bug, a Node error) into a MinError, never a raw stack. */
export function toMinError(e: unknown): MinError {
  if (e instanceof MinError) return e;
  const limit = hostLimit(e);
  if (limit) return limit;
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return new MinError(e.message, code ? 'MinIOError' : 'MinInternalError');
  }
  return new MinError(String(e), 'MinInternalError');
}
