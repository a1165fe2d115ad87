// A few thousand generated programs, built from the token set of the
// language (literals, the symbols of the operators, quotations, sigils, dot
// paths, dict literals, typed dicts forged with constructors): whatever a
// program does, it ends with a value or a min error in words, never with a
// JavaScript error dressed as one. The seed is fixed so a run in CI can be
// repeated; FUZZ_SEED=N and FUZZ_RUNS=N change it (a failure names its seed
// and the program, which `bin/min-ts eval` runs as well).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MODULES } from '../src/ops/modules.js';
import { read } from '../src/core/reader.js';
import { SKIPPED, enterSandbox, envNumber, errorEscape, escapeOf, fuzzRuntime, runItems, textEscape } from './fuzz-harness.js';
import { nativeOp, op } from '../src/core/registry.js';
import { nativeEntry } from '../src/core/scope.js';
import { storedValue } from '../src/core/dict.js';
import type { Dict } from '../src/core/values.js';
import type { CompileMode } from '../src/core/compile.js';
import { runCaptured } from '../src/run.js';

/**
 * Operators a generated program must not call, beyond those the operator
 * fuzz skips. A program computes its own paths and hosts (`parent-dir`,
 * `pwd`, strings joined by `suffix`), so nothing may write, remove or list
 * files recursively, connect, bind or shell out: the operator fuzz calls
 * these with fixed operands inside its sandbox instead.
 */
export const PROGRAM_SKIPPED: Record<string, string> = {
  ...SKIPPED,
  quotecmd: 'makes a command, which runs a shell when evaluated',
  rm: 'removes files at a computed path',
  rmdir: 'removes directories at a computed path',
  mv: 'moves files at a computed path',
  cp: 'writes files at a computed path',
  chmod: 'changes files at a computed path',
  symlink: 'writes files at a computed path',
  hardlink: 'writes files at a computed path',
  mkdir: 'writes at a computed path',
  fwrite: 'writes files at a computed path',
  fappend: 'writes files at a computed path',
  zip: 'writes files at a computed path',
  unzip: 'writes files at a computed path',
  dsinit: 'writes files at a computed path',
  dswrite: 'writes files at a computed path',
  cd: 'changes the directory of the test process',
  'put-env': 'changes the environment of the test process',
  'ls-r': 'lists a computed directory recursively (parent-dir is /tmp)',
  connect: 'connects to a computed host (a name would be resolved by DNS)',
  'send-to': 'sends a datagram to a computed host',
  starttls: 'starts TLS with a peer',
  'join-group': 'joins a multicast group on a computed address',
  'leave-group': 'leaves a multicast group on a computed address',
  listen: 'binds a port, on all interfaces by default',
  request: 'connects to a computed URL',
  'get-content': 'connects to a computed URL',
  download: 'connects to a computed URL and writes a file',
  'start-server': 'serves HTTP until stop-server',
};

/** Sigils a program may use (! and & run shell commands). */
const SIGILS = ["'", ':', '@', '#', '^', '~', '$', '?', '>', '<', '/', '%'];

const OPERATORS = MODULES.flatMap((m) => m.ops.map((d) => d.name)).filter(
  (name) => !PROGRAM_SKIPPED[name] && !(name in SKIPPED) && !['!', '&'].includes(name),
);

/** Names the prelude defines, and a few it does not. */
const NAMES = ['d', 'q', 'x', 'n', 'f', 'fsock', 'ftask', 'ferror', 'fstore', 'fxml', 'fresp', 'y', 'z', '__proto__', 'constructor'];

/** What every program starts with: values to work on, typed dicts forged by constructors. */
const PRELUDE = `
{1 :a {2 :b} :c "s" :d (1 2) :q} :d
(1 2 3) :q
"text" :x
3 :n
(dup *) ^f
${forge('socket', '{"127.0.0.1" :address 0 :port}', 'fsock')}
${forge('task', '{1 :id}', 'ftask')}
${forge('error', '{"MinRuntimeError" :error "forged" :message}', 'ferror')}
${forge('datastore', '{{} :data "ds.json" :path}', 'fstore')}
${forge('xml-element', '{"a" :tag {} :attributes () :children}', 'fxml')}
${forge('http-response', '{200 :status {} :headers "" :body}', 'fresp')}
`;

/** A constructor named after the type, defined in a scope of its own so the operator of that name is not shadowed. */
function forge(type: string, dict: string, name: string): string {
  return `((constructor ${type} (==> dict :out) (${dict} @out)) :: ${type}) -> :${name}`;
}

const literal = fc.constantFrom(
  '0', '1', '-1', '2', '3', '10', '9007199254740992', '9223372036854775807', '0x1F',
  '2.5', '-0.0', '1e308', '0.1',
  '""', '"a"', '"héllo ✓ 𝄞"', '"a b,c"', '"1"', '"x.y"', '"("', '"$1 $2"', '"\\n"', '"[a-z]+"', '"{\\"a\\": [1, null]}"', '"<a>b</a>"',
  '"1.2.3"', '"%Y-%m-%d"', '","', '"x/y"', '"*"', '"^([a-z]+ ?)*$"', '"2020-01-01T00:00:00Z"', '"1 2 +"', '"(1 2"', '"{1 :a"',
  '"<r><a x=\\"1\\"/>t</r>"', '"[1, [2, {\\"b\\": true}]]"', '"ff"', '"0b101"', '"a:b"',
  '64', '255', '1114112', '-9223372036854775808', '0.5', '-2.5',
  'true', 'false', 'null',
  '{}', '{1 :a}', '{"x" :b (1 2) :c}', '{{3 :c} :d}',
);
const operator = fc.constantFrom(...OPERATORS);
const name = fc.constantFrom(...NAMES);
const sigiled = fc.tuple(fc.constantFrom(...SIGILS), name).map(([s, n]) => s + n);
const dotPath = fc.constantFrom('d.a', 'd.c.b', 'd.q', 'd.nosuch', 'str.split', 'seq.map', 'net.socket', 'x.y', 'q.size', 'fsock.address', 'd.c.b.z');
const autoPop = fc.constantFrom('dup!', 'puts!', 'q!', 'd!');

