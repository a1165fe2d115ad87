// What `min-ts --help` prints: the forms of the command, the options, how a
// program sees its arguments, and where the documentation is.
import { dirname, resolve } from 'node:path';
import { VERSION } from './ops/global.js';

/** Where this installation is (bin/min-ts lives in its bin/ folder). */
function installation(): string {
  const bin = process.argv[1];
  return bin ? resolve(dirname(bin), '..') : '.';
}

export function usage(): string {
  return `min-ts ${VERSION} - the min language (v0.44) with a network stack

Usage:
  min-ts [options] FILE [args...]         run the min program in FILE
  min-ts [options] - [args...]            run the program read from standard input
  min-ts [options] eval CODE [args...]    run CODE (also: min-ts -e CODE [args...])
  min-ts help                             this text (also: -h, --help)
  min-ts help NAME...                     describe an operator, a sigil or a module
                                          (min-ts help net lists the net module)
  min-ts [options]                        the interactive shell on a terminal;
                                          otherwise the program on standard input

Options (before FILE, eval or -):
  -d, --dev        development mode: check operator types, stack pollution,
                   expect and dequote, as native min does with -d
  -e CODE          run CODE
  -j               the plain shell, without line editing
  -h, --help       this text
  -v, --version    print the version
  --               the end of the options: the next word is FILE, whatever it is

What the program sees of its arguments:
  args       the program (FILE, or - ) and its arguments, without the options
  opts       the options as a dict: -name and --name are true,
             -name:value and --name=value give the string value
  raw-args   the program and all its arguments as given, options and -- included
  A negative number (-5) is an argument, not an option; after -- every word
  is an argument: min-ts s.min -- -5 --name=bob puts -5 and --name=bob in args.

Documentation: README.md and docs/ in ${installation()}
(docs/repl.md: the shell; docs/net.md: sockets and tasks; docs/language.md:
errors and limits), and https://min-lang.org/reference/ for the modules.
`;
}
