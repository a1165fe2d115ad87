// The min-ts command line: run a file, `eval`/`-e` code, a program on
// standard input, `help SYMBOL`, or the interactive shell.
import { readFileSync } from 'node:fs';
import { createRuntime } from './ops/modules.js';
import { runProgram } from './core/interpreter.js';
import { VERSION } from './ops/global.js';
import { helpText } from './core/help.js';
import { Machine } from './core/machine.js';
import { describeUncaught } from './core/uncaught.js';
import { toMinError } from './core/errors.js';
import { stdinLines } from './lib/stdin.js';

const USAGE = `min-ts ${VERSION} - the min language (v0.44) with a network stack

Usage:
  min-ts [options] FILE [args...]   run a min program
  min-ts [options] eval "CODE"      run CODE (also: -e "CODE")
  min-ts [options] < FILE           run the program on standard input
  min-ts help SYMBOL                describe an operator
  min-ts                            start the interactive shell (on a terminal)

Options:
  -d, --dev        development mode: check operator types, stack pollution, expect, dequote
  -h, --help       this text
  -v, --version    print the version
  -j               plain shell without line editing
`;

/** min-style options: -name, -name:value, --name, --name=value. */
function parseOpt(a: string): [string, string | boolean] {
  const body = a.replace(/^--?/, '');
  const m = /^([^:=]+)[:=](.*)$/.exec(body);
  return m ? [m[1]!, m[2]!] : [body, true];
}

async function main(argv: string[]): Promise<number> {
  let dev = false;
  let plain = false;
  let k = 0;
  let code: string | null = null;
  // Interpreter options come before the file or command.
  for (; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '-d' || a === '--dev') dev = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a === '-v' || a === '--version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    } else if (a === '-j') plain = true;
    else if (a === '-e') {
      code = argv[++k] ?? '';
      k++;
      break;
    } else break;
  }
  const rest = argv.slice(k);
  if (code === null && rest[0] === 'help' && rest.length === 2) {
    const rt = createRuntime();
    try {
      process.stdout.write(helpText(new Machine(rt), rest[1]!) + '\n');
      return 0;
    } catch (e) {
      process.stderr.write(describeUncaught(toMinError(e)) + '\n');
      return 1;
    }
  }
  let file = '<eval>';
  let programArgs: string[];
  if (code === null && rest[0] === 'eval') {
    code = rest[1] ?? '';
    programArgs = rest.slice(2);
  } else if (code !== null) {
    programArgs = rest;
  } else if (rest.length > 0) {
    file = rest[0]!;
    try {
      code = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`min-ts: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 1;
    }
    programArgs = rest;
  } else if (!process.stdin.isTTY) {
    code = readFileSync(0, 'utf8');
    file = '<stdin>';
    programArgs = [];
  } else {
    const { startRepl } = await import('./repl/repl.js');
    return startRepl({ dev, plain });
  }
  const args = programArgs.filter((a) => !/^-./.test(a));
  const opts = Object.fromEntries(programArgs.filter((a) => /^-./.test(a)).map(parseOpt));
  const stdin = file === '<stdin>' ? async () => null : stdinLines();
  const rt = createRuntime({ args, rawArgs: programArgs, opts, dev, readLine: stdin });
  // Node's event loop emptied while the program still runs: every task waits
  // for something nothing left can bring (a channel no other task will
  // touch). Said, rather than ending quietly with 0.
  process.once('beforeExit', () => {
    rt.flush();
    process.stderr.write('min-ts: deadlock: every task is waiting (on a channel, a task...) and nothing left can wake them\n');
    process.exit(1);
  });
  const result = await runProgram(rt, code, file);
  return result.code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`min-ts: internal error: ${(e as Error)?.message ?? e}\n`);
    process.exit(70);
  },
);
