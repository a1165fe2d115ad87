// The io module: console output, log levels, prompts and whole-file I/O.
import { appendFileOnce, writeFileAtomic } from '../lib/atomic-write.js';
import { alias, type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { ExitSignal, ProgramState, type Runtime } from '../core/runtime.js';
import { invalid } from '../core/errors.js';
import { display, type PrintOptions } from '../core/printer.js';
import { isStringLike, type Quot, strOf, type Value } from '../core/values.js';
import { attemptAsync } from '../lib/oserror.js';
import type { Run } from '../core/control.js';
import { readText } from '../lib/read-text.js';


// ---- log levels -----------------------------------------------------------

const LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'fatal', 'none'];

/** Whether a message at `level` shows under the runtime's log level. */
function logs(rt: Runtime, level: string): boolean {
  const cur = LEVELS.indexOf(rt.logLevel);
  return LEVELS.indexOf(level) >= (cur < 0 ? LEVELS.indexOf('notice') : cur);
}

/** What native min's logger writes before a message of each level (notice: four spaces). */
const LOG_PREFIX: Record<string, string> = { notice: '    ' };

function logOp(level: string, toErr: boolean, doc: string) {
  return op(level, 'a ==> a', doc, (i: OpContext, a: Value) => {
    if (logs(i.rt, level)) (toErr ? i.rt.err : i.rt.out).write((LOG_PREFIX[level] ?? '') + display(a, i.rt.print) + '\n');
    return a;
  });
}

// ---- terminal settings ------------------------------------------------------

/** The terminal settings a program has made: colored output (`color`) and its key map (`mapkey`). */
const terminalOf = new ProgramState(() => ({ color: true, keymap: new Map<string, Quot>() }));

// Key names the minline line editor knows; with no line editor here a mapping
// is only recorded, but unknown names are still refused as min does.
const NAMED_KEYS = new Set([
  'backspace', 'delete', 'insert', 'tab', 'enter', 'esc', 'escape',
  'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown',
]);
const isKeyName = (k: string): boolean => NAMED_KEYS.has(k) || /^ctrl\+([a-z\\\]^_])$/.test(k);

// ---- helpers --------------------------------------------------------------

const COLUMN_WIDTH = 15;

/** Native min's column-print: every cell padded to 15 characters, a new line after each row. */
function columns(items: Quot, n: number, o: Readonly<PrintOptions>): string {
  let out = '';
  items.forEach((v, k) => {
    const s = display(v, o);
    out += s + ' '.repeat(Math.max(0, COLUMN_WIDTH - s.length));
    if ((k + 1) % n === 0) out += '\n';
  });
  if (items.length % n !== 0) out += '\n';
  return out;
}

function checkChoices(q: Quot): { label: string; body: Quot }[] {
  if (q.length === 0) throw invalid('No choices to display');
  return q.map((c) => {
    if (!Array.isArray(c) || c.length !== 2 || !isStringLike(c[0]!) || !Array.isArray(c[1])) {
      throw invalid('Each choice must be a quotation holding a string and a quotation');
    }
    return { label: strOf(c[0]!), body: c[1] as Quot };
  });
}

// ---- the module -------------------------------------------------------------

