// select: wait until the first of several sockets, channels and tasks is
// ready, without taking anything from it. Each kind says "ready" its own way
// (net/readiness.ts, core/channel.ts, core/tasks.ts); here they meet.
import { MinError } from '../../core/errors.js';
import { noteWait } from '../../core/interrupts.js';
import { Channel } from '../../core/channel.js';
import { Task } from '../../core/tasks.js';
import { showBrief } from '../../core/printer.js';
import { Dict, typeName, type Value } from '../../core/values.js';
import { socketOf } from './socket-dict.js';

type Watch = (notify: () => void) => () => void;

/** How to watch one item of a select. */
function watchOf(v: Value): Watch {
  if (v instanceof Dict) {
    if (v.handle instanceof Channel) {
      const ch = v.handle;
      return (notify) => ch.whenReady(notify);
    }
    if (v.handle instanceof Task) {
      const t = v.handle;
      return (notify) => t.whenEnded(notify);
    }
    if (v.type === 'socket') {
      const s = socketOf(v);
      return (notify) => s.whenReady(notify);
    }
  }
  throw new MinError(`select waits for sockets, channels and tasks, not ${typeName(v)} ${showBrief(v, 40)}`, 'MinInvalidError');
}

/**
 * The first of `items` that is ready: at once (no Promise) when one already
 * is, else once one becomes ready. When several are, the earliest in the
 * quotation wins.
 */
export function selectReady(items: Value[]): Value | Promise<Value> {
  if (items.length === 0) throw new MinError('select needs at least one socket, channel or task to wait for', 'MinInvalidError');
  const watches = items.map(watchOf);
  const stops: (() => void)[] = [];
  let first = -1;
  let settle: ((k: number) => void) | null = null;
  const stopAll = () => {
    for (const stop of stops.splice(0)) stop();
  };
  // Items that turn ready in one burst of events are compared before one is picked.
  const fired = (k: number) => {
    const wasNone = first < 0;
    if (wasNone || k < first) first = k;
    if (wasNone && settle) queueMicrotask(() => settle?.(first));
  };
  try {
    for (let k = 0; k < watches.length; k++) stops.push(watches[k]!(() => fired(k)));
  } catch (e) {
    stopAll();
    throw e;
  }
  if (first >= 0) {
    stopAll();
    return items[first]!;
  }
  return new Promise<Value>((resolve, reject) => {
    let over = false;
    settle = (k) => {
      if (over) return;
      over = true;
      stopAll();
      resolve(items[k]!);
    };
    noteWait((e) => {
      if (over) return false;
      over = true;
      stopAll();
      reject(e);
      return true;
    });
  });
}
