// The min-ts command line: run a file, `eval`/`-e` code, a program on
// standard input (`-`, or a pipe), `help`, or the interactive shell.
import { readFileSync } from 'node:fs';
import { createRuntime } from './ops/modules.js';
import { runProgram } from './core/interpreter.js';
import { VERSION } from './ops/global.js';
import { findHelpText } from './core/help.js';
import { Machine } from './core/machine.js';
import { MinError } from './core/errors.js';
import { stdinLines } from './lib/stdin.js';
import { readTextSync } from './lib/read-text.js';
import { osReason } from './lib/oserror.js';
import { parseCommandLine, programArguments } from './cli-args.js';
import { usage } from './cli-usage.js';
import { unknownHelp } from './cli-help.js';

/** Exit codes: a failed program, and a command line that makes no sense (as most Unix tools). */
const FAILED = 1;
const WRONG_USAGE = 2;

/** Why a program file cannot be read, in words. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

function cannotRead(file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why = e instanceof MinError ? e.message : (code && READ_FAILURES[code]) || osReason(e);
  return `min-ts: cannot read ${file}: ${why}\n`;
}

function help(names: string[]): number {
  const m = new Machine(createRuntime());
  let code = 0;
  for (const name of names) {
    const text = findHelpText(m, name);
    if (text !== null) process.stdout.write(text + '\n');
    else {
      process.stderr.write(unknownHelp(m, name) + '\n');
      code = FAILED;
    }
  }
  return code;
}

async function main(argv: string[]): Promise<number> {
  const { command, dev, plain } = parseCommandLine(argv);
  switch (command.kind) {
    case 'usage':
      process.stdout.write(usage());
      return 0;
    case 'version':
      process.stdout.write(VERSION + '\n');
      return 0;
    case 'wrong':
      process.stderr.write(`min-ts: ${command.message}\n\n${usage()}`);
      return WRONG_USAGE;
    case 'help':
      return help(command.names);
    case 'shell':
      if (process.stdin.isTTY) {
        const { startRepl } = await import('./repl/repl.js');
        return startRepl({ dev, plain });
      }
      return run('<stdin>', readFileSync(0, 'utf8'), [], dev, true);
    case 'run': {
      if (command.source === 'eval') return run(command.file, command.code, command.programArgs, dev, false);
      if (command.source === 'stdin') return run(command.file, readFileSync(0, 'utf8'), command.programArgs, dev, true);
      let code: string;
      try {
        code = readTextSync(command.file);
      } catch (e) {
        process.stderr.write(cannotRead(command.file, e));
        return FAILED;
      }
      return run(command.file, code, command.programArgs, dev, false);
    }
  }
}

/** Run a program; `fromStdin`: its text was standard input, so the program's own input is empty. */
async function run(file: string, code: string, words: string[], dev: boolean, fromStdin: boolean): Promise<number> {
  const { args, opts, rawArgs } = programArguments(words, file !== '<eval>');
  const readLine = fromStdin ? async () => null : stdinLines();
  const rt = createRuntime({ args, rawArgs, opts, dev, readLine });
  // Node's event loop emptied while the program still runs: every task waits
  // for something nothing left can bring (a channel no other task will
  // touch). Said, rather than ending quietly with 0.
  process.once('beforeExit', () => {
    rt.flush();
    process.stderr.write('min-ts: deadlock: every task is waiting (on a channel, a task...) and nothing left can wake them\n');
    process.exit(1);
  });
  return (await runProgram(rt, code, file)).code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`min-ts: internal error: ${(e as Error)?.message ?? e}\n`);
    process.exit(70);
  },
);
