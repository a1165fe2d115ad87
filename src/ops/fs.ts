// The fs module: questions about files and directories, and path arithmetic.
import { existsSync, lstatSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { os } from '../lib/builtins.js';
import { isAbsolute, relative } from 'node:path';
import { type ModuleDef, op } from '../core/registry.js';
import { invalid } from '../core/errors.js';
import { Dict, isStringLike, type Quot, strOf, Sym, type Value } from '../core/values.js';
import { attempt } from '../lib/oserror.js';
import { makeDict } from '../core/dict.js';


const stat = (p: string): Stats => attempt(`Unable to get information on '${p}'`, () => statSync(p), 'OSError');

const probe = (p: string, test: (s: Stats) => boolean, follow = true): boolean => {
  try {
    return test(follow ? statSync(p) : lstatSync(p));
  } catch {
    return false;
  }
};

/** Timestamps are whole seconds since the epoch, as ints (as native min reports them). */
const seconds = (ms: number): number => Math.floor(ms / 1000);

/** The permission bits as min writes them: octal digits read as a decimal int (644). */
const permsOf = (s: Stats): number => parseInt((s.mode & 0o777).toString(8), 10);

// min reads file information through symbolic links (Nim's getFileInfo
// follows them), so a kind is only ever "dir" or "file", as the reference says.
const typeOf = (s: Stats): string => (s.isDirectory() ? 'dir' : 'file');

// ---- Nim's path arithmetic ---------------------------------------------------
// min's path operators are thin wrappers around Nim's os/pathnorm procs, whose
// results differ from Node's path module at the edges ("a/b/c/.." dirname is
// "a", ("." "x") join-path is "./x", "./d" ls lists "d/x"), so these follow
// Nim's algorithms (POSIX flavor) instead.

/** Path components as Nim's PathIter yields them: a leading "/" is a component of its own. */
function components(x: string, notFirst: boolean): string[] {
  const out: string[] = [];
  let k = 0;
  if (notFirst) while (k < x.length && x[k] === '/') k++;
  while (k < x.length) {
    const start = k;
    if (!notFirst && x[k] === '/') k++;
    else while (k < x.length && x[k] !== '/') k++;
    out.push(x.slice(start, k));
    while (k < x.length && x[k] === '/') k++;
    notFirst = true;
  }
  return out;
}

/** State of a path being normalized: whether it is absolute, and how many components it holds. */
interface NormState {
  abs: boolean;
  n: number;
}

/** Nim's addNormalizePath: append x to acc, dropping "." and folding "..". */
function addNormalized(x: string, acc: string, st: NormState): string {
  const sepNeeded = () => acc.length > 0 && !acc.endsWith('/');
  for (const c of components(x, st.n > 0 || st.abs)) {
    if (st.n === 0 && c === '/') {
      if (!acc.endsWith('/')) acc += '/';
      st.abs = true;
    } else if (c === '..') {
      if (st.n >= 1) {
        let d = acc.length;
        const floor = st.abs ? 1 : 0;
        while (d - 1 > floor && acc[d - 1] !== '/') d--;
        if (d > 0) {
          acc = acc.slice(0, d - 1);
          st.n--;
        }
      } else {
        if (sepNeeded()) acc += '/';
        acc += '..';
      }
    } else if (c !== '.' && c !== '') {
      if (sepNeeded()) acc += '/';
      acc += c;
      st.n++;
    }
  }
  if (acc === '' && x !== '') acc = '.';
  return acc;
}

/** Nim's normalizePathEnd: exactly zero or one trailing slash (trailing "/." counts as one). */
function normalizeEnd(p: string, trailingSep: boolean): string {
  if (p === '') return p;
  let k = p.length;
  while (k >= 1) {
    if (p[k - 1] === '/') k--;
    else if (p[k - 1] === '.' && k >= 2 && p[k - 2] === '/') k--;
    else break;
  }
  if (trailingSep) return p.slice(0, k) + '/';
  return k > 0 ? p.slice(0, k) : '/';
}

/** Nim's normalizePath: single slashes, no "." components, ".." folded where possible. */
export function nimNormalize(p: string): string {
  return addNormalized(p, '', { abs: false, n: 0 });
}

/** Nim's joinPath (the `/` operator): normalizes while joining; a trailing slash on the last part stays. */
export function nimJoin(...parts: string[]): string {
  let acc = '';
  const st: NormState = { abs: false, n: 0 };
  for (const tail of parts) {
    const trailing = tail.endsWith('/') || (tail === '' && acc.endsWith('/'));
    acc = normalizeEnd(acc, false);
    acc = addNormalized(tail, acc, st);
    acc = normalizeEnd(acc, trailing);
  }
  return acc;
}

/** Nim's parentDir: "a/b/c/.." -> "a", "file" -> ".", and "" for "/", "." and "..". */
export function nimParentDir(p: string): string {
  const s = nimNormalize(p);
  const q = s.endsWith('/') ? 2 : 1;
  let sep = -1;
  for (let k = s.length - q; k >= 0; k--) {
    if (s[k] === '/') {
      sep = k;
      break;
    }
  }
  if (sep >= 0) return normalizeEnd(s.slice(0, sep + 1), false);
  if (s === '..' || s === '.' || s === '' || s.endsWith('/')) return '';
  return '.';
}

/** Nim's extractFilename: what follows the last slash ("" when the path ends with one). */
const extractFilename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Nim's lastPathPart: the file name, ignoring trailing slashes. */
const lastPathPart = (p: string): string => extractFilename(p === '' ? p : normalizeEnd(p, false));

const expandTilde = (p: string): string =>
  p === '~' || p.startsWith('~/') ? (process.env.HOME ?? os().homedir()) + p.slice(1) : p;

function fstats(p: string): Dict {
  const s = stat(p);
  return makeDict([
    ['name', p],
    ['device', s.dev],
    ['file', s.ino],
    ['type', typeOf(s)],
    ['size', s.size],
    ['permissions', permsOf(s)],
    ['nlinks', s.nlink],
    ['ctime', seconds(s.ctimeMs)],
    ['atime', seconds(s.atimeMs)],
    ['mtime', seconds(s.mtimeMs)],
  ]);
}

export const fsModule: ModuleDef = {
  name: 'fs',
  ops: [
    op('absolute-path', "'sym ==> str", 'The absolute path of sym, resolved from the current directory.', (_i, p: Value) => {
      const s = strOf(p);
      return isAbsolute(s) ? s : nimJoin(process.cwd(), s);
    }),
    op('absolute-path?', "'sym ==> bool", 'Whether sym is an absolute path.', (_i, p: Value) => isAbsolute(strOf(p))),
    op('atime', "'sym ==> int", 'When sym was last accessed (seconds since the epoch).', (_i, p: Value) => seconds(stat(strOf(p)).atimeMs)),
    op('ctime', "'sym ==> int", 'When the status of sym last changed (seconds since the epoch).', (_i, p: Value) => seconds(stat(strOf(p)).ctimeMs)),
    op('dir?', "'sym ==> bool", 'Whether sym exists and is a directory.', (_i, p: Value) => probe(strOf(p), (s) => s.isDirectory())),
    op('dirname', "'sym ==> str", 'The directory part of path sym.', (_i, p: Value) => nimParentDir(strOf(p))),
    op('exists?', "'sym ==> bool", 'Whether file or directory sym exists.', (_i, p: Value) => existsSync(strOf(p))),
    op('expand-filename', "'sym ==> str", 'The absolute path of the existing file sym, with ~ and symbolic links resolved.', (_i, p: Value) => {
      const s = expandTilde(strOf(p));
      return attempt(`Unable to expand '${s}'`, () => realpathSync(s), 'OSError');
    }),
    // As native min (Nim's expandSymlink), the link's own text, not resolved.
    op('expand-symlink', "'sym ==> str", 'The path symbolic link sym holds, as written in the link.', (_i, p: Value) => {
      const s = strOf(p);
      if (!probe(s, (st) => st.isSymbolicLink(), false)) throw invalid(`'${s}' is not a symbolic link`);
      return attempt(`Unable to read symbolic link '${s}'`, () => readlinkSync(s), 'OSError');
    }),
    // Like Nim's fileExists: anything that exists and is not a directory (devices too).
    op('file?', "'sym ==> bool", 'Whether sym exists and is a file.', (_i, p: Value) => probe(strOf(p), (s) => !s.isDirectory())),
    op('filename', "'sym ==> str", 'The file name part of path sym (after the last slash).', (_i, p: Value) => extractFilename(strOf(p))),
    op('fperms', "'sym ==> int", 'The Unix permissions of sym as three octal digits (e.g. 644).', (_i, p: Value) => permsOf(stat(strOf(p)))),
    op('fsize', "'sym ==> int", 'The size of sym in bytes.', (_i, p: Value) => stat(strOf(p)).size),
    op('fstats', "'sym ==> dict", 'A dict describing sym: name device file type size permissions nlinks ctime atime mtime.', (_i, p: Value) => fstats(strOf(p))),
    op('ftype', "'sym ==> str", 'The kind of sym (symbolic links followed): "file" or "dir".', (_i, p: Value) => typeOf(stat(strOf(p)))),
    op('hidden?', "'sym ==> bool", 'Whether the name of sym starts with a dot (and is not . or ..).', (_i, p: Value) => {
      const name = lastPathPart(strOf(p));
      return name.length > 1 && name.startsWith('.') && name !== '..';
    }),
    op('join-path', 'quot ==> str', 'Joins the path parts in quot (strings or symbols) with /, resolving . and .. parts.', (_i, q: Quot) => {
      const parts = q.map((v) => {
        // A bare word names a part too, as natively: (a b) join-path is "a/b".
        if (v instanceof Sym) return v.name;
        if (!isStringLike(v)) throw invalid('join-path expects a quotation of strings');
        return strOf(v);
      });
      return nimJoin(...parts);
    }),
    op('mtime', "'sym ==> int", 'When sym was last modified (seconds since the epoch).', (_i, p: Value) => seconds(stat(strOf(p)).mtimeMs)),
    op('normalized-path', "'sym ==> str", 'Path sym with ., .. and repeated slashes resolved.', (_i, p: Value) => nimNormalize(strOf(p))),
    op('relative-path', "'sym 'sym ==> str", 'The path of sym1 relative to sym2.', (_i, a: Value, b: Value) => {
      const path = strOf(a);
      // Nim's relativePath: an empty path stays empty rather than meaning the current directory.
      return path === '' ? '' : relative(strOf(b), path) || '.';
    }),
    op('symlink?', "'sym ==> bool", 'Whether sym exists and is a symbolic link.', (_i, p: Value) => probe(strOf(p), (s) => s.isSymbolicLink(), false)),
    op('unix-path', "'sym ==> str", 'Path sym with every backslash turned into a slash.', (_i, p: Value) => strOf(p).replace(/\\/g, '/')),
    op('windows-path', "'sym ==> str", 'Path sym with every slash turned into a backslash.', (_i, p: Value) => strOf(p).replace(/\//g, '\\')),
  ],
};
