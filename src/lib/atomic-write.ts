// Writing files so that nothing written is lost or torn. A file is replaced
// by writing a temporary file beside it, flushing it to disk and renaming it
// over the target: a reader, a crash or `kill -9` sees the old contents or
// the new, never a part, and two writes of the same path leave one of them
// whole. An append is one write(2) on a descriptor opened with O_APPEND, so
// two appends, from two tasks or two processes, never interleave.
//
// A file with several hard links is the exception: replacing it would leave
// the other names with the old contents, where native min (and every program
// that shares a file that way) expects all of them to change. It is written in
// place, the whole of it in one write before the old tail is cut.
import type { FileHandle } from 'node:fs/promises';
import { fsPromises } from './builtins.js';
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Stats } from 'node:fs';

let written = 0;

/**
 * The name of the temporary file that replaces `target`: hidden, beside it,
 * and recognisable, so that one left by a killed process (`kill -9` runs no
 * cleanup) can be found and removed: `.NAME.min-ts-PID-UNIQUE.tmp`, where PID
 * is the process that wrote it. docs/language.md describes the pattern.
 */
export function tempPathFor(target: string): string {
  const unique = `${(++written).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(target), `.${basename(target)}.min-ts-${process.pid}-${unique}.tmp`);
}

/** Replace the contents of `path` with `data`, atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return replaceFile(path, (file) => file.writeFile(data), () => writeInPlace(path, data));
}

/**
 * Replace the contents of `path` with what `fill` writes to the open file
 * (from its start, in order), atomically: for contents that arrive a piece at
 * a time, such as a download. If `fill` fails, the target is left as it was.
 * A file with several hard links gets the whole of it copied in once `fill`
 * is done.
 */
export async function writeStreamAtomic(path: string, fill: (file: FileHandle) => Promise<void>): Promise<void> {
  return replaceFile(path, fill, async (target) => {
    const temp = tempPathFor(target);
    await fillTemp(await fsPromises().open(temp, 'wx', 0o600), temp, fill);
    try {
      // copyFile opens the target with O_TRUNC: the same inode, so every name sees it.
      await fsPromises().copyFile(temp, target);
    } finally {
      await fsPromises().unlink(temp).catch(() => {});
    }
  });
}

async function replaceFile(path: string, fill: (file: FileHandle) => Promise<void>, linked: (target: string) => Promise<void>): Promise<void> {
  const existing = await statOrNull(path);
  // A device, a FIFO or a socket (/dev/null, /dev/stdout) is written as it is:
  // renaming a file over it would replace the device.
  if (existing !== null && !existing.isFile()) return fillInPlace(path, fill);
  if (existing !== null && existing.nlink > 1) return linked(path);
  // Through a symbolic link, the file it points to is replaced, not the link.
  const target = existing !== null ? await fsPromises().realpath(path) : await danglingTarget(path);
  const temp = tempPathFor(target);
  // A new file gets the mode writeFile would give it (0666 less the umask);
  // a replaced one keeps its mode, and its owner where the process may set it.
  const mode = existing !== null ? existing.mode & 0o7777 : 0o666;
  let file: FileHandle;
  try {
    file = await fsPromises().open(temp, 'wx', mode);
  } catch (e) {
    // A file the process may write in a directory it may not: only an
    // in-place write is possible there.
    const code = (e as NodeJS.ErrnoException).code;
    if (existing !== null && (code === 'EACCES' || code === 'EPERM')) return fillInPlace(target, fill);
    throw e;
  }
  await fillTemp(file, temp, async () => {
    if (existing !== null) {
      await file.chmod(mode);
      if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) {
        await file.chown(existing.uid, existing.gid).catch(() => {});
      }
    }
    await fill(file);
  });
  try {
    await fsPromises().rename(temp, target);
  } catch (e) {
    await fsPromises().unlink(temp).catch(() => {});
    throw e;
  }
  await syncDirectory(dirname(target));
}

/** Let `fill` write the new temporary file `temp`, flush it to disk and close it; on any failure it is removed. */
async function fillTemp(file: FileHandle, temp: string, fill: (file: FileHandle) => Promise<void>): Promise<void> {
  try {
    await fill(file);
    await file.sync();
    await file.close();
  } catch (e) {
    await file.close().catch(() => {});
    await fsPromises().unlink(temp).catch(() => {});
    throw e;
  }
}

/** Truncate `path` and let `fill` write it: for devices, and files in a directory the process may not write. */
async function fillInPlace(path: string, fill: (file: FileHandle) => Promise<void>): Promise<void> {
  const file = await fsPromises().open(path, 'w');
  try {
    await fill(file);
  } finally {
    await file.close();
  }
}

/**
 * Replace the contents of `path` with `data`, atomically, without giving up
 * the thread: for a read-modify-write that no other task may interleave with
 * (the saved-symbols file). The same steps as writeFileAtomic: a temporary
 * file beside the target (through a link, the file it points to), flushed,
 * renamed over it; the mode of a replaced file kept.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  let existing: Stats | null = null;
  try {
    existing = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing !== null && !existing.isFile()) return writeFileSync(path, data);
  const target = existing !== null ? realpathSync(path) : path;
  const temp = tempPathFor(target);
  const mode = existing !== null ? existing.mode & 0o7777 : 0o666;
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      if (existing !== null) fchmodSync(fd, mode);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed.
    }
    throw e;
  }
}

/** Overwrite the file at `path` from its start, then cut what is left of the old contents. */
async function writeInPlace(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const file = await fsPromises().open(path, 'r+');
  try {
    let done = 0;
    while (done < bytes.length) done += (await file.write(bytes, done, bytes.length - done, done)).bytesWritten;
    await file.truncate(bytes.length);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Append `text` to `path` (created if missing) in one write. */
export async function appendFileOnce(path: string, text: string | Uint8Array): Promise<void> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const file = await fsPromises().open(path, 'a');
  try {
    // One write(2) takes it all for a regular file; the loop is for the
    // short writes a full disk or a pipe can give.
    let done = 0;
    while (done < bytes.length) done += (await file.write(bytes, done, bytes.length - done)).bytesWritten;
  } finally {
    await file.close();
  }
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await fsPromises().stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Where a write to a missing `path` creates the file: a dangling link's target, or the path. */
async function danglingTarget(path: string): Promise<string> {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!(await fsPromises().lstat(p)).isSymbolicLink()) return p;
    } catch {
      return p;
    }
    p = resolve(dirname(p), await fsPromises().readlink(p));
  }
  return p;
}

/** Make the rename itself durable; some file systems cannot, which is no error. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await fsPromises().open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    /* not supported here */
  }
}
