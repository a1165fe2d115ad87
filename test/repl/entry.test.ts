import { describe, expect, it } from 'vitest';
import { isComplete, scanEntry } from '../../src/repl/entry.js';

describe('entry completeness', () => {
  it.each([
    '',
    '1 2 +',
    '(1 (2 3)) size',
    '"a (" "b"',
    '"escaped \\" quote"',
    '{1 :a ;point}',
    '{1 :a ;point\n}',
    '{1 :a ; a comment with }\n}',
    '[ls -a [x]]',
    '1 ; (an open paren in a comment',
    '#| ( |# 1',
    '#|| doc ( ||# 1',
    'foo;bar',
    ':"a key (" 1',
    ')',
    '(1 2))',
  ])('%j is complete', (t) => {
    expect(isComplete(t)).toBe(true);
  });

  it.each([
    '(1 2',
    '((1) (2)',
    '"abc',
    '"a \\"',
    '{1 :a',
    '{1 :a ;point',
    '[ls -a',
    '#| open comment',
    '(1 "a)"',
    '( ; )',
    '(1\n2',
  ])('%j needs more lines', (t) => {
    expect(isComplete(t)).toBe(false);
  });

  it('reports what is left open, outermost first', () => {
    expect(scanEntry('({ "x').open).toEqual(['(', '{', '"']);
    expect(scanEntry('(1 [ls').open).toEqual(['(', '[']);
  });

  it('finds the open string and the word at the end', () => {
    expect(scanEntry('1 "src/re').stringStart).toBe(2);
    expect(scanEntry('1 "done" du').stringStart).toBe(-1);
    expect(scanEntry('1 "done" du').wordStart).toBe(9);
    expect(scanEntry('(du').wordStart).toBe(1);
    expect(scanEntry('dup ').wordStart).toBe(4);
    expect(scanEntry('1 ; du').inComment).toBe(true);
  });
});
