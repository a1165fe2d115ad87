// Interactive input for io's ask/confirm/choose/password/getchr and gets.
// Input is read a line at a time through the runtime; `getchr` hands a line
// out one character at a time, and what it has not handed out yet is read
// first by the next line-reading operator.
import { MinError } from './errors.js';

const endOfInput = (who: string): MinError => new MinError(`${who}: end of input reached`, 'IOError');

/** One program's standard input, a line or a character at a time. */
export class ProgramInput {
  /** The rest of the line `getchr` is part-way through. */
  private pending: string | undefined = undefined;

  constructor(private readonly readLine: () => Promise<string | null>) {}

  /** The next line; end of input is an error (prompts must not loop forever). */
  async nextLine(who: string): Promise<string> {
    const rest = this.pending;
    if (rest !== undefined) {
      this.pending = undefined;
      return rest;
    }
    const l = await this.readLine();
    if (l === null) throw endOfInput(who);
    return l;
  }

  /** The code of the next character (10 at the end of each line). */
  async nextChar(who: string): Promise<number> {
    let rest = this.pending;
    if (rest === undefined) {
      const l = await this.readLine();
      if (l === null) throw endOfInput(who);
      rest = l;
    }
    if (rest === '') {
      this.pending = undefined;
      return 10;
    }
    const c = rest.codePointAt(0)!;
    this.pending = rest.slice(c > 0xffff ? 2 : 1);
    return c;
  }
}
