// Building a long string from many pieces. `out += piece` makes V8 keep one
// small node per piece until the string is read, which for millions of
// pieces holds many times the memory of the text itself; a builder joins its
// pieces a few thousand at a time and keeps the result within the string limit.
import { MAX_STRING, reserve, stringLimit } from '../core/limits.js';

const BATCH = 8192;

export class TextBuilder {
  private text = '';
  private readonly pieces: string[] = [];
  private size = 0;

  /** `what` names the operator in the error a too long result raises. */
  constructor(private readonly what: string) {}

  add(piece: string): void {
    this.size += piece.length;
    if (this.size > MAX_STRING) throw stringLimit(this.what);
    if (this.pieces.push(piece) >= BATCH) this.flush();
  }

  get length(): number {
    return this.size;
  }

  private flush(): void {
    const batch = this.pieces.join('');
    reserve(batch.length * 2);
    this.text += batch;
    this.pieces.length = 0;
  }

  toString(): string {
    if (this.pieces.length > 0) this.flush();
    return this.text;
  }
}
