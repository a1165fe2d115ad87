// The command line, read: what min-ts was asked to do, and the arguments of
// the program it runs. No side effects, so every form can be tested alone.

/** What the command line asks for. */
export type Command =
  | { kind: 'usage' }
  | { kind: 'version' }
  | { kind: 'help'; names: string[] }
  | { kind: 'run'; source: 'file' | 'stdin' | 'eval'; file: string; code: string; programArgs: string[] }
  /** No program named: the shell on a terminal, else the program on standard input. */
  | { kind: 'shell' }
  /** A command line that makes no sense: the message, printed with the usage (exit 2). */
  | { kind: 'wrong'; message: string };

export interface CommandLine {
  command: Command;
  dev: boolean;
  plain: boolean;
}

/**
 * Read the interpreter's options (they come before the program), then the
 * form of the command. After `--` the next word is the program file, even
 * one named `help`, `eval` or starting with a dash.
 */
export function parseCommandLine(argv: string[]): CommandLine {
  const line: CommandLine = { command: { kind: 'shell' }, dev: false, plain: false };
  let k = 0;
  let ended = false;
  for (; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') {
      ended = true;
      k++;
      break;
    }
    if (a === '-' || !a.startsWith('-')) break;
    if (a === '-d' || a === '--dev') line.dev = true;
    else if (a === '-j') line.plain = true;
    else if (a === '-h' || a === '--help') return { ...line, command: { kind: 'usage' } };
    else if (a === '-v' || a === '--version') return { ...line, command: { kind: 'version' } };
    else if (a === '-e') {
      const code = argv[k + 1];
      if (code === undefined) return { ...line, command: { kind: 'wrong', message: '-e needs the code to run: min-ts -e "CODE"' } };
      return { ...line, command: { kind: 'run', source: 'eval', file: '<eval>', code, programArgs: argv.slice(k + 2) } };
    } else return { ...line, command: { kind: 'wrong', message: `unknown option ${a}` } };
  }
  const rest = argv.slice(k);
  const first = rest[0];
  if (first === undefined) line.command = { kind: 'shell' };
  else if (!ended && first === 'help') line.command = rest.length === 1 ? { kind: 'usage' } : { kind: 'help', names: rest.slice(1) };
  else if (!ended && first === 'eval') {
    const code = rest[1];
    line.command =
      code === undefined
        ? { kind: 'wrong', message: 'eval needs the code to run: min-ts eval "CODE"' }
        : { kind: 'run', source: 'eval', file: '<eval>', code, programArgs: rest.slice(2) };
  } else if (!ended && first === '-') line.command = { kind: 'run', source: 'stdin', file: '<stdin>', code: '', programArgs: rest };
  else line.command = { kind: 'run', source: 'file', file: first, code: '', programArgs: rest };
  return line;
}

/** Whether a program argument is an option: `-name`, `--name=value`; not `-`, `--` or a negative number. */
const isOption = (a: string): boolean => /^--?[^-\d.]/.test(a);

/** `-name` and `--name` are true, `-name:value` and `--name=value` the string value. */
function option(a: string): [string, string | boolean] {
  const body = a.replace(/^--?/, '');
  const m = /^([^:=]+)[:=](.*)$/.exec(body);
  return m ? [m[1]!, m[2]!] : [body, true];
}

export interface ProgramArguments {
  /** `args`: the program (file, `-`) and its arguments, options left out. */
  args: string[];
  /** `opts`: the options. */
  opts: Record<string, string | boolean>;
  /** `raw-args`: all of them as given, options and `--` included. */
  rawArgs: string[];
}

/**
 * Split a program's arguments. `withProgram`: the first word names the
 * program (a file, `-`), and is an argument whatever it looks like. After
 * `--` every word is an argument.
 */
export function programArguments(words: string[], withProgram: boolean): ProgramArguments {
  const args: string[] = [];
  // No prototype: an option named __proto__ is an option like any other.
  const opts: Record<string, string | boolean> = Object.create(null);
  let ended = false;
  words.forEach((a, k) => {
    if ((withProgram && k === 0) || ended) args.push(a);
    else if (a === '--') ended = true;
    else if (isOption(a)) {
      const [name, value] = option(a);
      opts[name] = value;
    } else args.push(a);
  });
  return { args, opts, rawArgs: words.slice() };
}
