// The sys module: the working directory, file management, the environment
// and external commands.
import { chmodSync, type Dirent, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { fsPromises } from '../lib/builtins.js';
import { basename, join } from 'node:path';
import { alias, type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { BufferedWriter } from '../core/runtime.js';
import { invalid, MinError } from '../core/errors.js';
import { isStringLike, type Quot, strOf, type Value } from '../core/values.js';
import { makeDict } from '../core/dict.js';
import { noteWait } from '../core/interrupts.js';
import { attempt, attemptAsync, osError } from '../lib/oserror.js';
import { captureShell, runProcess, shellArgs, stripWhitespace } from '../lib/shell.js';
import { findExecutable } from '../lib/which.js';
import { nimJoin, nimParentDir } from './fs.js';
import { byteOrder } from '../core/scope.js';
import { extractZip, writeZip } from '../lib/zip.js';


const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Node's platform names -> the host OS names min reports. */
const OS_NAMES: Record<string, string> = {
  linux: 'linux', darwin: 'macosx', win32: 'windows', freebsd: 'freebsd', openbsd: 'openbsd',
  netbsd: 'netbsd', sunos: 'solaris', aix: 'aix', android: 'linux',
};

function cpuName(): string {
  switch (process.arch) {
    case 'x64':
      return 'amd64';
    case 'ia32':
      return 'i386';
    case 'ppc':
      return 'powerpc';
    case 'ppc64':
      return (process as { endianness?: string }).endianness === 'BE' ? 'powerpc64' : 'powerpc64el';
    default:
      return process.arch;
  }
}

/** chmod's three octal digits written as a decimal int (755) -> the mode bits. */
function modeOf(n: number): number {
  const s = String(n);
  if (n < 0 || !/^[0-7]{1,4}$/.test(s)) throw invalid(`Invalid permissions: ${n} (expected octal digits such as 644 or 755)`);
  return parseInt(s, 8);
}

/** The names in a directory, sorted; none when it cannot be read (Nim's walkDir is silent too). */
function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => byteOrder(a.name, b.name));
  } catch {
    return [];
  }
}

/** `ls`: every entry of dir (files, directories, links), joined to it the Nim way ("./d" lists "d/x"). */
const listDir = (dir: string): string[] => entriesOf(dir).map((e) => nimJoin(dir, e.name));

