// Every failure a script can cause is a MinError: it carries min's error dict
// fields so `try` can hand the script a `dict:error`, and the CLI can print
// `FILE(LINE,COLUMN) [symbol] KIND: message` (see uncaught.ts).
import type { Dict, Sym } from './values.js';

/**
 * The kinds of error min-ts raises itself; a script's `raise` may name any
 * other (see MinError.named).
 */
export type MinErrorKind =
  | 'MinRuntimeError'
  | 'MinInvalidError'
  | 'MinUndefinedError'
  | 'MinEmptyStackError'
  | 'MinOutOfBoundsError'
  | 'MinRecursionError'
  | 'MinReturnError'
  | 'MinSyntaxError'
  | 'MinLimitError'
  | 'MinInternalError'
  | 'NetError'
  | 'TimeoutError'
  | 'DnsError'
  | 'HttpError'
  | 'CancelledError'
  // Nim's exceptions, named as native min reports them: a file's content
  // (IOError), the file system (OSError), conversions (ValueError), a missing
  // dict key (KeyError), bad JSON (JsonParsingError), zip archives.
  | 'ValueError'
  | 'IOError'
  | 'OSError'
  | 'KeyError'
  | 'JsonParsingError'
  | 'ZippyError';

/**
 * Calls a trace counts instead of listing them: `count` more of the call
 * `sym` (a loop written as a tail call of itself), or with no symbol, older
 * tail calls no longer known (see TailCalls in frame.ts).
 */
export class CountedCalls {
  constructor(
    readonly sym: Sym | null,
    readonly count: number,
  ) {}
}

/** One line of a call trace: the symbol that made a call, or calls counted. */
export type TraceEntry = Sym | CountedCalls;

export class MinError extends Error {
  /** The `error` field: the kind of error, e.g. `MinRuntimeError`, `TimeoutError` (or whatever a script raised). */
  kind: string;
  symbol = '';
  filename = '';
  line = 0;
  column = 0;
  /** The dict raised by `raise`, kept as is so `try` hands the same dict back. */
  dict: Dict | null = null;
  /** A short machine-readable reason the error dict shows as `code` (a DnsError's `no-such-name`...); '' for none. */
  code = '';
  /** The min call trace (innermost first), filled when the error leaves a frame. */
  trace: TraceEntry[] = [];
  located = false;

  constructor(message: string, kind: MinErrorKind = 'MinRuntimeError') {
    super(message);
    this.kind = kind;
  }

  /** An error of a kind a script named (`raise`), or carried over from another error. */
  static named(message: string, kind: string): MinError {
    const e = new MinError(message);
    e.kind = kind;
    return e;
  }

  /** Add a call to the trace (the machine adds each call once, see Machine.unwind). */
  traced(entry: TraceEntry): void {
    this.trace.push(entry);
  }

  /**
   * Record where the error happened, once: the innermost location wins. The
   * column is that of the symbol's last character, as native min reports it.
   */
  at(sym: Sym | null): this {
    if (!this.located && sym) {
      this.located = true;
      this.symbol = sym.name;
      this.filename = sym.src?.file ?? '';
      this.line = sym.line;
      this.column = endColumn(sym);
    }
    return this;
  }
}

/** The column of a symbol's last character (native min reports that one; the reader keeps the first). */
export function endColumn(sym: Sym): number {
  return sym.column > 0 ? sym.column + Math.max(sym.name.length, 1) - 1 : 0;
}

/**
 * Operands of the wrong type, min's way: the error says what the operator
 * expects and what it got, both in stack order (deepest first) and followed
 * by its name. Operands are checked from the top down, so what it got is the
 * wrong operand's type, then the expected types of those above it, which
 * passed. A type class rejects a value by catching this error.
 */
export class TypeMismatch extends MinError {
  constructor(expected: string[], bad: number, badType: string, name: string) {
    const tail = name ? ' ' + name : '';
    const got = [badType, ...expected.slice(bad + 1)];
    super(
      `Incorrect values found on the stack:\n- expected: ${expected.join(' ')}${tail}\n- got:      ${got.join(' ')}${tail}`,
      'MinInvalidError',
    );
  }
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A string as min writes it, in double quotes with its escapes. It lives
 * here, and the printer takes it from here, because the error messages of
 * every layer quote strings the way min writes them.
 */
export function quoteString(s: string): string {
  return '"' + s.replace(/["\\\n\r\t]/g, (c) => ESCAPES[c]!) + '"';
}

export const emptyStack = (): MinError => new MinError('Insufficient items on the stack', 'MinEmptyStackError');

export const undefinedSymbol = (name: string): MinError =>
  new MinError(`Undefined symbol '${name}'`, 'MinUndefinedError');

/** Evaluating a symbol or command that came out of JSON (see Sym.inert). */
export const inertData = (what: string): MinError =>
  new MinError(`${what} is data read from JSON, and data read from JSON does not run`, 'MinInvalidError');

export const invalid = (message: string): MinError => new MinError(message, 'MinInvalidError');

// ---- limits ---------------------------------------------------------------
// The limits a script can run into (see limits.ts, which checks them).

/** Items one quotation may hold. */
export const MAX_ITEMS = 10_000_000;
/** Characters one string may hold: V8's own maximum (2^29 - 24 on 64-bit). */
export const MAX_STRING = 0x1fffffe8;
/** Entries one dict may hold: the size of a JS Map. */
export const MAX_DICT = 2 ** 24;
export const LIMIT_ERROR = 'MinLimitError' as const;

/** A MinLimitError: a limit a script ran into, named in words. */
export const limitError = (message: string): MinError => new MinError(message, LIMIT_ERROR);

export const itemsLimit = (what: string): MinError => limitError(`quotation limit exceeded: ${what} would make more than ${MAX_ITEMS} items`);
export const stringLimit = (what: string): MinError => limitError(`string limit exceeded: ${what} would make more than ${MAX_STRING} characters`);
export const dictLimit = (): MinError => limitError(`dictionary limit exceeded: more than ${MAX_DICT} entries`);

/**
 * What V8 and Node throw when a value outgrows what they can hold, turned
 * into errors that name the limit in words. A script meets these only where
 * no check of ours (limits.ts) caught the growth first.
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
    return new MinError(e.message, code ? 'OSError' : 'MinInternalError');
  }
  return new MinError(String(e), 'MinInternalError');
}
