// Interpreter benchmarks: min-ts against the same work in plain JavaScript
// (the ceiling) and against native min v0.44 measured on this machine.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Seconds for native min v0.44 on this machine (issue 7). */
const NATIVE = { fibLambda: 1.97, fibOperator: 4.6, times: 2.94, while: 4.18 };

const CASES = [
  {
    name: 'fib 25 (^fib lambda)',
    min: '(dup 2 < (dup 1 - fib swap 2 - fib +) unless) ^fib 25 fib :r',
    js: () => {
      const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));
      return fib(25);
    },
    native: NATIVE.fibLambda,
  },
  {
    name: 'fib 25 (typed operator)',
    min: '(symbol fib (int :n ==> int :r) ((n 2 <) (n @r) (n 1 - fib n 2 - fib + @r) if)) :: 25 fib :r',
    js: () => {
      const fib = (n) => {
        if (!Number.isInteger(n)) throw new Error();
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
      };
      return fib(25);
    },
    native: NATIVE.fibOperator,
  },
  {
    name: '1M times with @',
    min: '0 :c (c 1 + @c) 1000000 times',
    js: () => {
      let c = 0;
      for (let k = 0; k < 1e6; k++) c = c + 1;
      return c;
    },
    native: NATIVE.times,
  },
  {
    name: '1M while',
    min: '0 :c (c 1000000 <) (c 1 + @c) while',
    js: () => {
      let c = 0;
      while (c < 1e6) c++;
      return c;
    },
    native: NATIVE.while,
  },
  {
    name: 'string building (100k suffix)',
    min: '"" :s (s "x" suffix @s) 100000 times s length :n',
    js: () => {
      let s = '';
      for (let k = 0; k < 1e5; k++) s = s + 'x';
      return s.length;
    },
  },
  {
    name: 'map/filter/reduce 100k',
    min: '(0 99999) range (dup *) map (2 mod 0 ==) filter 0 (+) reduce :r',
    js: () => {
      const a = Array.from({ length: 1e5 }, (_, k) => k);
      return a.map((x) => x * x).filter((x) => x % 2 === 0).reduce((s, x) => s + x, 0);
    },
  },
  {
    // Each condition runs on the stack itself (native min's rule), so a step
    // costs the same however deep the stack has grown.
    name: 'linrec 100k (sum 1..n)',
    min: '0 100000 (dup 0 ==) (pop) (dup pred) (+) linrec :r',
    js: () => {
      const stack = [0, 100000];
      while (stack[stack.length - 1] !== 0) stack.push(stack[stack.length - 1] - 1);
      stack.pop();
      while (stack.length > 1) stack.push(stack.pop() + stack.pop());
      return stack[0];
    },
  },
  {
    name: 'dict updates (100k dset)',
    min: '{} :d (d 1 "k" dset pop) 100000 times',
    js: () => {
      const d = new Map();
      for (let k = 0; k < 1e5; k++) d.set('k', 1);
      return d.size;
    },
  },
];

async function time(fn, repeat = 5) {
  let best = Infinity;
  for (let k = 0; k < repeat; k++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

export async function interpreterRows({ root, quick }) {
  const lib = await import(pathToFileURL(join(root, 'dist', 'lib.js')).href);
  const rows = [];
  for (const c of CASES) {
    const run = async () => {
      const r = await lib.runCaptured(c.min);
      if (r.code !== 0) throw new Error(`${c.name}: ${r.err.trim()}`);
    };
    if (!quick) await run(); // warm-up
    const t = await time(run, quick ? 1 : 5);
    const js = await time(c.js, quick ? 1 : 5);
    rows.push({
      name: c.name,
      value: `${(t * 1000).toFixed(0)} ms`,
      reference: `JS ${(js * 1000).toFixed(1)} ms` + (c.native ? `; min ${c.native} s` : ''),
      ratio: c.native ? `${(c.native / t).toFixed(1)}x faster than min` : `${(t / js).toFixed(0)}x JS`,
      target: c.native ? '>= 10x faster than min' : '',
      ok: c.native ? c.native / t >= 10 : undefined,
    });
  }
  return rows;
}
