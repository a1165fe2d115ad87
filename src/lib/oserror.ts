// Turning Node's file-system errors into MinErrors whose message names the
// path and the operating system's reason ("no such file or directory").
import { MinError, hostLimit, type MinErrorKind } from '../core/errors.js';

/**
 * As native min names Nim's exceptions: reading or writing a file's content
 * fails with an IOError, anything else done to the file system (cd, mkdir,
 * rm, stat...) with an OSError.
 */
export type OsErrorKind = Extract<MinErrorKind, 'IOError' | 'OSError'>;

/** The OS reason of a Node error without its code and syscall decoration. */
export function osReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(msg);
  return m ? m[1]! : msg;
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
