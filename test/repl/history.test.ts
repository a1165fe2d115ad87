import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History, historyFile } from '../../src/repl/history.js';

describe('history file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'min-history-'));
    file = join(dir, '.min_history');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in $HOME', () => {
    expect(historyFile({ HOME: dir })).toBe(file);
  });

  it('starts empty without a file', () => {
    expect(new History(file).load()).toEqual([]);
  });

  it('loads newest first and appends lines, skipping blanks and repeats', () => {
    writeFileSync(file, 'one\ntwo\n\n');
    const h = new History(file);
    expect(h.load()).toEqual(['two', 'one']);
    h.add('two');
    h.add('three');
    h.add('   ');
    h.add('three');
    h.add('four');
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n\nthree\nfour\n');
  });

  it('keeps at most its size and trims an overgrown file', () => {
    writeFileSync(file, Array.from({ length: 25 }, (_, k) => `line ${k}`).join('\n') + '\n');
    const h = new History(file, 10);
    const got = h.load();
    expect(got).toHaveLength(10);
    expect(got[0]).toBe('line 24');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(10);
  });
});
