// The generator behind num's `random`. It starts from a fixed seed, as Nim's
// does, so a program that never calls `randomize` sees the same numbers on
// every run. Each program has its own (see num.ts).
const FIXED_SEED = 0x2545f491;

/** mulberry32: 32 random bits per step. */
export class RandomGenerator {
  private state = FIXED_SEED;

  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  next01(): number {
    const hi = this.next32() >>> 5;
    const lo = this.next32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform int in [0, n). */
  below(n: number): number {
    return Math.floor(this.next01() * n);
  }

  reseed(seed: number): void {
    this.state = seed | 0;
  }

  /** Seed from the clock (what `randomize` does). */
  reseedFromClock(): void {
    this.reseed((Date.now() ^ Math.floor(performance.now() * 1000)) >>> 0);
  }
}
