// When a program can no longer do anything: its main program is done and
// every task left waits on a connection whose other end is also this
// program's, held by another of those waiting tasks (or by nobody), with
// nothing on its way. No peer outside can wake such a program, so it ends:
// its sockets are closed and it exits, as if the tasks had finished. A task
// waiting on anything else (a listening socket, a peer elsewhere, a timer,
// another task) keeps the program alive.
//
// The net layer tells what a wait is through properties of the Promise an
// operator returned (Machine.waiting), so core needs nothing of net:
// `pending()` says whether the wait is still on, and `waitsOn.ends()` where
// the connection runs from and to.
import type { Runtime } from './runtime.js';

/** Where a connection runs (addresses as "ip:port"), and whether it still has output on its way. */
export interface ConnEnds {
  local: string;
  peer: string;
  writing: boolean;
}

interface WaitInfo {
  pending?: () => boolean;
  waitsOn?: { ends?: () => ConnEnds | null };
}

interface EndsOf {
  ends?: () => ConnEnds | null;
}

/** Whether every task left waits on a connection to another of the program's own sockets, with nothing in flight. */
export function onlyOwnSocketWaits(rt: Runtime): boolean {
  if (rt.tasks.size === 0) return false;
  const byLocal = new Map<string, ConnEnds>();
  for (const r of rt.resources) {
    const e = (r as EndsOf).ends?.();
    if (e) byLocal.set(e.local, e);
  }
  for (const t of rt.tasks) {
    const w = t.machine.waiting as WaitInfo | null;
    if (!w?.pending?.()) return false;
    const e = w.waitsOn?.ends?.();
    if (!e || e.writing) return false;
    const other = byLocal.get(e.peer);
    if (!other || other.peer !== e.local || other.writing) return false;
  }
  return true;
}

/**
 * Resolves once the program is idle for good (see above). Looked at whenever
 * a task starts waiting (Runtime.onWait) and when asked, each time after two
 * turns of the event loop, so data already on its way is delivered first.
 */
export function whenIdle(rt: Runtime): { idle: Promise<void>; look: () => void; stop: () => void } {
  let resolve: () => void = () => {};
  const idle = new Promise<void>((r) => (resolve = r));
  let scheduled = false;
  let stopped = false;
  // Every wait that starts moves this on; a look decides only when no wait
  // started during its two turns of the event loop, else it looks again.
  let generation = 0;
  const schedule = () => {
    scheduled = true;
    const seen = generation;
    setImmediate(() =>
      setImmediate(() => {
        if (stopped) return;
        if (seen !== generation) return schedule();
        scheduled = false;
        if (onlyOwnSocketWaits(rt)) resolve();
      }),
    );
  };
  const look = () => {
    generation++;
    if (!scheduled && !stopped) schedule();
  };
  return {
    idle,
    look,
    stop: () => {
      stopped = true;
    },
  };
}
