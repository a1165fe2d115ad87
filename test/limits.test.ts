// Hostile programs run through the real CLI: each must end with a min error
// that names the limit it hit (or be caught by `try`), never with a V8 fatal
// error, a raw RangeError or a JavaScript stack trace. A few run with a small
// heap, so the memory limit is reached in a second rather than at 4 GiB.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { hostLimit, toMinError } from '../src/core/errors.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'min-ts');

/** Generous: these take about a second on an idle machine. */
const BOUND_MS = 60_000;

interface Outcome {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
  ms: number;
}

function runMin(code: string, heapMiB?: number): Promise<Outcome> {
  const flags = heapMiB ? [`--max-old-space-size=${heapMiB}`] : [];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...flags, bin, 'eval', code], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS);
    child.on('close', (c, signal) => {
      clearTimeout(timer);
      resolve({ code: c, signal, out, err, ms: performance.now() - started });
    });
  });
}

/** What must never reach the user. */
function expectNoHostFailure(r: Outcome): void {
  expect(r.signal).toBeNull();
  expect(r.err).not.toMatch(/FATAL ERROR|Fatal JavaScript|RangeError|TypeError|heap out of memory|Last few GCs|Native stack trace/);
  // A JavaScript stack frame (a min trace reads "at FILE(LINE,COL) [symbol]").
  expect(r.err).not.toMatch(/\bat .*\.(c?js|ts):\d+|node:internal/);
  expect(r.ms).toBeLessThan(BOUND_MS);
}

/** The program fails with exit code 1 and one min error line naming the limit. */
async function expectLimit(code: string, message: RegExp, heapMiB?: number): Promise<void> {
  const r = await runMin(code, heapMiB);
  expectNoHostFailure(r);
  expect(r.code).toBe(1);
  const first = r.err.split('\n')[0]!;
  expect(first).toMatch(/^<eval>\(\d+,\d+\) \[[^\]]+\] Min\w+Error: /);
  expect(first).toMatch(message);
}

/** The program runs to the end, printing `expected`. */
async function expectOutput(code: string, expected: string, heapMiB?: number): Promise<void> {
  const r = await runMin(code, heapMiB);
  expectNoHostFailure(r);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toBe(expected);
}

const caught = (body: string): string => `((${body}) (dup 'error dget print! " " print! 'message dget puts!)) try "carried on" puts!`;

describe('the stack limit', { timeout: 90_000 }, () => {
  it('stops a stack growing forever', () =>
    expectLimit('1 (dup) 100000000 times', /stack limit exceeded: more than 10000000 items on the stack/));

  it('is catchable, and the program carries on', () =>
    expectOutput(
      caught('1 (dup) 100000000 times') + ' clear-stack',
      'MinLimitError stack limit exceeded: more than 10000000 items on the stack\ncarried on\n',
    ));
});

describe('the quotation limit', { timeout: 90_000 }, () => {
  it('stops concat doubling a quotation', () =>
    expectLimit('(1) (dup concat) 40 times', /quotation limit exceeded: concat would make more than 10000000 items/));

  it('stops range', () => expectLimit('(1 100000000) range', /quotation limit exceeded: range \(100000000 values\)/));

  it('stops split making too many pieces', () =>
    expectLimit('"x" 10100000 repeat "" split', /quotation limit exceeded: split would make more than 10000000 items/));

  it('stops from-json reading a huge array', () =>
    expectLimit('"[" "0," 10000001 repeat "0]" suffix suffix from-json', /quotation limit exceeded: from-json would make more than 10000000 items/));

  it('stops a dict path of too many parts', () =>
    expectLimit('{} "a." 20000000 repeat dget', /quotation limit exceeded: a dict path would make more than 10000000 items/));

  it('stops parse reading a huge program', () =>
    expectLimit('"1 " 10000001 repeat parse', /quotation limit exceeded: reading the program would make more than 10000000 items/));

  it('is catchable', () =>
    expectOutput(caught('(1) (dup concat) 40 times'), 'MinLimitError quotation limit exceeded: concat would make more than 10000000 items\ncarried on\n'));
});

