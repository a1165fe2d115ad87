import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/ops/modules.js';
import { Session, fallbackPrompt } from '../../src/repl/session.js';
import { formatResult } from '../../src/repl/result.js';
import { read } from '../../src/core/reader.js';
import { waitFor } from '../wait.js';

function session(): { s: Session; out: () => string } {
  let out = '';
  const w = { write: (t: string) => void (out += t) };
  const s = new Session(createRuntime({ out: w, err: w }));
  return { s, out: () => out };
}

describe('evalEntry', () => {
  it('prints the top of the stack, which persists between entries', async () => {
    const { s } = session();
    expect(await s.evalEntry('2 2 +')).toEqual({ kind: 'value', output: ' 4' });
    expect(await s.evalEntry('dup *')).toEqual({ kind: 'value', output: ' 16' });
    expect(s.stack).toEqual([16]);
  });

  it('keeps definitions between entries', async () => {
    const { s } = session();
    await s.evalEntry('(dup *) ^square');
    expect((await s.evalEntry('7 square')).output).toBe(' 49');
  });

  it('prints nothing when the stack is empty', async () => {
    const { s } = session();
    expect(await s.evalEntry('1 pop')).toEqual({ kind: 'empty', output: '' });
  });

  it('lets output of the entry go to the runtime', async () => {
    const { s, out } = session();
    expect((await s.evalEntry('"hi" puts!')).kind).toBe('empty');
    expect(out()).toBe('hi\n');
  });

  it('reports an error and keeps the stack as it was before the failing item', async () => {
    const { s } = session();
    const r = await s.evalEntry('1 "a" + 5');
    expect(r.kind).toBe('error');
    expect(r.output).toMatch(/^<repl>\(1,7\) \[\+\] MinInvalidError: /);
    expect(s.stack).toEqual([1, 'a']);
    expect((await s.evalEntry('pop')).output).toBe(' 1');
  });

  it('reports syntax errors', async () => {
    const { s } = session();
    const r = await s.evalEntry('1 )');
    expect(r.kind).toBe('error');
    expect(r.error?.kind).toBe('MinSyntaxError');
  });

  it('ends the session with exit', async () => {
    const { s } = session();
    expect(await s.evalEntry('0 exit')).toEqual({ kind: 'exit', output: '', exit: 0 });
    expect((await s.evalEntry('4 exit')).exit).toBe(4);
  });

  it('waits for operators that wait', async () => {
    const { s } = session();
    expect((await s.evalEntry('1 5 sleep 2 +')).output).toBe(' 3');
  });

  it('abandons an interrupted entry without losing the session', async () => {
    const { s } = session();
    await s.evalEntry('"before"');
    const running = s.evalEntry('1 2 50 sleep 3');
    await waitFor(() => s.busy, { what: 'the entry to wait in sleep' });
    expect(s.interrupt()).toBe(true);
    expect(await running).toEqual({ kind: 'interrupted', output: 'Interrupted' });
    expect(s.busy).toBe(false);
    // As after an error: the stack is back to what it was before the item (sleep).
    expect(s.stack).toEqual(['before', 1, 2, 50]);
    // The abandoned sleep finishing later changes nothing. (Its timer, set first and shorter,
    // fires before this one on however busy a machine.)
    await new Promise((r) => setTimeout(r, 100));
    expect(s.stack).toEqual(['before', 1, 2, 50]);
    expect((await s.evalEntry('pop +')).output).toBe(' 3');
    expect(s.interrupt()).toBe(false);
  });

  it('interrupts a loop that never waits, when the runtime gives time slices', async () => {
    const { s } = session();
    s.rt.sliceMs = 20; // every runtime has slices (5 ms by default)
    await s.evalEntry('0 :n');
    const running = s.evalEntry('(true) (n 1 + @n) while');
    // Busy once the first time slice has run out and the loop lets the event loop turn.
    await waitFor(() => s.busy, { what: 'the loop to give up its first time slice' });
    expect(s.interrupt()).toBe(true);
    expect(await running).toEqual({ kind: 'interrupted', output: 'Interrupted' });
    expect((await s.evalEntry('n 0 >')).output).toBe(' true');
  });

  it('answers help NAME and ?NAME without showing the stack', async () => {
    const { s, out } = session();
    await s.evalEntry('42');
    expect(await s.evalEntry('help dup')).toEqual({ kind: 'empty', output: '' });
    expect(await s.evalEntry('?swap')).toEqual({ kind: 'empty', output: '' });
    expect(out()).toContain('a ==> a a');
    expect(out()).toContain('a1 a2 ==> a2 a1');
    expect(s.stack).toEqual([42]);
  });

  it('names the file errors come from', async () => {
    const { s } = session();
    const o = await s.run('nosuch', '/home/u/.minrc');
    expect(o.kind).toBe('error');
    if (o.kind === 'error') expect(o.error.filename).toBe('/home/u/.minrc');
  });
});

describe('prompt', () => {
  it('comes from the prompt symbol, or falls back to [cwd]$', async () => {
    const { s } = session();
    expect(await s.prompt()).toBe(fallbackPrompt());
    expect(fallbackPrompt()).toBe(`[${process.cwd()}]$ `);
  });

  it('can be redefined', async () => {
    const { s } = session();
    await s.evalEntry('(">> ") ^prompt');
    expect(await s.prompt()).toBe('>> ');
    await s.evalEntry('(no-such-symbol) ^prompt');
    expect(await s.prompt()).toBe(fallbackPrompt());
    expect(s.stack).toEqual([]);
  });
});

describe('result format', () => {
  const fmt = (src: string) => formatResult(read(src)[0]!);
  it('puts one space before a value', () => {
    expect(fmt('"str"')).toBe(' "str"');
    expect(fmt('(1)')).toBe(' (1)');
    expect(fmt('{1 :a}')).toBe(' {1 :a}');
  });
  it('spreads longer quotations and dicts over lines', () => {
    expect(fmt('(1 "b" (c))')).toBe(' (\n   1\n   "b"\n   (c)\n )');
    expect(fmt('{1 :a 2 :b ;point}')).toBe(' {\n   1 :a\n   2 :b\n   ;point\n }');
  });
});
