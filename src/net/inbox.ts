// The receive buffer of a stream connection. Chunks are kept as Node gave
// them (a list with a read index, never one growing string), so reading a
// line or a byte count costs only the bytes it takes. Readers wait in FIFO
// order: on a fast stream nothing is lost or handed out twice, even with
// several tasks reading. When a lot is buffered and nobody waits, the source
// is paused (back-pressure on the peer) and resumed once readers drain it.
// A line longer than the reader's limit is not kept: it is dropped as it
// arrives, up to its newline, so a peer that never sends one costs nothing.
import { isAscii } from 'node:buffer';
import type { Ms } from './bounded.js';
import { ReaderQueue } from './readers.js';
import { Readiness } from './readiness.js';
import { charBoundary, charStart, decodeText } from './utf8.js';
import { closedError } from './errors.js';
import { DEFAULT_MAX_LINE, allTooBig, lineTooLong } from './limits.js';

/** Unread bytes above which the source is paused while no reader waits. */
const HIGH_WATER = 1 << 20;

const NEWLINE = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export class Inbox {
  private chunks: Buffer[] = [];
  private head = 0;
  private off = 0;
  /** Unread bytes. */
  size = 0;
  /** Unread bytes known to hold no newline, so a line search never rescans them. */
  private scanned = 0;
  /** An over-long line is being dropped: what arrives is discarded up to the next newline. */
  private skipping = false;
  private readonly readers = new ReaderQueue<string>(() => this.flow());
  /** Whether a read would not wait, for select. */
  readonly readiness = new Readiness(() => this.size > 0 || this.ended);
  private flowing = true;
  /** The peer finished sending (or the connection is gone). */
  private ended = false;
  /** Why the connection broke (a NetError), raised once the buffered data is read. */
  private failure: Error | null = null;
  private closed = false;
  /**
   * The head chunk decoded once, when it is all ASCII (text: null when not),
   * so that reading it line by line cuts strings instead of decoding each line.
   */
  private textOf: Buffer | null = null;
  private text: string | null = null;

  constructor(private readonly setFlow: (on: boolean) => void) {}

  push(b: Buffer): void {
    if (b.length === 0 || this.closed) return;
    if (this.skipping) {
      const nl = b.indexOf(NEWLINE);
      if (nl < 0) return;
      this.skipping = false;
      b = b.subarray(nl + 1);
      if (b.length === 0) return;
    }
    this.chunks.push(b);
    this.size += b.length;
    this.pump();
  }

  end(): void {
    this.ended = true;
    this.pump();
  }

  fail(e: Error): void {
    this.failure ??= e;
    this.ended = true;
    this.pump();
  }

  /** Our side closed: waiting readers fail and later data is dropped. */
  close(): void {
    this.closed = true;
    this.ended = true;
    this.chunks = [];
    this.head = this.off = this.size = this.scanned = 0;
    this.skipping = false;
    this.pump();
  }

  /** Everything unread, taken out (starttls hands it to the TLS layer); the inbox is closed after. */
  takeAll(): Buffer {
    const out = this.size === 0 ? EMPTY : this.take(this.size);
    this.close();
    return out;
  }

  /**
   * The next line without its terminator; "\r\n" for an empty line, "" once
   * the peer is done. A line of more than `maxLine` bytes (terminator aside)
   * raises a NetError as soon as that many have come; the line is dropped up
   * to its newline, and the next read starts after it.
   */
  line(ms: Ms, maxLine = DEFAULT_MAX_LINE): Promise<string> | string {
    if (this.readers.length === 0) {
      const l = this.asciiLine(maxLine);
      if (l !== undefined) return l;
    }
    return this.wait(ms, () => {
      const nl = this.findNewline();
      if (nl >= 0) {
        const crlf = nl > 0 && this.byteAt(nl - 1) === CR;
        if ((crlf ? nl - 1 : nl) > maxLine) {
          this.skip(nl + 1);
          throw lineTooLong(maxLine);
        }
        const b = this.take(nl + 1);
        let end = b.length - 1;
        if (end > 0 && b[end - 1] === CR) end--;
        return end === 0 ? '\r\n' : decodeText(b, 0, end);
      }
      // Without a newline yet, more than maxLine bytes (and a possible CR) is already too long.
      if (this.size > maxLine + 1 || (this.ended && this.size > maxLine)) {
        this.skip(this.size);
        this.skipping = !this.ended;
        throw lineTooLong(maxLine);
      }
      // A last line the peer did not terminate still counts as a line.
      if (this.ended && this.size > 0) return this.takeText(this.size);
      return this.atEnd();
    });
  }

  /** The next line when it lies in an ASCII head chunk: the common case of a line protocol. */
  private asciiLine(maxLine: number): string | undefined {
    const c = this.chunks[this.head];
    if (c === undefined) return undefined;
    if (this.textOf !== c) {
      this.textOf = c;
      this.text = isAscii(c) ? c.toString('latin1') : null;
    }
    const t = this.text;
    if (t === null) return undefined;
    const start = this.off;
    const nl = t.indexOf('\n', start);
    if (nl < 0) return undefined;
    let end = nl;
    if (end > start && t.charCodeAt(end - 1) === CR) end--;
    // Too long: the general path raises the error.
    if (end - start > maxLine) return undefined;
    this.advance(nl + 1 - start);
    if (!this.flowing) this.flow();
    return end === start ? '\r\n' : t.slice(start, end);
  }

  /** `n` bytes (stretched to a whole character) as text; less, or "", once the peer is done. */
  bytes(n: number, ms: Ms): Promise<string> | string {
    if (n <= 0) return this.closed ? Promise.reject(closedError()) : Promise.resolve('');
    return this.wait(ms, () => {
      if (this.size >= n) {
        const count = charBoundary((k) => this.byteAt(k), this.size, n, this.ended);
        if (count >= 0) return this.takeText(count);
      }
      if (this.ended && this.size > 0) return this.takeText(this.size);
      return this.atEnd();
    });
  }

  /**
   * What has arrived, at most `n` bytes of it (stretched to finish a
   * character cut at `n`, as `bytes` does); waits only while nothing has. A
   * character whose last bytes are still on their way is left for the next
   * read, unless it is all there is. "" once the peer is done.
   */
  some(n: number, ms: Ms): Promise<string> | string {
    if (n <= 0) return this.closed ? Promise.reject(closedError()) : Promise.resolve('');
    return this.wait(ms, () => {
      if (this.size > 0) {
        const at = (k: number) => this.byteAt(k);
        const want = Math.min(n, this.size);
        let count = charBoundary(at, this.size, want, this.ended);
        if (count < 0) count = charStart(at, want);
        if (count > 0) return this.takeText(count);
        if (this.ended) return this.takeText(this.size);
      }
      return this.atEnd();
    });
  }

  /**
   * Everything until the peer closes. More than `maxBytes` is a NetError as
   * soon as that much has come; what came stays buffered for the next read.
   */
  all(ms: Ms, maxBytes: number): Promise<string> | string {
    return this.wait(ms, () => {
      if (this.size > maxBytes) throw allTooBig(maxBytes);
      if (!this.ended) return undefined;
      return this.size > 0 ? this.takeText(this.size) : this.atEnd();
    });
  }

  /** Nothing buffered and the peer is done: "" for a clean end, the error otherwise. */
  private atEnd(): string | undefined {
    if (this.closed) throw closedError();
    if (!this.ended) return undefined;
    if (this.failure) throw this.failure;
    return '';
  }

  private wait(ms: Ms, take: () => string | undefined): Promise<string> | string {
    // Data already here: answered at once, so a script reading a fast stream
    // never has to wait on the event loop.
    return this.readers.read(ms, 'waiting for data', take);
  }

  private pump(): void {
    this.readers.pump();
    this.readiness.check();
  }

  /** Pause the source when plenty is buffered and no reader needs more. */
  private flow(): void {
    const want = !this.ended && (this.readers.length > 0 || this.size < HIGH_WATER);
    if (want !== this.flowing) {
      this.flowing = want;
      if (!this.ended) this.setFlow(want);
    }
  }

  /** Offset (from the read position) of the next newline, or -1. */
  private findNewline(): number {
    let skip = this.scanned;
    let pos = 0;
    for (let k = this.head; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      const start = k === this.head ? this.off : 0;
      const len = c.length - start;
      if (skip >= len) {
        skip -= len;
        pos += len;
        continue;
      }
      const j = c.indexOf(NEWLINE, start + skip);
      if (j >= 0) return pos + (j - start);
      pos += len;
      skip = 0;
    }
    this.scanned = this.size;
    return -1;
  }

  private byteAt(n: number): number {
    for (let k = this.head; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      const start = k === this.head ? this.off : 0;
      if (n < c.length - start) return c[start + n]!;
      n -= c.length - start;
    }
    return -1;
  }

  /** The next `n` (<= size, ending on a character boundary) bytes as text. */
  private takeText(n: number): string {
    const parts = this.takeParts(n);
    if (parts.length === 1) return decodeText(parts[0]!);
    // Spanning chunks that are all ASCII: copied into one reused buffer and decoded once.
    if (parts.every((p) => isAscii(p))) return joinedLatin1(parts, n);
    return decodeText(Buffer.concat(parts, n));
  }

  /** Remove and return the next `n` (<= size) bytes. */
  private take(n: number): Buffer {
    if (n === 0) return EMPTY;
    const parts = this.takeParts(n);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }

  /** Drop the next `n` (<= size) bytes. */
  private skip(n: number): void {
    while (n > 0) {
      const len = Math.min(this.chunks[this.head]!.length - this.off, n);
      this.advance(len);
      n -= len;
    }
    if (!this.flowing) this.flow();
  }

  /** Remove the next `n` (<= size) bytes, as views of the chunks they lie in. */
  private takeParts(n: number): Buffer[] {
    const parts: Buffer[] = [];
    while (n > 0) {
      const c = this.chunks[this.head]!;
      const len = Math.min(c.length - this.off, n);
      parts.push(c.subarray(this.off, this.off + len));
      this.advance(len);
      n -= len;
    }
    return parts;
  }

  /** Move the read position `n` bytes on, within the head chunk. */
  private advance(n: number): void {
    this.off += n;
    this.size -= n;
    this.scanned = Math.max(0, this.scanned - n);
    if (this.off === this.chunks[this.head]!.length) this.nextChunk();
  }

  private nextChunk(): void {
    this.head++;
    this.off = 0;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
      this.textOf = this.text = null;
    } else if (this.head >= 1024 && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * One buffer, reused, that ASCII chunks are copied into to be decoded as one
 * string: one copy and one decode per read, where decoding each and joining
 * the strings copies the text twice. Used synchronously only.
 */
let joinBuffer: Buffer | null = null;
const JOIN_LARGEST = 4 * 1024 * 1024;

function joinedLatin1(parts: Buffer[], n: number): string {
  if (n > JOIN_LARGEST) return parts.map((p) => p.toString('latin1')).join('');
  if (joinBuffer === null || joinBuffer.length < n) joinBuffer = Buffer.allocUnsafeSlow(Math.max(n, 64 * 1024));
  let at = 0;
  for (const p of parts) at += p.copy(joinBuffer, at);
  return joinBuffer.toString('latin1', 0, n);
}
