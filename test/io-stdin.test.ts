// The operators that read standard input (ask, confirm, choose, password,
// getchr), and the ones whose output only the real CLI shows faithfully
// (clear, system with inherited streams, fatal's exit code), run through
// ./bin/min-ts with piped standard input.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'min-ts');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
});

function minTs(code: string, input: string): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '-e', code], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (c) => resolve({ out, err, code: c }));
    child.stdin.end(input);
  });
}

describe('io input operators', () => {
  it('ask prints its prompt and reads one line', async () => {
    const r = await minTs('"Name" ask puts! "Age" ask puts!', 'Bob\n42\n');
    expect(r.out).toBe('Name: Bob\nAge: 42\n');
    expect(r.code).toBe(0);
  });

  it('confirm accepts y/yes/n/no in any case and asks again otherwise', async () => {
    const r = await minTs('"Sure?" confirm puts! "Again?" confirm puts! "Last?" confirm puts!', 'maybe\nYES\nn\nNo\n');
    expect(r.out).toBe("Sure? [yes/no]: Invalid answer. Please enter 'yes' or 'no': true\nAgain? [yes/no]: false\nLast? [yes/no]: false\n");
  });

  it('choose shows the menu until a valid number is entered, then runs that choice', async () => {
    const r = await minTs('(("red" ("chose red" puts!)) ("blue" ("chose blue" puts!))) "Color?" choose', '0\nabc\n2\n');
    const menu = '1 - red\n2 - blue\nEnter your choice (1 - 2): ';
    expect(r.out).toBe(`Color?\n${menu}Invalid choice.\n${menu}Invalid choice.\n${menu}chose blue\n`);
    expect(r.code).toBe(0);
  });

  it('choose runs the chosen quotation on the current stack', async () => {
    const r = await minTs('10 (("double" (2 *)) ("square" (dup *))) "Op?" choose puts!', '2\n');
    expect(r.out.endsWith('100\n')).toBe(true);
  });

  it('password reads a line after its prompt', async () => {
    const r = await minTs('password puts!', 'secret\n');
    expect(r.out).toBe('Enter Password: secret\n');
  });

  it('getchr reads one character at a time, 10 at the end of each line', async () => {
    const r = await minTs('getchr puts! getchr puts! getchr puts! getchr puts!', 'ab\nc\n');
    expect(r.out).toBe('97\n98\n10\n99\n');
  });

  it('a prompt after getchr reads the rest of the current line first', async () => {
    const r = await minTs('getchr puts! "Rest" ask puts! "Next" ask puts!', 'xyz\nline\n');
    expect(r.out).toBe('120\nRest: yz\nNext: line\n');
  });

  it('end of input is an error, not an endless prompt', async () => {
    const r = await minTs('"Sure?" confirm', 'what\n');
    expect(r.code).toBe(1);
    expect(r.err).toContain('confirm: end of input reached');
    const r2 = await minTs('(("x" ("x" puts!))) "Pick" choose', '');
    expect(r2.code).toBe(1);
    expect(r2.err).toContain('choose: end of input reached');
  });
});

describe('io and sys output through the CLI', () => {
  it('clear writes the clear-screen sequence', async () => {
    const r = await minTs('clear "x" puts!', '');
    expect(r.out).toBe('\x1b[2J\x1b[Hx\n');
  });

  it('system shares the standard streams and keeps output in order', async () => {
    const r = await minTs('"a" print! "echo b; echo c >&2" system puts! "d" puts!', '');
    expect(r.out).toBe('ab\n0\nd\n');
    expect(r.err).toBe('c\n');
  });

  it('system lets the command read standard input', async () => {
    const r = await minTs('"read x; echo got $x" system!', 'hello\n');
    expect(r.out).toBe('got hello\n');
  });

  it('fatal ends the program with exit code 100', async () => {
    const r = await minTs('"first" puts! "bad things" fatal "never" puts!', '');
    expect(r.out).toBe('first\n');
    expect(r.err).toBe('bad things\n');
    expect(r.code).toBe(100);
  });

  it('warn and error write to standard error', async () => {
    const r = await minTs('"w" warn! "e" error! "n" notice!', '');
    // notice writes four spaces first, as native min's logger does.
    expect(r.out).toBe('    n\n');
    expect(r.err).toBe('w\ne\n');
  });
});
