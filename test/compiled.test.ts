// Compiled quotations (src/core/compile.ts) must behave exactly as the
// interpreter does. Random programs run three ways: interpreted only,
// compiled once hot (the default) and compiled on first run. Their loops
// rebind, redefine, shadow and delete symbols, swap the stack out and raise
// errors, so caches go stale between runs of the same compiled code. Values
// only grow linearly (no token doubles a string or nests the stack), and the
// stack is printed and cleared after each pass, so no program runs away.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCaptured } from '../src/run.js';
import type { CompileMode } from '../src/core/compile.js';

const TOKENS = [
  // literals
  '1', '2', '-3', '2.5', '"a"', '"bc"', 'true', 'false', '(1 2)', '{1 :k}',
  // the stack
  'dup', 'swap', 'pop', 'over', 'clear-stack', '(1 +) dip', '(dup) keep',
  // numbers, strings, logic
  '+', '-', '*', '<', '==', '!=', 'not', '"x" suffix', 'size', 'length', '(3) cons',
  // symbols: read, rebind, define here, shadow through a live scope dict
  'vx', 'vy', 'vw', '@vx', '@vy', '@vw', ':vz', 'vz', 'vs', "vs 7 'vx dset pop", "vs 8 'vw dset pop", "vx vs 9 'vx dset pop", "'vz delete-symbol",
  // lambdas, redefined mid-loop
  'vf', 'vg', '(2 *) ~vf', '(swap) ~vg',
  // control
  '(1) (2) if', '(dup) when', '(pop) unless', '(dup) 2 times', '(1 +) map',
  // output
  'puts!', 'print!',
];

const body = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join(' '));

const program = fc.tuple(body, body, fc.integer({ min: 1, max: 6 })).map(
  ([loop, lambda, n]) => `0 :vx "s" :vy (1 +) ^vf (dup) ^vg
(0 :vw scope :vs ((${lambda}) 3 times) ^vh vh) ^vrun
(
  ((${loop}) ('message dget puts!)) try
  ((vrun) ('message dget puts!)) try
  get-stack puts! clear-stack
) ${n} times
`,
);

async function runAs(mode: CompileMode, src: string) {
  return runCaptured(src, { file: 'random.min', args: [], compile: mode });
}

describe('compiled quotations', () => {
  it('behave as the interpreter on random programs', async () => {
    await fc.assert(
      fc.asyncProperty(program, async (src) => {
        const interpreted = await runAs('never', src);
        expect(await runAs('hot', src)).toEqual(interpreted);
        expect(await runAs('always', src)).toEqual(interpreted);
      }),
      { numRuns: 500 },
    );
  }, 120_000);
});
