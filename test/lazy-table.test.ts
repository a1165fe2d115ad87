// The global scope and the module dicts make their standard entries on first
// use (core/lazy-table.ts). A program must not be able to tell: every read,
// listing, deletion and redefinition answers as the full table would.
import { describe, expect, it } from 'vitest';
import { LazyTable, type EntrySource } from '../src/core/lazy-table.js';
import { valueEntry, type Entry } from '../src/core/scope.js';
import { MODULES, createRuntime } from '../src/ops/modules.js';
import { runCaptured } from '../src/run.js';

/** A source of entries a, b, c (each a value entry holding its name), counting what it made. */
function abc(): EntrySource & { made: string[] } {
  const made: string[] = [];
  return {
    made,
    entry: (name) => {
      if (!['a', 'b', 'c'].includes(name)) return undefined;
      made.push(name);
      return valueEntry(name);
    },
    names: () => ['a', 'b', 'c'],
  };
}

const valuesOf = (t: Map<string, Entry>): [string, unknown][] => [...t].map(([k, e]) => [k, e.val]);

describe('LazyTable', () => {
  it('makes only the entries asked for, once each', () => {
    const src = abc();
    const t = new LazyTable(src);
    expect(t.get('b')?.val).toBe('b');
    expect(t.get('b')).toBe(t.get('b'));
    expect(t.has('c')).toBe(true);
    expect(t.has('zz')).toBe(false);
    expect(t.get('zz')).toBeUndefined();
    expect(src.made).toEqual(['b', 'c']);
  });

  it('lists, counts and iterates in the full order, the program own names after', () => {
    const t = new LazyTable(abc());
    t.get('c');
    t.set('mine', valueEntry(1));
    expect(t.size).toBe(4);
    expect([...t.keys()]).toEqual(['a', 'b', 'c', 'mine']);
    const seen: string[] = [];
    t.forEach((_e, k) => seen.push(k));
    expect(seen).toEqual(['a', 'b', 'c', 'mine']);
  });

  it('keeps a redefined standard name in its place with its new value', () => {
    const t = new LazyTable(abc());
    t.set('b', valueEntry(42));
    expect(t.get('b')?.val).toBe(42);
    expect(valuesOf(t)).toEqual([['a', 'a'], ['b', 42], ['c', 'c']]);
  });

  it('never brings back a name deleted before it was made', () => {
    const src = abc();
    const t = new LazyTable(src);
    expect(t.delete('a')).toBe(true);
    expect(t.delete('zz')).toBe(false);
    expect(t.get('a')).toBeUndefined();
    expect(t.has('a')).toBe(false);
    expect([...t.keys()]).toEqual(['b', 'c']);
    // Defined again, it is the program's own, listed last (as a Map lists a deleted key set again).
    t.set('a', valueEntry(7));
    expect(valuesOf(t)).toEqual([['b', 'b'], ['c', 'c'], ['a', 7]]);
  });
});

describe('the runtime tables', () => {
  it('hold exactly what filling them at start-up would, in the same order', () => {
    // The eager construction, written out: each module's operators then its
    // aliases, a later module's operator replacing an earlier one's in place,
    // then the module dicts, then the prompt.
    const expected = new Map<string, string>();
    for (const m of MODULES) {
      for (const d of m.ops) if (!d.alias) expected.set(d.name, 'op');
      for (const d of m.ops) if (d.alias) expected.set(d.name, 'op');
    }
    const rt = createRuntime();
    for (const name of rt.modules.keys()) if (!expected.has(name)) expected.set(name, 'module');
    expected.set('prompt', 'prompt');
    expect([...rt.global.symbols!.keys()]).toEqual([...expected.keys()]);
    for (const [name, e] of rt.global.symbols!) {
      const kind = expected.get(name);
      if (kind === 'op') expect(e.op, name).not.toBeNull();
      if (kind === 'module') expect([e.val === rt.modules.get(name), e.sealed], name).toEqual([true, true]);
    }
    for (const m of MODULES) {
      if (m.name === 'global') continue;
      const names = [...m.ops.filter((d) => !d.alias), ...m.ops.filter((d) => d.alias)].map((d) => d.name);
      expect([...rt.modules.get(m.name)!.scope.symbols!.keys()], m.name).toEqual(names);
    }
  });

  it('give an operator the same implementation through its name and its module', async () => {
    const rt = createRuntime();
    const g = rt.global.symbols!.get('recv-line')!;
    const m = rt.modules.get('net')!.scope.get('recv-line')!;
    expect(g.op).toBe(m.op);
    expect(g).not.toBe(m);
  });

  it('answer min programs as before: lookups, listings, redefinitions', async () => {
    const r = await runCaptured(
      'global dkeys size puts! net dkeys size puts! (dup dup) ^twice 3 twice + + puts! ' +
        '"dup" global swap dhas? puts! "nope" global swap dhas? puts! {} net.socket type puts!',
    );
    expect(r.err).toBe('');
    const [all, net, ...rest] = r.out.trim().split('\n');
    expect(Number(all)).toBeGreaterThan(400);
    expect(Number(net)).toBe(MODULES.find((m) => m.name === 'net')!.ops.length);
    expect(rest).toEqual(['9', 'true', 'false', 'dict:socket']);
  });
});