describe('the string limit', { timeout: 90_000 }, () => {
  it('stops repeat', () => expectLimit('"x" 1000000000 repeat', /string limit exceeded: repeat would make more than 536870888 characters/));

  it('stops suffix in a loop', () =>
    expectLimit('"x" (dup suffix) 40 times', /string limit exceeded: suffix would make more than 536870888 characters/));

  it('stops join', () =>
    expectLimit('"x" 300000000 repeat :s s s () cons cons "" join', /string limit exceeded: join would make more than 536870888 characters/));

  it('stops interpolation', () =>
    expectLimit('"$1$1" "x" 300000000 repeat () cons %', /string limit exceeded: interpolate would make more than 536870888 characters/));

  it('titleize and indent work word by word on huge strings', () =>
    expectOutput('" " 5000000 repeat titleize length puts! "\\n" 5000000 repeat 1 indent length puts!', '5000000\n10000001\n'));

  it('stops reading /dev/zero, which never ends', () =>
    expectLimit('"/dev/zero" fread', /string limit exceeded: .* more than 536870888 characters/));

  it('refuses a file too large for a string before reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'min-limits-'));
    try {
      const big = join(dir, 'big.bin');
      // Sparse: 600 MiB long, nothing written.
      writeFileSync(big, '');
      truncateSync(big, 600 * 1024 * 1024);
      await expectLimit(`"${big}" fread`, /string limit exceeded: reading a file of 629145600 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects negative counts in words', async () => {
    await expectLimit('"x" -1 repeat', /repeat: negative count -1/);
    await expectLimit('-1 chr', /Invalid character code: -1/);
  });
});

describe('the regular expression limit', { timeout: 90_000 }, () => {
  it('stops a pattern V8 would need gigabytes to compile', () =>
    expectLimit('"ab" 30000000 repeat dup split', /regular expression limit exceeded: a pattern of more than 65536 characters/));
});

describe('JSON nesting', { timeout: 90_000 }, () => {
  const nested = (n: number): string => `"[" ${n} repeat "]" ${n} repeat suffix`;

  it('reads 1001 levels, as native min does', () => expectOutput(`${nested(1001)} from-json size puts!`, '1\n'));

  it('stops past 1001 levels', () =>
    expectLimit(`${nested(1002)} from-json`, /JSON nesting limit exceeded: more than 1001 arrays and objects/));

  it('stops 100k unclosed brackets', () => expectLimit('"[" 100000 repeat from-json', /JSON nesting limit exceeded/));

  it('stops deep objects', () => expectLimit('"{\\"a\\":" 5000 repeat from-json', /JSON nesting limit exceeded/));

  it('stops to-json writing what from-json would not read', () =>
    expectLimit('() (quote) 100000 times to-json', /JSON nesting limit exceeded/));
});

describe('deeply nested values', { timeout: 90_000 }, () => {
  const deep = '() (quote) 1000000 times';

  it('print and convert to a string at any depth', () => expectOutput(`${deep} dup string length puts! puts`, '2000002\n' + '('.repeat(1000001) + ')'.repeat(1000001) + '\n'));

  it('compare at any depth', () =>
    expectOutput(`() (quote) 300000 times () (quote) 300000 times == puts! () (quote) 300000 times (1) (quote) 300000 times == puts!`, 'true\nfalse\n'));

  it('are reported in words when the reader nests too deep for the host stack', () =>
    expectLimit('"(" 200000 repeat parse', /recursion limit exceeded: nested too deeply for the host stack/));

  it('a dict that holds itself cannot be printed, and compares to itself', () =>
    expectOutput(
      `scope :a scope :b a b == puts! ((a puts) ('message dget puts!)) try`,
      'true\nCannot print a dictionary that contains itself\n',
    ));
});

describe('the memory limit (with a 128 MiB heap)', { timeout: 90_000 }, () => {
  it('stops many copies of a big quotation', () =>
    expectLimit('(1 1000000) range (dup reverse) 200 times', /memory limit exceeded: the program's data would fill more than \d+ MiB/, 128));

  it('stops many big strings', () =>
    expectLimit('"x" 10000000 repeat (dup "y" suffix dup "x" indexof pop) 200 times', /memory limit exceeded/, 128));

  it('stops a quotation of many small ones', () =>
    expectLimit('() ((1 100) range quote-map append) 100000 times', /memory limit exceeded/, 128));

  it('aes round-trips 10M characters of stray bytes without one object per byte', () =>
    expectOutput('"ab" 5000000 repeat "k" aes dup length puts! "k" aes length puts!', '9629236\n10000000\n', 128));

  it('is catchable, and the memory is free again once the data is dropped', async () => {
    const r = await runMin(caught('(1 1000000) range (dup reverse) 200 times') + ' clear-stack (1 1000000) range (dup reverse pop) 50 times size puts!', 128);
    expectNoHostFailure(r);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^MinLimitError memory limit exceeded: the program's data would fill more than \d+ MiB \(75% of the \d+ MiB heap\)\ncarried on\n1000000\n$/);
  });
});

describe('host errors that escape', { timeout: 90_000 }, () => {
  it('become min errors that name the limit', () => {
    const cases: [Error, string, RegExp][] = [
      [new RangeError('Invalid array length'), 'MinLimitError', /^quotation limit exceeded/],
      [new RangeError('Invalid string length'), 'MinLimitError', /^string limit exceeded/],
      [new RangeError('Map maximum size exceeded'), 'MinLimitError', /^dictionary limit exceeded: more than 16777216 entries/],
      [new RangeError('Set maximum size exceeded'), 'MinLimitError', /^set limit exceeded/],
      [new RangeError('Maximum call stack size exceeded'), 'MinRecursionError', /^recursion limit exceeded/],
      [new RangeError('Maximum BigInt size exceeded'), 'MinLimitError', /^number limit exceeded/],
      [Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' }), 'MinLimitError', /^string limit exceeded/],
      [Object.assign(new RangeError('File size (3000000000) is greater than 2 GiB'), { code: 'ERR_FS_FILE_TOO_LARGE' }), 'MinLimitError', /^file limit exceeded/],
    ];
    for (const [e, kind, message] of cases) {
      const m = toMinError(e);
      expect(m.kind).toBe(kind);
      expect(m.message).toMatch(message);
      expect(m.message).not.toMatch(/0x1fffffe8|Invalid|Maximum call stack/);
    }
    expect(hostLimit(new TypeError('x is not a function'))).toBeNull();
  });
});
