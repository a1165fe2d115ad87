// Running whole programs: the entry point used by the CLI, the REPL and the
// tests (through run.ts). Reports uncaught errors min's way and waits for
// spawned tasks.
import { Machine } from './machine.js';
import { MinError, toMinError } from './errors.js';
import { ExitSignal, type Runtime } from './runtime.js';
import { read, newSource } from './reader.js';
import { describeUncaught } from './uncaught.js';
import { taskFailed, waitForTasks } from './tasks.js';
import type { Value } from './values.js';

export { waitForTasks } from './tasks.js';

export interface RunResult {
  code: number;
  error: MinError | null;
}

/** Run a program to completion in runtime `rt`; never throws. */
export async function runProgram(rt: Runtime, text: string, file: string): Promise<RunResult> {
  const m = new Machine(rt);
  let result: RunResult = { code: 0, error: null };
  try {
    const items: Value[] = read(text, newSource(file));
    const main = async () => {
      const r = m.execute(items, rt.global, true);
      if (r) await r;
      // What the main program printed shows now, not once the tasks have ended.
      rt.flush();
      await waitForTasks(rt);
      // A task that failed with nobody taking its error fails the program (`exit` decides otherwise).
      return rt.exitCode ?? (taskFailed(rt) ? 1 : 0);
    };
    // `exit` in any task ends the program at once.
    const running = main();
    running.catch(() => {}); // reported through the race below, or moot after exit
    const code = await Promise.race([running, rt.exited]);
    result = { code, error: null };
  } catch (e) {
    if (e instanceof ExitSignal) result = { code: e.code, error: null };
    else {
      const err = toMinError(e);
      rt.out.flush?.();
      rt.err.write(describeUncaught(err) + '\n');
      result = { code: 1, error: err };
    }
  } finally {
    rt.flush();
    rt.releaseAll();
  }
  return result;
}
