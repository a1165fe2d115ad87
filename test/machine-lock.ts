// A lock for the whole machine, for tests that need something fixed: min's seed examples run
// verbatim on 127.0.0.1:7777. On a shared machine several checkouts may run their suites at
// once; the lock makes them take turns instead of connecting to each other's servers.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

/** Runs `body` while holding the lock called `name`, waiting (generously) for another holder to finish. */
export async function withMachineLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const file = join(tmpdir(), `min-ts-${name}.lock`);
  await waitFor(() => tryLock(file), {
    what: `the lock ${file}`,
    state: () => `held by process ${holder(file) ?? '?'}`,
    timeout: 50_000,
  });
  try {
    return await body();
  } finally {
    rmSync(file, { force: true });
  }
}

function tryLock(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  // A holder that died without unlocking (a killed test run) leaves the file behind.
  const pid = holder(file);
  if (pid !== null && !alive(pid)) rmSync(file, { force: true });
  return false;
}

/** The process holding the lock; null while it is still writing its pid, or once it is gone. */
function holder(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
