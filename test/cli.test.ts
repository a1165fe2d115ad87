// The command line through the real bin/min-ts: usage, help, wrong options,
// unreadable files, the program on standard input, and the arguments a
// program sees.
import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { root, run } from './net/cli.js';

async function done(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const p = run(args);
  p.child.stdin!.end(stdin ?? '');
  const code = await p.exit;
  return { code, out: p.out(), err: p.err() };
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'min-ts-cli-'));

const script = (code: string): string => {
  const file = join(scratch(), 'prog.min');
  writeFileSync(file, code);
  return file;
};

const showArgs = 'args puts! opts puts! raw-args puts!';

describe('usage', () => {
  it.each([['help'], ['--help'], ['-h']])('min-ts %s prints the forms, the options, the arguments and the docs', async (flag) => {
    const r = await done([flag]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    for (const form of ['min-ts [options] FILE [args...]', 'min-ts [options] - [args...]', 'eval CODE', 'help NAME...']) expect(r.out).toContain(form);
    for (const option of ['-d, --dev', '-e CODE', '-j', '-h, --help', '-v, --version', '--  ']) expect(r.out).toContain(option);
    for (const word of ['args ', 'opts ', 'raw-args ', 'A negative number (-5) is an argument']) expect(r.out).toContain(word);
    expect(r.out).toContain(`Documentation: README.md and docs/ in ${root}`);
  });

  it('-d and --dev turn development mode on, before the program', async () => {
    for (const flag of ['-d', '--dev']) expect((await done([flag, '-e', 'dev? puts!'])).out).toBe('true\n');
    expect((await done(['-e', 'dev? puts!'])).out).toBe('false\n');
  });

  it('-v prints the version', async () => {
    const r = await done(['-v']);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('help NAME', () => {
  it('describes an operator', async () => {
    const r = await done(['help', 'recv-line']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^recv-line\n {2}dict:socket ==> str\n {2}\S/);
  });

  it('describes a sigil', async () => {
    const r = await done(['help', '#']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sigil #\n {2}#str ==>/);
  });

  it('lists the operators of a module with their signatures', async () => {
    const r = await done(['help', 'net']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^module net: \d+ operators/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}connect +dict:socket str int ==> dict:socket$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}recv-line +dict:socket ==> str$/));
  });

  it('works for every operator, sigil and module', async () => {
    // The names come from the program itself: every symbol, sigil and module it knows.
    const names = await done(['-e', 'symbols (puts!) foreach sigils (puts!) foreach']);
    const all = names.out.trimEnd().split('\n').filter((n) => n !== '');
    expect(all.length).toBeGreaterThan(300);
    const r = await done(['help', ...all]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('an unknown name is an error that names the nearest ones', async () => {
    const r = await done(['help', 'conect']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('min-ts: no help for conect: it is not an operator, a sigil or a module (did you mean connect or concat?)\n');
  });
});

describe('a command line that makes no sense', () => {
  it('an unknown option is named, with the usage, exit 2', async () => {
    const r = await done(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^min-ts: unknown option --bogus\n\nmin-ts .*\n\nUsage:\n/);
    expect(r.out).toBe('');
  });

  it('eval or -e without code, with the usage, exit 2', async () => {
    for (const args of [['eval'], ['-e']]) {
      const r = await done(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^min-ts: (eval|-e) needs the code to run: .*\n\n.*\n\nUsage:/);
    }
  });
});

describe('a program that cannot be read', () => {
  it('a missing file', async () => {
    const r = await done(['nosuch.min']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('min-ts: cannot read nosuch.min: no such file\n');
  });

  it('a directory', async () => {
    const dir = scratch();
    const r = await done([dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`min-ts: cannot read ${dir}: it is a directory\n`);
  });

  it('a file without permission', async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip('running as root, who may read any file');
    const file = script('1 puts!');
    chmodSync(file, 0o000);
    const r = await done([file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`min-ts: cannot read ${file}: permission denied\n`);
  });

  it('bin/min-ts before npm ci (no dist/) says what to do', async () => {
    const install = scratch();
    mkdirSync(join(install, 'bin'));
    copyFileSync(join(root, 'bin', 'min-ts'), join(install, 'bin', 'min-ts'));
    const r = spawnSync(process.execPath, [join(install, 'bin', 'min-ts'), '-e', '1'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`min-ts: ${join(install, 'dist', 'min-ts.cjs')} is missing: run npm ci first in ${install} (it builds dist/)\n`);
  });
});

describe('the program on standard input', () => {
  it('min-ts - reads it, and its arguments follow', async () => {
    const r = await done(['-', 'a', '-3', '--flag'], `${showArgs} 1 2 + puts!`);
    expect(r.code).toBe(0);
    expect(r.out).toBe('("-" "a" "-3")\n{true :flag}\n("-" "a" "-3" "--flag")\n3\n');
  });

  it('a pipe with no program named is run too', async () => {
    const r = await done([], '"piped" puts!');
    expect(r.out).toBe('piped\n');
  });
});

describe('args, opts and raw-args', () => {
  it('options go to opts, a negative number is an argument, after -- everything is', async () => {
    const file = script(showArgs);
    const r = await done([file, '-5', '--name=bob', '-x:1', '-q', '-0.5', '--', '-y', '--z=2', '--']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `("${file}" "-5" "-0.5" "-y" "--z=2" "--")`,
        '{"bob" :name true :q "1" :x}',
        `("${file}" "-5" "--name=bob" "-x:1" "-q" "-0.5" "--" "-y" "--z=2" "--")`,
        '',
      ].join('\n'),
    );
  });

  it('-- before the program ends the interpreter options: the next word is the file', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'help'), '"the file named help" puts!');
    // run() starts in the repository; this one needs the file's directory.
    const r = spawnSync(process.execPath, [join(root, 'bin', 'min-ts'), '--', 'help'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('the file named help\n');
  });

  it('eval code sees only its own arguments', async () => {
    const r = await done(['eval', showArgs, 'a', '--k=v', '-7']);
    expect(r.out).toBe('("a" "-7")\n{"v" :k}\n("a" "--k=v" "-7")\n');
  });

  it('an option named like a property of every JavaScript object is an option like any other', async () => {
    const r = await done(['eval', 'opts puts!', '--__proto__=x', '--constructor']);
    expect(r.out).toBe('{"x" :__proto__ true :constructor}\n');
  });
});
