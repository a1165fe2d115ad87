// The fs module: questions about files and directories, and path arithmetic.
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { posix, isAbsolute, resolve, dirname, relative } from 'node:path';
import { op, type ModuleDef } from '../lang/registry.js';
import { invalid } from '../lang/errors.js';
import { Dict, Flt, isStringLike, strOf, type Value } from '../lang/values.js';
import { Scope, valueEntry } from '../lang/scope.js';
import { attempt } from '../lang/oserror.js';

type Q = Value[];

const stat = (p: string): Stats => attempt(`Unable to get information on '${p}'`, () => statSync(p));
const lstat = (p: string): Stats => attempt(`Unable to get information on '${p}'`, () => lstatSync(p));

const probe = (p: string, test: (s: Stats) => boolean, follow = true): boolean => {
  try {
    return test(follow ? statSync(p) : lstatSync(p));
  } catch {
    return false;
  }
};

/** Timestamps are whole seconds since the epoch, as floats (as min reports them). */
const seconds = (ms: number): Flt => new Flt(Math.floor(ms / 1000));

/** The permission bits as min writes them: octal digits read as a decimal int (644). */
const permsOf = (s: Stats): number => parseInt((s.mode & 0o777).toString(8), 10);

function typeOf(s: Stats): string {
  if (s.isSymbolicLink()) return 'link';
  if (s.isDirectory()) return 'dir';
  if (s.isFile()) return 'file';
  return 'other';
}

/** Remove a trailing slash, except from the root itself. */
const trimSlash = (p: string): string => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

const expandTilde = (p: string): string =>
  p === '~' || p.startsWith('~/') ? (process.env.HOME ?? homedir()) + p.slice(1) : p;

function fstats(p: string): Dict {
  const s = lstat(p);
  const d = new Scope(null);
  const set = (k: string, v: Value) => d.set(k, valueEntry(v));
  set('name', p);
  set('device', s.dev);
  set('file', s.ino);
  set('type', typeOf(s));
  set('size', s.size);
  set('permissions', permsOf(s));
  set('nlinks', s.nlink);
  set('ctime', seconds(s.ctimeMs));
  set('atime', seconds(s.atimeMs));
  set('mtime', seconds(s.mtimeMs));
  return new Dict(d);
}

export const fsModule: ModuleDef = {
  name: 'fs',
  ops: [
    op('absolute-path', "'sym ==> str", 'The absolute path of sym, resolved from the current directory.', (_i, p: Value) => {
      const s = strOf(p);
      return isAbsolute(s) ? s : resolve(s);
    }),
    op('absolute-path?', "'sym ==> bool", 'Whether sym is an absolute path.', (_i, p: Value) => isAbsolute(strOf(p))),
    op('atime', "'sym ==> flt", 'When sym was last accessed (seconds since the epoch).', (_i, p: Value) => seconds(stat(strOf(p)).atimeMs)),
    op('ctime', "'sym ==> flt", 'When the status of sym last changed (seconds since the epoch).', (_i, p: Value) => seconds(stat(strOf(p)).ctimeMs)),
    op('dir?', "'sym ==> bool", 'Whether sym exists and is a directory.', (_i, p: Value) => probe(strOf(p), (s) => s.isDirectory())),
    op('dirname', "'sym ==> str", 'The directory part of path sym.', (_i, p: Value) => dirname(strOf(p))),
    op('exists?', "'sym ==> bool", 'Whether file or directory sym exists.', (_i, p: Value) => existsSync(strOf(p))),
    op('expand-filename', "'sym ==> str", 'The absolute path of the existing file sym, with ~ and symbolic links resolved.', (_i, p: Value) => {
      const s = expandTilde(strOf(p));
      return attempt(`Unable to expand '${s}'`, () => realpathSync(s));
    }),
    op('expand-symlink', "'sym ==> str", 'The absolute path that symbolic link sym points to.', (_i, p: Value) => {
      const s = strOf(p);
      if (!probe(s, (st) => st.isSymbolicLink(), false)) throw invalid(`'${s}' is not a symbolic link`);
      const target = attempt(`Unable to read symbolic link '${s}'`, () => readlinkSync(s));
      return resolve(dirname(resolve(s)), target);
    }),
    op('file?', "'sym ==> bool", 'Whether sym exists and is a file.', (_i, p: Value) => probe(strOf(p), (s) => s.isFile())),
    op('filename', "'sym ==> str", 'The file name part of path sym (after the last slash).', (_i, p: Value) => {
      const s = strOf(p);
      return s.slice(s.lastIndexOf('/') + 1);
    }),
    op('fperms', "'sym ==> int", 'The Unix permissions of sym as three octal digits (e.g. 644).', (_i, p: Value) => permsOf(stat(strOf(p)))),
    op('fsize', "'sym ==> int", 'The size of sym in bytes.', (_i, p: Value) => stat(strOf(p)).size),
    op('fstats', "'sym ==> dict", 'A dict describing sym: name device file type size permissions nlinks ctime atime mtime.', (_i, p: Value) => fstats(strOf(p))),
    op('ftype', "'sym ==> str", 'The kind of sym: "file", "dir" or "link".', (_i, p: Value) => typeOf(lstat(strOf(p)))),
    op('hidden?', "'sym ==> bool", 'Whether the name of sym starts with a dot (and is not . or ..).', (_i, p: Value) => {
      const s = trimSlash(strOf(p));
      const name = s.slice(s.lastIndexOf('/') + 1);
      return name.length > 1 && name.startsWith('.') && name !== '..';
    }),
    op('join-path', 'quot ==> str', 'Joins the path parts in quot with /.', (_i, q: Q) => {
      const parts = q.map((v) => {
        if (!isStringLike(v)) throw invalid('join-path expects a quotation of strings');
        return strOf(v);
      });
      return parts.length ? posix.join(...parts) : '';
    }),
    op('mtime', "'sym ==> flt", 'When sym was last modified (seconds since the epoch).', (_i, p: Value) => seconds(stat(strOf(p)).mtimeMs)),
    op('normalized-path', "'sym ==> str", 'Path sym with ., .. and repeated slashes resolved.', (_i, p: Value) => {
      const s = strOf(p);
      return s === '' ? '' : trimSlash(posix.normalize(s));
    }),
    op('relative-path', "'sym 'sym ==> str", 'The path of sym1 relative to sym2.', (_i, a: Value, b: Value) => relative(strOf(b), strOf(a)) || '.'),
    op('symlink?', "'sym ==> bool", 'Whether sym exists and is a symbolic link.', (_i, p: Value) => probe(strOf(p), (s) => s.isSymbolicLink(), false)),
    op('unix-path', "'sym ==> str", 'Path sym with every backslash turned into a slash.', (_i, p: Value) => strOf(p).replace(/\\/g, '/')),
    op('windows-path', "'sym ==> str", 'Path sym with every slash turned into a backslash.', (_i, p: Value) => strOf(p).replace(/\//g, '\\')),
  ],
};