/**
 * `ls-r`: the files under dir, recursively, as Nim's walkDirRec yields them:
 * files only (no directories, no symbolic links), not following linked
 * directories. Each directory's entries are taken in name order, depth first.
 */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of entriesOf(d)) {
      const p = nimJoin(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.isSymbolicLink()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Where a copy or move of src ends up: inside dest when dest is an existing directory. */
const targetOf = (src: string, dest: string): string => (isDir(dest) && !isDir(src) ? join(dest, basename(src)) : dest);

/** Write a command's output through the runtime unless stdout is the real terminal stream. */
async function systemCommand(i: OpContext, cmd: string): Promise<number> {
  i.rt.flush();
  const [file, args] = shellArgs(cmd);
  if (i.rt.out instanceof BufferedWriter) return runProcess(file, args, { inherit: true });
  return runProcess(file, args, {
    onStdout: (s) => i.rt.out.write(s),
    onStderr: (s) => i.rt.err.write(s),
  });
}

// Node timers hold at most about 24.8 days; longer sleeps wait in steps.
const MAX_TIMER = 2 ** 31 - 1;
async function sleep(ms: number): Promise<void> {
  let left = Math.max(0, ms);
  do {
    const step = Math.min(left, MAX_TIMER);
    await new Promise<void>((res, reject) => {
      let over = false;
      const timer = setTimeout(() => {
        over = true;
        res();
      }, step);
      // A cancelled sleep lets go of its timer, so it keeps nothing alive.
      noteWait((e) => {
        if (over) return false;
        clearTimeout(timer);
        reject(e);
        return true;
      });
    });
    left -= step;
  } while (left > 0);
}

export const sysModule: ModuleDef = {
  name: 'sys',
  ops: [
    op('admin?', '==> bool', 'Whether the program runs with administrative (root) privileges.', () =>
      typeof process.getuid === 'function' ? process.getuid() === 0 : false,
    ),
    op('cd', "'sym ==>", 'Makes sym the current directory.', (_i, p: Value) => {
      const d = strOf(p);
      attempt(`Unable to change directory to '${d}'`, () => process.chdir(d), 'OSError');
    }),
    op('chmod', "'sym int ==>", 'Sets the permissions of sym to int, three octal digits such as 755.', (_i, p: Value, n: number) => {
      const f = strOf(p);
      const mode = modeOf(n);
      attempt(`Unable to change permissions of '${f}'`, () => chmodSync(f, mode), 'OSError');
    }),
    op('cp', "'sym 'sym ==>", 'Copies file or directory sym1 to sym2 (into it, when sym2 is a directory).', (_i, a: Value, b: Value) => {
      const src = strOf(a);
      const dest = targetOf(src, strOf(b));
      if (!existsSync(src)) throw new MinError(`Unable to copy '${src}': no such file or directory`, 'OSError');
      return attemptAsync(`Unable to copy '${src}' to '${dest}'`, () => fsPromises().cp(src, dest, { recursive: true, force: true }), 'OSError');
    }),
    op('cpu', '==> str', 'The host CPU architecture (amd64, arm64, i386...).', () => cpuName()),
    op('env?', "'sym ==> bool", 'Whether environment variable sym is set.', (_i, n: Value) => process.env[strOf(n)] !== undefined),
    op('hardlink', "'sym 'sym ==>", 'Creates hard link sym2 to the file sym1.', (_i, a: Value, b: Value) => {
      const src = strOf(a);
      const link = strOf(b);
      attempt(`Unable to create hard link '${link}'`, () => linkSync(src, link), 'OSError');
    }),
    op('ls', "'sym ==> quot", 'The paths (DIR/NAME) of the files, directories and links in directory sym, in name order; () if it cannot be read.', (_i, d: Value) =>
      listDir(strOf(d)),
    ),
    op('ls-r', "'sym ==> quot", 'The paths of the files under directory sym, recursively (directories and links are not listed).', (_i, d: Value) =>
      listFiles(strOf(d)),
    ),
    op('mkdir', "'sym ==>", 'Creates directory sym, and any missing parent directories.', (_i, d: Value) => {
      const p = strOf(d);
      attempt(`Unable to create directory '${p}'`, () => mkdirSync(p, { recursive: true }), 'OSError');
    }),
    op('mv', "'sym 'sym ==>", 'Moves file or directory sym1 to sym2 (into it, when sym2 is a directory).', async (_i, a: Value, b: Value) => {
      const src = strOf(a);
      const dest = targetOf(src, strOf(b));
      try {
        await fsPromises().rename(src, dest);
      } catch (e) {
        // Across file systems a move is a copy followed by a delete.
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw osError(`Unable to move '${src}' to '${dest}'`, e, 'OSError');
        await attemptAsync(`Unable to move '${src}' to '${dest}'`, async () => {
          await fsPromises().cp(src, dest, { recursive: true, force: true });
          await fsPromises().rm(src, { recursive: true, force: true });
        }, 'OSError');
      }
    }),
    op('os', '==> str', 'The host operating system (linux, macosx, windows...).', () => OS_NAMES[process.platform] ?? process.platform),
    op('parent-dir', '==> str', 'The full path of the parent of the current directory.', () => nimParentDir(process.cwd())),
    alias('..', 'parent-dir'),
    op('pwd', '==> str', 'The full path of the current directory.', () => process.cwd()),
    alias('.', 'pwd'),
    op('rm', "'sym ==>", 'Deletes the file sym.', (_i, p: Value) => {
      const f = strOf(p);
      let st;
      try {
        st = lstatSync(f);
      } catch {
        throw invalid(`File '${f}' does not exist.`);
      }
      if (st.isDirectory()) throw invalid(`'${f}' is a directory (use rmdir).`);
      attempt(`Unable to delete '${f}'`, () => unlinkSync(f), 'OSError');
    }),
    op('rmdir', "'sym ==>", 'Deletes directory sym with everything in it.', (_i, p: Value) => {
      const d = strOf(p);
      if (existsSync(d) && !isDir(d)) throw invalid(`'${d}' is not a directory.`);
      return attemptAsync(`Unable to delete directory '${d}'`, () => fsPromises().rm(d, { recursive: true, force: true }), 'OSError');
    }),
    op('run', "'sym ==> dict", 'Runs shell command sym (through /bin/sh -c) without showing its output; returns {code output}, output being standard output and error together, stripped of surrounding whitespace.', async (_i, c: Value) => {
      const r = await captureShell(strOf(c), true);
      return makeDict([
        ['code', r.code],
        ['output', stripWhitespace(r.output)],
      ]);
    }),
    op('sleep', 'int ==>', 'Waits int milliseconds (other tasks keep running).', (_i, ms: number) => sleep(ms)),
    op('symlink', "'sym 'sym ==>", 'Creates symbolic link sym2 pointing to sym1.', (_i, a: Value, b: Value) => {
      const target = strOf(a);
      const link = strOf(b);
      attempt(`Unable to create symbolic link '${link}'`, () => symlinkSync(target, link, isDir(target) ? 'dir' : 'file'), 'OSError');
    }),
    op('system', "'sym ==> int", 'Runs shell command sym with the standard streams of the program and pushes its exit code.', (i: OpContext, c: Value) =>
      systemCommand(i, strOf(c)),
    ),
    op('system-output', 'str ==> str', 'Runs shell command str and pushes what a [command] gives: its standard output and error together, stripped of surrounding whitespace.', async (_i, cmd: string) =>
      stripWhitespace((await captureShell(cmd, true)).output),
    ),
    op('unzip', "'sym 'sym ==>", 'Extracts zip file sym1 into the new directory sym2 (which must not exist; its parent must).', (_i, a: Value, b: Value) =>
      extractZip(strOf(a), strOf(b)),
    ),
    op('which', "'sym ==> str", 'The full path of executable sym found on $PATH, or "" if there is none.', (_i, n: Value) => findExecutable(strOf(n))),
    op('zip', "quot 'sym ==>", 'Writes zip file sym holding the files and directories (recursively) listed in quot, stored by their paths relative to the current directory.', (_i, q: Quot, z: Value) => {
      const files = q.map((v) => {
        if (!isStringLike(v)) throw invalid('zip expects a quotation of file names');
        return strOf(v);
      });
      return writeZip(files, strOf(z));
    }),
  ],
};
