// Running min source with every standard module loaded and the output
// captured: what the tests, the docs examples and the benchmarks use.
import { runProgram } from './core/interpreter.js';
import type { RuntimeOptions } from './core/runtime.js';
import { createRuntime } from './ops/modules.js';

/** Run source with captured output (tests, docs examples). */
export async function runCaptured(
  text: string,
  o: RuntimeOptions & { file?: string } = {},
): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const rt = createRuntime({
    ...o,
    out: { write: (s: string) => void (out += s) },
    err: { write: (s: string) => void (err += s) },
  });
  const { code } = await runProgram(rt, text, o.file ?? '<eval>');
  return { out, err, code };
}
