// The shell's line history, kept in ~/.min_history (one line per entry line,
// oldest first) so it survives between sessions.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { os } from '../lib/builtins.js';
import { join } from 'node:path';

export const HISTORY_SIZE = 1000;

/** The user's home directory: $HOME when set, so tests and sandboxes can move it. */
export const homeDir = (env: NodeJS.ProcessEnv = process.env): string => env.HOME || os().homedir();

export const historyFile = (env?: NodeJS.ProcessEnv): string => join(homeDir(env), '.min_history');

export class History {
  private last: string | null = null;

  constructor(
    readonly file: string,
    readonly size = HISTORY_SIZE,
  ) {}

  /** The saved lines, newest first (the order readline wants). Trims an overgrown file. */
  load(): string[] {
    let lines: string[];
    try {
      lines = readFileSync(this.file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    } catch {
      return [];
    }
    if (lines.length > 2 * this.size) {
      lines = lines.slice(-this.size);
      this.write(lines.join('\n') + '\n');
    }
    this.last = lines.at(-1) ?? null;
    return lines.slice(-this.size).reverse();
  }

  /** Record a line just entered; blank lines and immediate repeats are skipped. */
  add(line: string): void {
    if (line.trim() === '' || line === this.last) return;
    this.last = line;
    try {
      appendFileSync(this.file, line + '\n', { mode: 0o600 });
    } catch {
      /* an unwritable home only costs the history */
    }
  }

  private write(text: string): void {
    try {
      writeFileSync(this.file, text, { mode: 0o600 });
    } catch {
      /* see add */
    }
  }
}
