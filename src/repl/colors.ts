// Colour in the shell's own messages: only on a terminal, never into a pipe
// or file, and never when NO_COLOR is set (https://no-color.org).

export interface Palette {
  error(s: string): string;
  notice(s: string): string;
  prompt(s: string): string;
}

const sgr =
  (on: string) =>
  (s: string): string =>
    s === '' ? s : `\x1b[${on}m${s}\x1b[0m`;

const plain = (s: string): string => s;

export function wantColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function palette(on: boolean): Palette {
  if (!on) return { error: plain, notice: plain, prompt: plain };
  return { error: sgr('31'), notice: sgr('33'), prompt: sgr('1') };
}
