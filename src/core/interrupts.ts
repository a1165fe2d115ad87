// Ending a wait early: `cancel` and `within` make the wait a task is in (or
// its next one) raise an error. A machine suspends on a Promise it cannot
// look into, so a wait says how to withdraw itself with `noteWait` while the
// operator that starts it runs (socket waits through net's bounded, sleep,
// channels, wait, select); the machine takes those notes when it suspends,
// so they belong to the wait it is starting. Withdrawing rejects the wait's
// Promise with the error and takes nothing with it: data stays for the next
// reader, a value for the next getter. A wait that left no note (an HTTP
// request, a line of standard input) finishes first, and the error is
// raised by the next wait.
import { MinError } from './errors.js';
import { now } from './clock.js';

/**
 * Ends one wait now with error `e` (its Promise rejects with it) and says
 * true; says false when the wait is already over (a value was handed to it),
 * so that what it got is not lost: the error then waits for the next wait.
 */
export type Withdraw = (e: unknown) => boolean;

// Only code running between two suspensions of one machine adds notes (the
// loop is synchronous), so what is here when it suspends is that wait's.
let fresh: Withdraw[] = [];

/** A wait that can be withdrawn has started. */
export function noteWait(w: Withdraw): void {
  fresh.push(w);
}

/** The notes left since the last call (notes left outside any machine are dropped with them). */
export function takeWaits(): Withdraw[] {
  if (fresh.length === 0) return NONE;
  const taken = fresh;
  fresh = [];
  return taken;
}

const NONE: Withdraw[] = [];

/** The longest delay a Node timer takes. */
const MAX_TIMER = 2 ** 31 - 1;

export const CANCELLED_ERROR = 'CancelledError' as const;

export const cancelledError = (): MinError => new MinError('the task was cancelled', CANCELLED_ERROR);

/** A deadline set by `within`. */
export interface Deadline {
  /** When it expires (clock.ts milliseconds). */
  readonly at: number;
  readonly ms: number;
}

/**
 * What may end one machine's waits early: a cancel (sticky: every wait after
 * it raises CancelledError too, so a task that catches it still ends) and the
 * deadlines of the `within`s it is in, which all hold (the earliest decides).
 */
export class Interrupts {
  /** Set by `cancel`. */
  cancelled = false;
  /** Whether a CancelledError was raised in the task. */
  delivered = false;
  private readonly deadlines: Deadline[] = [];
  /** The withdrawable waits of the wait in progress. */
  private current: Withdraw[] = NONE;
  private timer: NodeJS.Timeout | null = null;
  /** Told when a wait (not a time slice) begins and ends: a task's `state` follows it. */
  onWait: (() => void) | null = null;
  /** Whether the machine is waiting for something other than its next time slice. */
  waiting = false;

  /** Cancel: the wait in progress raises CancelledError now, or the next one does. */
  cancel(): void {
    this.cancelled = true;
    if (this.current.length > 0 && withdrawAll(this.current, cancelledError())) this.delivered = true;
  }

  /**
   * The shell's Ctrl-C: the wait in progress, whatever operator started it
   * (connect, recv-message, accept, a channel...), is withdrawn with `e`, so
   * what it waited for goes to the next reader. Unlike `cancel`, nothing
   * stays set: the shell's next entry waits as usual.
   */
  interrupt(e: unknown): void {
    if (this.current.length > 0) withdrawAll(this.current, e);
  }

  /** `within`: a deadline `ms` from now, until `leave` lifts it. */
  enter(ms: number): Deadline {
    const d = { at: now() + Math.max(0, ms), ms };
    this.deadlines.push(d);
    return d;
  }

  leave(d: Deadline): void {
    const k = this.deadlines.lastIndexOf(d);
    if (k >= 0) this.deadlines.splice(k, 1);
  }

  /** Whether anything may interrupt a wait at all (a machine that is neither cancelled nor in a `within` waits as before). */
  get armed(): boolean {
    return this.cancelled || this.deadlines.length > 0;
  }

  /** The error a wait starting now raises at once, if any. */
  due(): MinError | null {
    if (this.deadlines.length === 0 && !this.cancelled) return null;
    if (this.cancelled) {
      this.delivered = true;
      return cancelledError();
    }
    const d = this.earliest();
    if (d && d.at <= now()) return expired(d);
    return null;
  }

  /** Whether a deadline has passed (a TimeoutError now is `within`'s, whatever else also timed out). */
  overdue(): boolean {
    if (this.deadlines.length === 0) return false;
    const d = this.earliest();
    return d !== undefined && d.at <= now();
  }

  private earliest(): Deadline | undefined {
    let first: Deadline | undefined;
    for (const d of this.deadlines) if (!first || d.at < first.at) first = d;
    return first;
  }

  /** A wait starts (`busy`: only for the next time slice); a cancel or an expired deadline withdraws `waits`. */
  begin(waits: Withdraw[], busy: boolean): void {
    this.current = waits;
    if (!busy) {
      this.waiting = true;
      this.onWait?.();
    }
    if (this.deadlines.length > 0 && waits.length > 0) this.arm(this.earliest()!);
  }

  /** A timer for deadline `d`; Node's timers hold at most about 24.8 days, so a later one is set again on the way. */
  private arm(d: Deadline): void {
    const left = d.at - now();
    this.timer = setTimeout(() => {
      if (now() < d.at) this.arm(d);
      else withdrawAll(this.current, expired(d));
    }, Math.min(Math.max(0, left), MAX_TIMER));
  }

  /** The wait is over. */
  finish(): void {
    this.current = NONE;
    if (this.waiting) {
      this.waiting = false;
      this.onWait?.();
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

const expired = (d: Deadline): MinError => new MinError(`timed out after ${d.ms} ms (within)`, 'TimeoutError');

/** End `waits` with `e`; false when one was already over (what it got must not be lost: the error waits for the next wait). */
export function withdrawAll(waits: Withdraw[], e: unknown): boolean {
  let pending = true;
  for (const w of waits) if (!w(e)) pending = false;
  return pending;
}

/** `p`, as a wait that can be withdrawn (the Promise of another task's end, of the first of several clients to end). */
export function withdrawable<T>(p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let over = false;
    p.then(
      (v) => {
        over = true;
        resolve(v);
      },
      (e) => {
        over = true;
        reject(e);
      },
    );
    noteWait((e) => {
      if (over) return false;
      over = true;
      reject(e);
      return true;
    });
  });
}