/** Every kind of token but a quotation, weighted; inside a quotation and at the top alike. */
const plainTokens: fc.WeightedArbitrary<string>[] = [
  { weight: 6, arbitrary: operator },
  { weight: 4, arbitrary: literal },
  { weight: 2, arbitrary: name },
  { weight: 2, arbitrary: sigiled },
  { weight: 1, arbitrary: dotPath },
  { weight: 1, arbitrary: autoPop },
];

const { quotation } = fc.letrec((tie) => ({
  token: fc.oneof(...plainTokens, { weight: 2, arbitrary: tie('quotation') as fc.Arbitrary<string> }),
  quotation: fc
    .array(tie('token') as fc.Arbitrary<string>, { maxLength: 6, depthIdentifier: 'quotation' })
    .map((ts) => `(${ts.join(' ')})`),
}));

const token = fc.oneof(...plainTokens, { weight: 3, arbitrary: quotation as fc.Arbitrary<string> });

/**
 * A program: pieces of one to three tokens, each run inside a `try` whose
 * handler is `fuzz-caught` (below), so a program goes on after an error and
 * its later pieces meet what the earlier ones left; at the end the stack is
 * printed.
 */
const body = fc
  .array(fc.array(token, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 })
  .map((pieces) => [...pieces.map((p) => `((${p.join(' ')}) (fuzz-caught)) try`), '((get-stack puts!) (fuzz-caught)) try'].join('\n'));

/** Errors caught by the programs' `try`, checked as uncaught ones are. */
let caught: string[] = [];
/** Pieces that failed, of all the pieces run (FUZZ_STATS=1 prints them: most pieces should do something). */
const stats = { pieces: 0, failed: 0 };

/** `fuzz-caught`: the handler of every piece; notes the error dict if it shows a JavaScript error. */
const fuzzCaught = nativeEntry(
  nativeOp(
    op('fuzz-caught', 'dict ==>', 'Checks an error caught by a fuzzed program.', (_i, d: Dict) => {
      stats.failed++;
      const kind = storedValue(d, 'error');
      const message = storedValue(d, 'message');
      // A script may raise any dict; only an error the runtime made has both as strings.
      if (typeof kind !== 'string' || typeof message !== 'string') return;
      const why = errorEscape(kind, message);
      if (why) caught.push(why);
    }),
    '',
  ),
);

const SEED = envNumber('FUZZ_SEED', 20261202);
const RUNS = envNumber('FUZZ_RUNS', 3000);
const BUDGET_MS = 500;

let sandbox: ReturnType<typeof enterSandbox>;
beforeAll(() => {
  sandbox = enterSandbox();
});
afterAll(() => sandbox.restore());

/** Why running the program shows a JavaScript error, or null. */
async function escapeIn(program: string, compile: CompileMode = 'hot', dev = false): Promise<string | null> {
  const { rt, err } = fuzzRuntime(compile, dev);
  const cwd = process.cwd();
  try {
    let items;
    try {
      items = read(PRELUDE + program, '<fuzz>');
    } catch (e) {
      return escapeOf(e);
    }
    caught = [];
    rt.global.set('fuzz-caught', fuzzCaught);
    const outcome = await runItems(rt, [], items, BUDGET_MS);
    stats.pieces += program.split('\n').length;
    if (caught.length) return `caught by try: ${caught[0]}`;
    if (outcome.kind === 'error') {
      const why = escapeOf(outcome.error);
      if (why) return why;
    }
    return textEscape(err());
  } finally {
    rt.releaseAll();
    process.chdir(cwd);
  }
}

describe(`generated programs (seed ${SEED}, ${RUNS} runs)`, () => {
  it('end with a value or a min error in words', async () => {
    // The prelude itself must run, or every program would test only its error.
    const prelude = await runCaptured(`${PRELUDE} (fsock ftask ferror fstore fxml fresp) (dtype) map puts!`);
    expect(prelude).toEqual({ out: '("socket" "task" "error" "datastore" "xml-element" "http-response")\n', err: '', code: 0 });
    // And an error caught by a program's try is seen.
    expect(await escapeIn('(({"MinInternalError" :error "x is not a function" :message} raise) (fuzz-caught)) try')).toMatch(/caught by try: a JavaScript error/);
    await fc.assert(
      // Interpreted, or every quotation compiled on its first run (compile.ts has paths of its own);
      // in development mode (-d, which checks types and stacks more) or not.
      fc.asyncProperty(body, fc.constantFrom<CompileMode>('hot', 'always'), fc.boolean(), async (program, compile, dev) => {
        const why = await escapeIn(program, compile, dev);
        if (why) throw new Error(`${why}\nprogram (compile: ${compile}, dev: ${dev}): ${program}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (process.env.FUZZ_STATS) console.log(`${stats.failed} of ${stats.pieces} pieces failed`);
  }, 240_000);
});
