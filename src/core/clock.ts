// The machine's monotonic clock in milliseconds, for time slices and
// deadlines. The global `performance` is a getter that loads Node's
// perf_hooks (about ten internal modules, near 1 ms of start-up) on first
// use, and the machine reads the clock as soon as it runs anything, so the
// clock comes from process.hrtime, which loads nothing and costs the same.
export function now(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
