// The generator behind num's `random`. It starts from a fixed seed, as Nim's
// does, so a program that never calls `randomize` sees the same numbers on
// every run.
const FIXED_SEED = 0x2545f491;

let state = FIXED_SEED;

/** mulberry32: 32 random bits per call. */
function next32(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** A uniform float in [0, 1) with 53 random bits. */
export function random01(): number {
  const hi = next32() >>> 5;
  const lo = next32() >>> 6;
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** A uniform int in [0, n). */
export const randomBelow = (n: number): number => Math.floor(random01() * n);

export function reseed(seed: number): void {
  state = seed | 0;
}

/** Seed from the clock (what `randomize` does). */
export function reseedFromClock(): void {
  reseed((Date.now() ^ Math.floor(performance.now() * 1000)) >>> 0);
}
