// Turning Node's file-system errors into MinErrors whose message names the
// path and the operating system's reason ("no such file or directory").
import { MinError, hostLimit, type MinErrorKind } from '../core/errors.js';

/**
 * As native min names Nim's exceptions: reading or writing a file's content
 * fails with an IOError, anything else done to the file system (cd, mkdir,
 * rm, stat...) with an OSError.
 */
export type OsErrorKind = Extract<MinErrorKind, 'IOError' | 'OSError'>;

/**
 * The OS reason of a Node error without its code and syscall decoration.
 * Node refuses some arguments itself before any system call (a path with a
 * NUL character, a mode out of range), in its own words about JavaScript
 * types: those are said in a script's terms instead.
 */
export function osReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_')) return argumentReason(msg);
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(msg);
  return m ? m[1]! : msg;
}

/** What Node's message about a refused argument means for a script. */
function argumentReason(msg: string): string {
  if (/null bytes/.test(msg)) return 'a file name cannot hold a NUL character';
  const range = /^The value of "(\w+)" is out of range\. It must be (.*?)\. Received (.*)$/s.exec(msg);
  if (range) return `the ${range[1]} ${range[3]} is out of range (it must be ${range[2]})`;
  return 'the system refuses these arguments';
}

export function osError(what: string, e: unknown, kind: OsErrorKind = 'IOError'): MinError {
  if (e instanceof MinError) return e;
  const limit = hostLimit(e);
  if (limit) return limit;
  return new MinError(`${what}: ${osReason(e)}`, kind);
}

/** Run a synchronous file-system call, reporting failures as `what: reason`. */
export function attempt<T>(what: string, fn: () => T, kind: OsErrorKind = 'IOError'): T {
  try {
    return fn();
  } catch (e) {
    throw osError(what, e, kind);
  }
}

/** The same for a Promise-returning call. */
export async function attemptAsync<T>(what: string, fn: () => Promise<T>, kind: OsErrorKind = 'IOError'): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw osError(what, e, kind);
  }
}
