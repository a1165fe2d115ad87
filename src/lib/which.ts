// Looking executables up on $PATH, as `which` and the zip operators need.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

const WINDOWS = process.platform === 'win32';

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (!WINDOWS) accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The full path of executable `name`, or '' when $PATH has none. */
export function findExecutable(name: string): string {
  if (!name) return '';
  const exts = WINDOWS ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  if (name.includes('/') || (WINDOWS && name.includes('\\'))) {
    for (const e of exts) if (executable(name + e)) return isAbsolute(name) ? name + e : resolve(name + e);
    return '';
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const e of exts) {
      const p = join(dir, name + e);
      if (executable(p)) return isAbsolute(p) ? p : resolve(p);
    }
  }
  return '';
}
