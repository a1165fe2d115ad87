// Finding and reading min source files for `load`, `require` and the CLI.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { os } from './builtins.js';
import { MinError } from '../core/errors.js';
import type { Sym } from '../core/values.js';

/** The directory relative paths are resolved from: the file the symbol came from. */
export function baseDir(sym: Sym | null): string {
  const f = sym?.src?.file;
  if (f && !f.startsWith('<')) return dirname(resolve(f));
  return process.cwd();
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** `load`: the file itself, or with `.min` added. */
export function findLoad(name: string, from: string): string {
  const p = isAbsolute(name) ? name : join(from, name);
  for (const c of [p, p + '.min']) if (isFile(c)) return c;
  throw new MinError(`File not found: ${name}`, 'IOError');
}

/** `require`: next to the current file, then mmm/NAME/x/index.min here, then in $HOME/mmm. */
export function findModule(name: string, from: string): string {
  const p = isAbsolute(name) ? name : join(from, name);
  for (const c of [p + '.min', p]) if (isFile(c)) return c;
  for (const root of [join(from, 'mmm', name), join(process.env.HOME ?? os().homedir(), 'mmm', name)]) {
    if (!existsSync(root)) continue;
    let versions: string[] = [];
    try {
      versions = readdirSync(root).sort();
    } catch {
      continue;
    }
    for (const v of versions) {
      const idx = join(root, v, 'index.min');
      if (isFile(idx)) return idx;
    }
  }
  throw new MinError(`Module not found: ${name}`, 'IOError');
}

export function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new MinError(`Cannot read ${path}: ${(e as Error).message}`, 'IOError');
  }
}
