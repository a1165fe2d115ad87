// The generator behind num's `random`: Nim's std/random, which native min
// uses, so a program that never calls `randomize` sees exactly native min's
// numbers (`10 random` three times gives 1 10 5). Nim's generator is
// xoroshiro128+ with a fixed default state; its `rand(max)` rejects draws
// that would bias `x mod (max + 1)`. Each program has its own (see num.ts).
const MASK = (1n << 64n) - 1n;

/**
 * Nim's default state. Nim spells the second word 0xFED1DD3004688D67CA, one
 * byte too long for a uint64; what the compiler keeps is its low 64 bits.
 */
const DEFAULT_STATE: readonly [bigint, bigint] = [0x69b4c98cb8530805n, 0xd1dd3004688d67can];

const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK;

export class RandomGenerator {
  private s0 = DEFAULT_STATE[0];
  private s1 = DEFAULT_STATE[1];

  /** One xoroshiro128+ step: 64 random bits. */
  private next(): bigint {
    const a = this.s0;
    let b = this.s1;
    const result = (a + b) & MASK;
    b ^= a;
    this.s0 = rotl(a, 55n) ^ b ^ ((b << 14n) & MASK);
    this.s1 = rotl(b, 36n);
    return result;
  }

  /** Nim's `rand(max)`: a uniform int from 0 to max inclusive (max >= 0). */
  upTo(max: number): number {
    if (max === 0) return 0;
    const m = BigInt(max);
    const limit = MASK - (MASK % m);
    for (;;) {
      const x = this.next();
      if (x <= limit) return Number(x % (m + 1n));
    }
  }

  /** Nim's `initRand(seed)`: the state from a nonzero 64-bit seed, one step taken. */
  reseed(seed: bigint): void {
    const word = BigInt.asUintN(64, seed);
    this.s0 = word >> 16n;
    this.s1 = word & 0xfffffffn;
    this.next();
  }

  /** What `randomize` does: seed from the clock, as Nim's `randomize()`. */
  reseedFromClock(): void {
    const nanos = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    this.reseed(nanos === 0n ? 1n : nanos);
  }
}
