// Interactive input for io's ask/confirm/choose/password/getchr. Input is
// read a line at a time through the runtime; `getchr` hands a line out one
// character at a time, and what it has not handed out yet is read first by
// the next line-reading operator.
import type { Runtime } from './runtime.js';
import { MinError } from './errors.js';

/** Per runtime: the rest of the line `getchr` is part-way through. */
const pending = new WeakMap<Runtime, string>();

const endOfInput = (who: string): MinError => new MinError(`${who}: end of input reached`, 'MinIOError');

/** The next line of standard input; end of input is an error (prompts must not loop forever). */
export async function nextLine(rt: Runtime, who: string): Promise<string> {
  const rest = pending.get(rt);
  if (rest !== undefined) {
    pending.delete(rt);
    return rest;
  }
  const l = await rt.readLine();
  if (l === null) throw endOfInput(who);
  return l;
}

/** The code of the next character of standard input (10 at the end of each line). */
export async function nextChar(rt: Runtime, who: string): Promise<number> {
  let rest = pending.get(rt);
  if (rest === undefined) {
    const l = await rt.readLine();
    if (l === null) throw endOfInput(who);
    rest = l;
  }
  if (rest === '') {
    pending.delete(rt);
    return 10;
  }
  const c = rest.codePointAt(0)!;
  pending.set(rt, rest.slice(c > 0xffff ? 2 : 1));
  return c;
}
