import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../../src/ops/modules.js';
import { complete } from '../../src/repl/complete.js';
import { Session } from '../../src/repl/session.js';
import { Scope, valueEntry } from '../../src/core/scope.js';

const quiet = { write: () => {} };
const rt = createRuntime({ out: quiet, err: quiet });
const at = (text: string) => complete(text, text.length, rt);

describe('symbol completion', () => {
  it('completes plain words from the global symbols', () => {
    const c = at('1 du');
    expect(c.word).toBe('du');
    expect(c.items).toContain('dup');
    expect(c.items.every((s) => s.startsWith('du'))).toBe(true);
  });

  it('completes after an opening parenthesis', () => {
    expect(at('(swa').items).toEqual(['swap']);
  });

  it.each(["'", '@', '#', '?'])('keeps the %s prefix', (p) => {
    const c = at(`${p}swa`);
    expect(c.word).toBe(`${p}swa`);
    expect(c.items).toEqual([`${p}swap`]);
  });

  it('ignores the text after the cursor', () => {
    expect(complete('swa 1 2', 3, rt).items).toEqual(['swap']);
  });

  it('offers nothing inside a comment', () => {
    expect(at('1 ; swa').items).toEqual([]);
  });

  it('includes the symbols of the given scope and its parents', () => {
    const local = new Scope(rt.global);
    local.set('swallow-local', valueEntry(1));
    expect(complete('swa', 3, rt, { scope: local }).items).toEqual(['swallow-local', 'swap']);
  });
});

describe('dot completion', () => {
  it('completes the members of a module', () => {
    const c = at('stack.');
    expect(c.word).toBe('stack.');
    expect(c.items).toContain('stack.dup');
    expect(c.items).toContain('stack.swap');
    expect(at("'stack.sw").items).toEqual(["'stack.swap", "'stack.swons"]);
  });

  it('completes every member of the net module', () => {
    const net = rt.modules.get('net')!;
    expect(at('net.').items).toEqual(net.scope.names().map((k) => 'net.' + k));
  });

  it.skipIf((rt.modules.get('net')?.scope.size ?? 0) === 0)('completes net.so to net.socket', () => {
    expect(at('net.so').items).toContain('net.socket');
  });

  it('completes the keys of a dict held by a user symbol, nested too', async () => {
    const s = new Session(rt);
    await s.evalEntry('{1 :alpha 2 :beta {3 :x} :inner} :cfg');
    expect(at('cfg.').items).toEqual(['cfg.alpha', 'cfg.beta', 'cfg.inner']);
    expect(at('cfg.in').items).toEqual(['cfg.inner']);
    expect(at('cfg.inner.').items).toEqual(['cfg.inner.x']);
  });

  it('offers nothing for a path that is not a dict', () => {
    expect(at('dup.').items).toEqual([]);
    expect(at('no-such-thing.x').items).toEqual([]);
  });
});

describe('environment completion', () => {
  it('completes variable names after $', () => {
    const c = complete('$MIN_RE', 7, rt, { env: { MIN_REPL_TEST: '1', OTHER: '2' } });
    expect(c).toEqual({ items: ['$MIN_REPL_TEST'], word: '$MIN_RE' });
  });
});

describe('file completion in strings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'min-complete-'));
    writeFileSync(join(dir, 'alpha.min'), '');
    writeFileSync(join(dir, '.hidden'), '');
    mkdirSync(join(dir, 'alps'));
    writeFileSync(join(dir, 'alps', 'peak.txt'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inDir = (text: string) => complete(text, text.length, rt, { cwd: dir });

  it('lists matching files and directories', () => {
    expect(inDir('"al')).toEqual({ items: ['alpha.min', 'alps/'], word: 'al' });
  });

  it('closes the string when one file matches', () => {
    expect(inDir('1 "alph').items).toEqual(['alpha.min"']);
  });

  it('descends into directories', () => {
    expect(inDir('"alps/').items).toEqual(['alps/peak.txt"']);
  });

  it('shows hidden files only when asked for', () => {
    expect(inDir('"').items).toEqual(['alpha.min', 'alps/']);
    expect(inDir('".h').items).toEqual(['.hidden"']);
  });

  it('offers nothing for a missing directory', () => {
    expect(inDir('"nowhere/x').items).toEqual([]);
  });
});
