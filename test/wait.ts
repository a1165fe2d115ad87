// Waiting in tests: for a condition, never for a time. On a loaded machine (see
// `npm run test:load`) what takes a millisecond on an idle one can take a second, so a test
// that sleeps and then looks is a test that fails now and then. Instead, poll for the thing
// itself with a generous upper bound; when the bound is reached, the error says what was
// awaited and what was there instead.

/** The default upper bound of a wait. Below vitest's testTimeout, so a wait's own message wins. */
export const WAIT_TIMEOUT_MS = 30_000;

export interface WaitOptions {
  /** Give up after this many milliseconds (default WAIT_TIMEOUT_MS). */
  timeout?: number;
  /** What is awaited, for the error message. */
  what?: string;
  /** The state so far (a program's output, say), for the error message. */
  state?: () => string;
  /** Gives up at once when this returns a reason: the condition can no longer come true (the program exited, say). */
  hopeless?: () => string | false | null | undefined;
}

type Falsy = false | null | undefined | 0 | '';

/**
 * Polls `condition` until it returns something truthy, and resolves with that. Throws after
 * `timeout` ms, or as soon as `hopeless` gives a reason.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, o: WaitOptions = {}): Promise<Exclude<T, Falsy>> {
  const timeout = o.timeout ?? WAIT_TIMEOUT_MS;
  const start = Date.now();
  for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
    const got = await condition();
    if (got) return got as Exclude<T, Falsy>;
    const reason = o.hopeless?.() || (Date.now() - start > timeout ? `timed out after ${timeout} ms` : null);
    if (reason) {
      const state = o.state ? `\n--- so far:\n${o.state()}` : '';
      throw new Error(`${reason} waiting for ${o.what ?? 'a condition'}${state}`);
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** Waits until `text()` matches `pattern` (a string is looked for as it is); resolves with the match. */
export function waitForText(text: () => string, pattern: string | RegExp, o: WaitOptions = {}): Promise<RegExpMatchArray> {
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  return waitFor(() => text().match(re), { what: String(re), state: text, ...o });
}