export const ioModule: ModuleDef = {
  name: 'io',
  ops: [
    op('ask', 'str ==> str', 'Prints str as a prompt and reads a line of input.', (i: OpContext, s: string) => {
      i.rt.out.write(s + ': ');
      return i.rt.input.nextLine('ask');
    }),
    op('choose', 'quot str ==> a*', 'Prints str and the numbered labels of the (label quotation) choices in quot, reads a choice and runs its quotation.', function* (i: OpContext, q: Quot, s: string): Run<void> {
      const choices = checkChoices(q);
      const out = i.rt.out;
      out.write(s + '\n');
      for (;;) {
        choices.forEach((c, k) => out.write(`${k + 1} - ${c.label}\n`));
        out.write(`Enter your choice (1 - ${choices.length}): `);
        const answer = ((yield i.rt.input.nextLine('choose')) as string).trim();
        const n = /^[0-9]+$/.test(answer) ? parseInt(answer, 10) : 0;
        if (n >= 1 && n <= choices.length) {
          yield choices[n - 1]!.body;
          return;
        }
        out.write('Invalid choice.\n');
      }
    }),
    op('clear', '==>', 'Clears the terminal screen.', (i: OpContext) => {
      i.rt.out.write('\x1b[2J\x1b[H');
    }),
    op('color', 'bool ==>', 'Turns colored terminal output on or off.', (i, b: boolean) => {
      terminalOf.of(i.rt).color = b;
    }),
    op('column-print', 'quot int ==>', 'Prints the items of quot in int columns, each padded to 15 characters.', (i: OpContext, q: Quot, n: number) => {
      if (n <= 0) throw invalid(`Invalid number of columns: ${n}`);
      i.rt.out.write(columns(q, n, i.rt.print));
    }),
    op('confirm', 'str ==> bool', 'Asks the yes/no question str until the answer is y, yes, n or no (any case).', function* (i: OpContext, s: string): Run<boolean> {
      i.rt.out.write(s + ' [yes/no]: ');
      for (;;) {
        const answer = ((yield i.rt.input.nextLine('confirm')) as string).trim();
        if (/^y(es)?$/i.test(answer)) return true;
        if (/^no?$/i.test(answer)) return false;
        i.rt.out.write("Invalid answer. Please enter 'yes' or 'no': ");
      }
    }),
    logOp('debug', false, 'Prints a on standard output when the log level is debug; a stays on the stack.'),
    logOp('error', true, 'Prints a on standard error when the log level is error or lower; a stays on the stack.'),
    // File names may be quoted symbols ('data.txt) as in min.
    op('fappend', "str 'sym ==>", 'Appends str to the end of the file named sym (created if missing), in one write that no other append can split.', (_i, text: string, f: Value) => {
      const file = strOf(f);
      return attemptAsync(`Unable to append to file '${file}'`, () => appendFileOnce(file, text));
    }),
    op('fatal', 'a ==> a', 'Prints a on standard error and ends the program with exit code 100.', (i: OpContext, a: Value) => {
      if (logs(i.rt, 'fatal')) i.rt.err.write(display(a, i.rt.print) + '\n');
      throw new ExitSignal(100);
    }),
    op('fread', "'sym ==> str", 'Reads the whole file named sym as a string.', (_i, f: Value) => {
      const file = strOf(f);
      return attemptAsync(`Unable to read file '${file}'`, () => readText(file));
    }),
    alias('read', 'fread'),
    alias('type', 'type'),
    op('fwrite', "str 'sym ==>", 'Replaces the contents of the file named sym with str, atomically: a reader sees the old contents or the new, never a part.', (_i, text: string, f: Value) => {
      const file = strOf(f);
      return attemptAsync(`Unable to write file '${file}'`, () => writeFileAtomic(file, text));
    }),
    alias('write', 'fwrite'),
    op('getchr', '==> int', 'Reads one character of input and pushes its code (10 at the end of a line).', (i: OpContext) => i.rt.input.nextChar('getchr')),
    logOp('info', false, 'Prints a on standard output when the log level is info or lower; a stays on the stack.'),
    op('mapkey', "quot 'sym ==>", 'Maps the key (combination) sym to quot.', (i, q: Quot, k: Value) => {
      const key = strOf(k).toLowerCase();
      if (!isKeyName(key)) throw invalid(`Unrecognized key: ${key}`);
      terminalOf.of(i.rt).keymap.set(key, q);
    }),
    op('newline', '==>', 'Prints a new line.', (i: OpContext) => {
      i.rt.out.write('\n');
    }),
    logOp('notice', false, 'Prints a (after four spaces, as native min) on standard output when the log level is notice (the default) or lower; a stays on the stack.'),
    op('password', '==> str', 'Prompts for a password and reads it from a line of input.', (i: OpContext) => {
      i.rt.out.write('Enter Password: ');
      return i.rt.input.nextLine('password');
    }),
    op('print', 'a ==> a', 'Prints a without a new line; a stays on the stack.', (i: OpContext, a: Value) => {
      i.rt.out.write(display(a, i.rt.print));
      return a;
    }),
    op('putchr', 'str ==>', 'Prints the single character str without a new line.', (i: OpContext, s: string) => {
      if ([...s].length !== 1) throw invalid('putchr requires a string containing a single character');
      i.rt.out.write(s);
    }),
    op('unmapkey', "'sym ==>", 'Removes the mapping of the key (combination) sym, if any.', (i, k: Value) => {
      const key = strOf(k).toLowerCase();
      if (!isKeyName(key)) throw invalid(`Unrecognized key: ${key}`);
      // As in min, unmapping a key that has no mapping just leaves its default behavior.
      terminalOf.of(i.rt).keymap.delete(key);
    }),
    logOp('warn', true, 'Prints a on standard error when the log level is warn or lower; a stays on the stack.'),
  ],
};
