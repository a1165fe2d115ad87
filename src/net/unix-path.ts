// Unix socket files: a path the system would cut is refused, a missing
// directory is named as such, and the files a program listens on are removed
// when it is stopped by SIGINT or SIGTERM as well as when it closes them.
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { MinError } from '../core/errors.js';
import { NET_ERROR, netError } from './errors.js';

/** The longest path a socket address holds (sun_path, its final NUL aside). */
export const MAX_UNIX_PATH = process.platform === 'linux' ? 107 : 103;

/** A NetError for a path longer than the system allows, which it would silently cut. */
export function checkUnixPath(path: string, doing: string): void {
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes > MAX_UNIX_PATH) {
    throw new MinError(
      `cannot ${doing} ${path}: the path is ${bytes} bytes long, and a unix socket path can be at most ${MAX_UNIX_PATH} bytes on this system (use a shorter one)`,
      NET_ERROR,
    );
  }
}

/** The error for a failed listen or connect on `path`: a missing directory says so. */
export function unixFailure(context: string, path: string, e: unknown): MinError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'ENOENT') {
    const dir = dirname(path);
    if (!existsSync(dir)) return new MinError(`${context}: no such directory ${dir}`, NET_ERROR);
    if (!statSync(dir).isDirectory()) return new MinError(`${context}: ${dir} is not a directory`, NET_ERROR);
  }
  return netError(context, e);
}

/** Socket files of listening sockets still open in this process. */
const held = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const path of held) {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
  held.clear();
}

/** The exit codes a shell reports for a process these signals ended. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A signal that would end the process removes the files first, then ends it
 * with the code a shell shows for that signal. Where something else handles
 * the signal (the shell takes SIGINT as Ctrl-C), the process is not ending,
 * and the files stay.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeAll();
  process.exit(SIGNAL_EXIT[signal] ?? 1);
}

/** The file of a listening unix socket, removed if the process is stopped before it is closed. */
export function holdSocketFile(path: string): void {
  held.add(path);
  if (hooked) return;
  hooked = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', removeAll);
}

/** The socket was closed (and Node removed its file). */
export function releaseSocketFile(path: string): void {
  held.delete(path);
}
