// Lines typed at the terminal, queued until the shell (or `gets` in a running
// entry) asks for one. readline may deliver several lines at once even while
// paused, so nothing may be lost between two reads.

/** Handed to a waiting reader when Ctrl-C throws away what was being typed. */
export const CLEARED: unique symbol = Symbol('cleared');

/** A line, CLEARED, or null at the end of input. */
export type Line = string | typeof CLEARED | null;

export class LineQueue {
  private readonly queue: string[] = [];
  private waiters: ((l: Line) => void)[] = [];
  private done = false;

  get ended(): boolean {
    return this.done;
  }

  push(line: string): void {
    const w = this.waiters.shift();
    if (w) w(line);
    else this.queue.push(line);
  }

  /** No more lines will come: readers get null. */
  end(): void {
    this.done = true;
    for (const w of this.waiters.splice(0)) w(null);
  }

  /** Drop lines typed ahead and wake readers with CLEARED. */
  clear(): void {
    this.queue.length = 0;
    for (const w of this.waiters.splice(0)) w(CLEARED);
  }

  next(): Promise<Line> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift()!);
    if (this.done) return Promise.resolve(null);
    return new Promise((res) => this.waiters.push(res));
  }
}
