// Waiting with an optional time limit. A blocking net operation is a Promise
// the interpreter suspends on; `bounded` adds the socket's `timeout` to it. On
// expiry the operation's `cancel` only withdraws the wait (a recv leaves its
// data in the buffer, an accept its place in the queue), so the socket stays
// usable and a later call still gets what arrives.
import { timeoutError } from './errors.js';

/** Milliseconds to wait, or null to wait as long as it takes. */
export type Ms = number | null;

export type Settle<T> = { resolve: (v: T) => void; reject: (e: unknown) => void };

/**
 * Run `start`, which settles the operation through the given callbacks and
 * returns how to cancel it. `doing` completes "timed out after N ms ...".
 */
export function bounded<T>(ms: Ms, doing: string, start: (s: Settle<T>) => (() => void) | void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      done = true;
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
    try {
      cancel = start(s);
    } catch (e) {
      s.reject(e);
      return;
    }
    if (done || ms === null) return;
    timer = setTimeout(() => {
      if (done) return;
      done = true;
      try {
        cancel?.();
      } finally {
        reject(timeoutError(ms, doing));
      }
    }, ms);
  });
}
