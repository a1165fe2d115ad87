// Waiting with an optional time limit. A blocking net operation is a Promise
// the interpreter suspends on; `bounded` adds the socket's `timeout` to it. On
// expiry the operation's own cancel only withdraws the wait (a recv leaves its
// data in the buffer, an accept its place in the queue), so the socket stays
// usable and a later call still gets what arrives.
import { timeoutError } from './errors.js';

/** Milliseconds to wait, or null to wait as long as it takes. */
export type Ms = number | null;

export type Settle<T> = { resolve: (v: T) => void; reject: (e: unknown) => void };

/** Ends a wait early with error `e`, withdrawing it as an expired time limit does; false when it was over already. */
export type EndWait = (e: unknown) => boolean;

// Told of every wait as it starts (ops/task.ts passes them to the task
// scheduler, so `cancel` and `within` can end them without losing data).
let waitStarted: ((end: EndWait) => void) | null = null;

/** Have `hook` told how to end each wait that starts from now on. */
export function watchWaits(hook: ((end: EndWait) => void) | null): void {
  waitStarted = hook;
}

/** Whether the wait is still on (core/idle.ts looks; see Machine.waiting). */
interface Pending {
  pending?: () => boolean;
}

/**
 * Run `start`, which settles the operation through the given callbacks and
 * returns how to cancel it. `doing` completes "timed out after N ms ...".
 * The scheduler is told how to end the wait early (watchWaits): `cancel`,
 * `within` and the shell's Ctrl-C withdraw it that way.
 */
export function bounded<T>(ms: Ms, doing: string, start: (s: Settle<T>) => (() => void) | void): Promise<T> {
  let settled = false;
  const p = new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      done = settled = true;
      if (timer) clearTimeout(timer);
    };
    const s: Settle<T> = {
      resolve: (v) => {
        if (done) return;
        finish();
        resolve(v);
      },
      reject: (e) => {
        if (done) return;
        finish();
        reject(e);
      },
    };
    let cancel: (() => void) | void;
    // Ends the wait with `e`, withdrawn: the time limit, the shell's Ctrl-C, cancel and within.
    const end = (e: unknown): boolean => {
      if (done) return false;
      finish();
      try {
        cancel?.();
      } finally {
        reject(e);
      }
      return true;
    };
    try {
      cancel = start(s);
    } catch (e) {
      s.reject(e);
      return;
    }
    if (done) return;
    waitStarted?.(end);
    if (ms !== null) timer = setTimeout(() => void end(timeoutError(ms, doing)), ms);
  });
  (p as Pending).pending = () => !settled;
  return p;
}
