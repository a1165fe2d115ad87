// Scopes keep their runtime's symbol caches right by themselves (scope.ts):
// here, the names an operator binds on every call (Scope.bindNew).
import { describe, expect, it } from 'vitest';
import { BoundNames, EntryKind, Scope, SymbolCaches, valueEntry } from '../src/core/scope.js';
import { runCaptured } from '../src/run.js';

function globalScope(caches: SymbolCaches): Scope {
  const g = new Scope(null);
  g.caches = caches;
  g.isRoot = true;
  return g;
}

const quoted = (v: number | null) => valueEntry(v, EntryKind.Quoted);

describe('Scope.bound', () => {
  it('makes a child scope holding the bindings', () => {
    const g = globalScope(new SymbolCaches());
    const s = Scope.bound(g, new BoundNames(['a', 'b']), new Map([['a', quoted(1)], ['b', quoted(2)]]));
    expect(s.parent).toBe(g);
    expect(s.names()).toEqual(['a', 'b']);
    expect(s.lookup('b')!.val).toBe(2);
  });

  it("notes the names in each runtime's caches, without moving an epoch", () => {
    const names = new BoundNames(['n', 'r']);
    const symbols = () => new Map([['n', quoted(1)], ['r', quoted(null)]]);
    for (const caches of [new SymbolCaches(), new SymbolCaches()]) {
      const g = globalScope(caches);
      const { global, local } = caches;
      Scope.bound(g, names, symbols());
      expect([...caches.localNames].sort()).toEqual(['n', 'r']);
      // Each name was new to the runtime: lookups straight from the global table are invalid now.
      expect(caches.global).toBeGreaterThan(global);
      expect(caches.local).toBe(local);
      const after = caches.global;
      // Noted already: another call changes nothing.
      Scope.bound(g, names, symbols());
      expect([caches.global, caches.local]).toEqual([after, local]);
    }
  });
});

describe('operator inputs shadowing built-ins', () => {
  // `size` is a built-in: resolved straight from the global table unless the
  // runtime knows some scope defines it, so each runtime must note it.
  const program = '(symbol f (int :size ==> int :r) (size 1 + @r)) :: 4 f puts (size) 5 f puts pop';
  it('resolve to the inputs in every runtime', async () => {
    for (let k = 0; k < 2; k++) {
      const r = await runCaptured(program);
      expect(r).toEqual({ out: '5\n6\n', err: '', code: 0 });
    }
  });
});
