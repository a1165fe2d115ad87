// The interactive shell on a terminal: prompt, line editing, history, tab
// completion and Ctrl-C handling around a Session (which does the
// evaluating). With -j (plain) it reads bare lines without editing.
//
// While an entry runs, the terminal is put back in cooked mode so Ctrl-C
// arrives as a SIGINT even though readline is paused; at the prompt readline
// has it in raw mode and reports Ctrl-C itself.
import type { Interface } from 'node:readline';
import { readline } from '../lib/builtins.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime } from '../ops/modules.js';
import { VERSION } from '../ops/global.js';
import { describeUncaught } from '../core/uncaught.js';
import { Session } from './session.js';
import { isComplete } from './entry.js';
import { complete } from './complete.js';
import { History, HISTORY_SIZE, historyFile, homeDir } from './history.js';
import { CLEARED, LineQueue } from './lines.js';
import { ShellWriter } from './output.js';
import { palette, wantColor } from './colors.js';

const CONTINUATION = '... ';
const LEAVE_HINT = '(To leave, press Ctrl-C again or Ctrl-D, or type 0 exit)';

/** What readline keeps but its typings do not show. */
type Readline = Interface & { line: string; cursor: number; history: string[]; clearLine?: () => void };

type State = 'idle' | 'reading' | 'running';

/** The first lines of a session: what this is, how to get help, how to leave. */
const banner = (): string =>
  `min shell v${VERSION}\n` + `Help: ?NAME for an operator, a sigil or a module (?net lists the net module).\n` + `Leave: Ctrl-D, or 0 exit.\n`;

export async function startRepl(o: { dev: boolean; plain: boolean }): Promise<number> {
  const input = process.stdin;
  const output = process.stdout;
  const term = !o.plain && input.isTTY === true && output.isTTY === true;
  const colors = palette(wantColor(output));
  const errColors = palette(wantColor(process.stderr));
  const history = term ? new History(historyFile()) : null;
  const lines = new LineQueue();
  let state: State = 'idle';
  let pending: string[] = [];
  let sawInterrupt = false;

  // Output of background tasks while the prompt waits goes above the prompt.
  const around = (write: () => void, text: string): void => {
    if (!(term && state === 'reading')) return write();
    output.write('\r\x1b[K');
    write();
    if (!text.endsWith('\n')) output.write('\n');
    rl.prompt(true);
  };
  const out = new ShellWriter(output, around);
  const err = new ShellWriter(process.stderr, around);
  const rt = createRuntime({ out, err, dev: o.dev, readLine: () => readInput() });
  const session = new Session(rt);
  const flush = (): void => {
    out.flush();
    err.flush();
  };

  const completer = (line: string): [string[], string] => {
    const text = pending.length > 0 ? pending.join('\n') + '\n' + line : line;
    try {
      const c = complete(text, text.length, rt);
      return c.word.includes('\n') ? [[], ''] : [c.items, c.word];
    } catch {
      return [[], ''];
    }
  };

  const rl = readline().createInterface({
    input,
    output,
    terminal: term,
    completer: term ? completer : undefined,
    history: history?.load() ?? [],
    historySize: term ? HISTORY_SIZE : 0,
    removeHistoryDuplicates: true,
    tabSize: 2,
  }) as Readline;
  rl.on('line', (l) => {
    sawInterrupt = false;
    lines.push(l);
  });
  rl.on('close', () => lines.end());

  /** Ctrl-C: stop the running entry, or throw away the one being typed, or leave. */
  const onInterrupt = (): void => {
    if (session.busy) {
      lines.clear(); // a `gets` waiting in the entry gives up too, with what it had typed
      if (term) {
        rl.line = '';
        rl.cursor = 0;
      }
      session.interrupt();
      return;
    }
    if (state !== 'reading') return;
    const typed = pending.length > 0 || (term && rl.line.length > 0);
    if (term && rl.clearLine) rl.clearLine();
    else output.write('\n');
    pending = [];
    if (!typed) {
      if (sawInterrupt) return lines.end();
      sawInterrupt = true;
      output.write(colors.notice(LEAVE_HINT) + '\n');
    }
    lines.clear();
  };
  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);
  // `exit` in a background task ends the shell even while it waits for input.
  rt.exited.then(() => lines.end());

  const reading = (prompt: string): void => {
    state = 'reading';
    if (term) input.setRawMode(true);
    rl.setPrompt(prompt);
    rl.prompt();
  };
  const running = (): void => {
    state = 'running';
    rl.pause();
    if (term) input.setRawMode(false);
  };

  /** One entry: lines until nothing is left open. null at the end of input. */
  const readEntry = async (prompt: string): Promise<string | typeof CLEARED | null> => {
    pending = [];
    for (;;) {
      reading(pending.length > 0 ? CONTINUATION : prompt);
      const l = await lines.next();
      if (l === null || l === CLEARED) return l;
      pending.push(l);
      history?.add(l);
      const text = pending.join('\n');
      if (isComplete(text)) {
        pending = [];
        return text;
      }
    }
  };

  /** `gets` and friends inside an entry: a line typed after what the entry printed. */
  async function readInput(): Promise<string | null> {
    flush();
    if (term) {
      input.setRawMode(true);
      output.write('\r');
      rl.setPrompt(out.tail);
      rl.prompt();
    } else rl.resume();
    const l = await lines.next();
    if (l === null || l === CLEARED) return null;
    if (term && rl.history[0] === l) rl.history.shift(); // an answer, not an entry
    running();
    return l;
  }

  const report = (kind: string, text: string): void => {
    if (text === '') return;
    if (kind === 'value') output.write(text + '\n');
    // The terminal has echoed ^C where the cursor was.
    else if (kind === 'interrupted') process.stderr.write('\n' + errColors.notice(text) + '\n');
    else process.stderr.write(errColors.error(text) + '\n');
  };

  let code: number | null = null;
  try {
    output.write(banner());
    const rc = join(homeDir(), '.minrc');
    if (existsSync(rc)) {
      running();
      let text = '';
      try {
        text = readFileSync(rc, 'utf8');
      } catch (e) {
        report('error', `${rc}: ${(e as Error).message}`);
      }
      const r = await session.run(text, rc);
      flush();
      if (r.kind === 'exit') code = r.code;
      else if (r.kind === 'error') report('error', describeUncaught(r.error));
      else if (r.kind === 'interrupted') report('interrupted', 'Interrupted');
    }
    while (code === null) {
      state = 'idle';
      const prompt = colors.prompt(await session.prompt());
      if (lines.ended) break;
      const entry = await readEntry(prompt);
      if (entry === null) {
        if (term) output.write('\n');
        break;
      }
      if (entry === CLEARED || entry.trim() === '') continue;
      running();
      const res = await session.evalEntry(entry);
      flush();
      if (res.kind === 'exit') code = res.exit!;
      else report(res.kind, res.output);
    }
  } finally {
    state = 'idle';
    flush();
    process.off('SIGINT', onInterrupt);
    rl.close();
    rt.releaseAll();
  }
  return code ?? rt.exitCode ?? 0;
}
