// The receive buffer on its own: lines cut from ASCII chunks (the fast path)
// and from chunks with UTF-8 or split across chunks must read the same.
import { describe, expect, it } from 'vitest';
import { Inbox } from '../../src/net/inbox.js';

const feed = (...chunks: (string | Buffer)[]): Inbox => {
  const box = new Inbox(() => {});
  for (const c of chunks) box.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  return box;
};

describe('Inbox', () => {
  it('reads lines from ASCII chunks, CRLF or LF, empty lines as \\r\\n', () => {
    const box = feed('a\r\nbb\n\n\r\nccc');
    expect([box.line(null), box.line(null), box.line(null), box.line(null)]).toEqual(['a', 'bb', '\r\n', '\r\n']);
    box.end();
    expect(box.line(null)).toBe('ccc');
    expect(box.line(null)).toBe('');
  });

  it('joins a line split across chunks, and UTF-8 cut inside a character', () => {
    const e = Buffer.from('é\n', 'utf8');
    const box = feed('one\ntw', 'o\nh', e.subarray(0, 1), e.subarray(1), 'x\n');
    expect([box.line(null), box.line(null), box.line(null), box.line(null)]).toEqual(['one', 'two', 'hé', 'x']);
  });

  it('mixes line and byte reads over the same buffer', () => {
    const box = feed('ab\ncdef\ng');
    expect(box.line(null)).toBe('ab');
    expect(box.bytes(2, null)).toBe('cd');
    expect(box.line(null)).toBe('ef');
    box.end();
    expect(box.bytes(10, null)).toBe('g');
  });

  it('reads byte counts across chunks, ASCII or not, without cutting a character', () => {
    const e = Buffer.from('é', 'utf8');
    const box = feed('abc', 'def', 'gh', e.subarray(0, 1), e.subarray(1), 'ij', 'k');
    expect(box.bytes(7, null)).toBe('abcdefg');
    // 2 bytes asked, "h" and half of "é": the count stretches to the whole character.
    expect(box.bytes(2, null)).toBe('hé');
    expect(box.bytes(3, null)).toBe('ijk');
  });

  it('waits for the rest of a line, then answers', async () => {
    const box = feed('par');
    const p = box.line(null);
    expect(p).toBeInstanceOf(Promise);
    box.push(Buffer.from('tial\nnext\n'));
    expect(await p).toBe('partial');
    expect(box.line(null)).toBe('next');
  });
});
