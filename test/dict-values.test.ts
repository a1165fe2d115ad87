// Dicts are values (src/core/dict-value.ts): many dicts share one table as
// versions, and whatever is done to one of them, each keeps its own contents.
// Random programs of copies, changes, fill-ins, in-place tables and reads,
// over a handful of dicts at once, are held to a model where every dict
// owns a plain Map.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeDict } from '../src/core/dict.js';
import { valueEntry } from '../src/core/scope.js';
import { Dict } from '../src/core/values.js';
import { runCaptured } from '../src/run.js';

type Step =
  | { op: 'copy'; from: number }
  | { op: 'set'; from: number; key: string; value: number }
  | { op: 'delete'; from: number; key: string }
  | { op: 'fill'; at: number; key: string; value: number }
  | { op: 'own'; at: number; key: string; value: number }
  | { op: 'read'; at: number };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const step = (n: fc.Arbitrary<number>): fc.Arbitrary<Step> =>
  fc.oneof(
    fc.record({ op: fc.constant('copy' as const), from: n }),
    fc.record({ op: fc.constant('set' as const), from: n, key, value: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ op: fc.constant('delete' as const), from: n, key }),
    fc.record({ op: fc.constant('fill' as const), at: n, key, value: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ op: fc.constant('own' as const), at: n, key, value: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ op: fc.constant('read' as const), at: n }),
  );

const contents = (d: Dict): Record<string, unknown> => Object.fromEntries(d.scope.names().map((k) => [k, d.scope.get(k)!.val]));
const modelOf = (m: Map<string, number>): Record<string, unknown> => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('dict versions', () => {
  it('keep every dict its own contents, whatever is done to the others', () => {
    fc.assert(
      fc.property(fc.array(step(fc.nat()), { maxLength: 200 }), (steps) => {
        const dicts: Dict[] = [makeDict([['a', 1]])];
        const models: Map<string, number>[] = [new Map([['a', 1]])];
        for (const s of steps) {
          if (s.op === 'read') {
            const at = s.at % dicts.length;
            expect(contents(dicts[at]!)).toEqual(modelOf(models[at]!));
            continue;
          }
          if (s.op === 'fill' || s.op === 'own') {
            const at = s.at % dicts.length;
            if (s.op === 'fill') dicts[at]!.fill(s.key, valueEntry(s.value));
            else dicts[at]!.ownTable().set(s.key, valueEntry(s.value));
            models[at]!.set(s.key, s.value);
            continue;
          }
          const from = s.from % dicts.length;
          const model = new Map(models[from]!);
          if (s.op === 'copy') dicts.push(dicts[from]!.copy());
          else if (s.op === 'set') {
            dicts.push(dicts[from]!.with(s.key, valueEntry(s.value)));
            model.set(s.key, s.value);
          } else {
            dicts.push(dicts[from]!.with(s.key, undefined));
            model.delete(s.key);
          }
          models.push(model);
        }
        dicts.forEach((d, k) => expect(contents(d)).toEqual(modelOf(models[k]!)));
      }),
      { numRuns: 300 },
    );
  });

  it('let a dict far from the table get one of its own', () => {
    const start = makeDict([['a', 0]]);
    let cur = start;
    for (let k = 0; k < 1000; k++) cur = cur.with('a', valueEntry(k + 1));
    expect(contents(start)).toEqual({ a: 0 });
    expect(contents(cur)).toEqual({ a: 1000 });
    expect(contents(start)).toEqual({ a: 0 });
  });

  it('take the update idiom: 100k rebinding updates of a growing dict', async () => {
    const r = await runCaptured('{} :d 0 :i (d i i string dset @d i 1 + @i) 100000 times d dkeys size puts!');
    expect(r.out).toBe('100000\n');
  });
});
