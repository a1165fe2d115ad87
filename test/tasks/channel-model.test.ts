// Random schedules of put, get, close and withdrawn waits on a Channel,
// against a model queue written out step by step: every outcome (a value, a
// pending wait, an error) must match the model's, and the values taken must
// be the values put, once each and in order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Channel } from '../../src/core/channel.js';
import { takeWaits, type Withdraw } from '../../src/core/interrupts.js';
import type { Value } from '../../src/core/values.js';

type Step = { op: 'put'; value: number } | { op: 'get' } | { op: 'close' } | { op: 'withdraw'; pick: number };

/** What became of one put or get. */
type Outcome = { state: 'pending' } | { state: 'done'; value: Value } | { state: 'error' } | { state: 'withdrawn' };

/** The model: a queue of buffered values, then the waiting putters and getters, in arrival order. */
class Model {
  buffer: number[] = [];
  putters: { id: number; value: number }[] = [];
  getters: number[] = [];
  closed = false;
  outcomes: Outcome[] = [];
  constructor(readonly capacity: number) {}

  put(id: number, value: number): void {
    if (this.closed) return void (this.outcomes[id] = { state: 'error' });
    const g = this.getters.shift();
    if (g !== undefined) {
      this.outcomes[g] = { state: 'done', value };
      this.outcomes[id] = { state: 'done', value: null };
    } else if (this.buffer.length < this.capacity) {
      this.buffer.push(value);
      this.outcomes[id] = { state: 'done', value: null };
    } else {
      this.putters.push({ id, value });
      this.outcomes[id] = { state: 'pending' };
    }
  }

  get(id: number): void {
    const next = this.buffer.length > 0 ? this.buffer.shift() : undefined;
    if (next !== undefined) {
      this.outcomes[id] = { state: 'done', value: next };
      const p = this.putters.shift();
      if (p) {
        this.buffer.push(p.value);
        this.outcomes[p.id] = { state: 'done', value: null };
      }
      return;
    }
    const p = this.putters.shift();
    if (p) {
      this.outcomes[p.id] = { state: 'done', value: null };
      this.outcomes[id] = { state: 'done', value: p.value };
    } else if (this.closed) this.outcomes[id] = { state: 'done', value: null };
    else {
      this.getters.push(id);
      this.outcomes[id] = { state: 'pending' };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const g of this.getters.splice(0)) this.outcomes[g] = { state: 'done', value: null };
    for (const p of this.putters.splice(0)) this.outcomes[p.id] = { state: 'error' };
  }

  withdraw(id: number): void {
    this.getters = this.getters.filter((g) => g !== id);
    this.putters = this.putters.filter((p) => p.id !== id);
    this.outcomes[id] = { state: 'withdrawn' };
  }
}

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 999 }).map((value) => ({ op: 'put' as const, value })) },
  { weight: 4, arbitrary: fc.constant({ op: 'get' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'close' as const }) },
  { weight: 1, arbitrary: fc.nat(20).map((pick) => ({ op: 'withdraw' as const, pick })) },
);

const settle = () => new Promise<void>((r) => setImmediate(r));

async function runSchedule(capacity: number, steps: Step[]): Promise<void> {
  const ch = new Channel(capacity);
  const model = new Model(capacity);
  const outcomes: Outcome[] = [];
  const withdraws = new Map<number, Withdraw>();
  const watch = (id: number, r: Promise<Value | void> | Value | void) => {
    if (!(r instanceof Promise)) return void (outcomes[id] = { state: 'done', value: r ?? null });
    outcomes[id] = { state: 'pending' };
    const [w] = takeWaits();
    if (w) withdraws.set(id, w);
    r.then(
      (v) => (outcomes[id] = { state: 'done', value: v ?? null }),
      (e) => (outcomes[id] = e === 'withdrawn' ? { state: 'withdrawn' } : { state: 'error' }),
    );
  };
  for (const [id, s] of steps.entries()) {
    if (s.op === 'put') {
      model.put(id, s.value);
      try {
        watch(id, ch.put(s.value));
      } catch {
        outcomes[id] = { state: 'error' };
      }
    } else if (s.op === 'get') {
      model.get(id);
      watch(id, ch.get());
    } else if (s.op === 'close') {
      model.close();
      ch.close();
    } else {
      const pending = [...withdraws.keys()].filter((k) => outcomes[k]!.state === 'pending' && model.outcomes[k]!.state === 'pending');
      const target = pending[s.pick % Math.max(1, pending.length)];
      if (target === undefined) continue;
      model.withdraw(target);
      expect(withdraws.get(target)!('withdrawn')).toBe(true);
    }
    await settle();
    for (let k = 0; k <= id; k++) if (model.outcomes[k] || outcomes[k]) expect(outcomes[k], `step ${k} after step ${id}`).toEqual(model.outcomes[k]);
    expect(ch.size).toBeLessThanOrEqual(capacity);
  }
  // Values taken are values put, each once and in the order they were put.
  const taken = steps.flatMap((s, k) => (s.op === 'get' && outcomes[k]!.state === 'done' && (outcomes[k] as { value: Value }).value !== null ? [(outcomes[k] as { value: number }).value] : []));
  const accepted = steps.flatMap((s, k) => (s.op === 'put' && outcomes[k]!.state === 'done' ? [s.value] : []));
  expect(taken).toEqual(accepted.slice(0, taken.length));
}

describe('channels against a model queue', () => {
  it('random schedules of put, get, close and withdrawn waits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 2, 5), fc.array(step, { maxLength: 40 }), (capacity, steps) => runSchedule(capacity, steps)),
      { numRuns: 150 },
    );
  });
});
