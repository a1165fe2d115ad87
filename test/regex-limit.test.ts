// No regular expression can hang the process: catastrophic patterns finish
// (V8's linear-time engine takes over) or raise a catchable MinLimitError, in
// every regex operator, in-process and through bin/min-ts.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured } from '../src/run.js';
import { BEFORE_V8_FLAGS, TIME_LIMIT_MS, backtrackLimited, runsInLinearTime } from '../src/lib/regex-guard.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'min-ts');

// Generous: the machine may be loaded. The point is "not hours".
const LOOSE_MS = 30_000;

const letters = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn'; // 40 letters

/** Run `code` in-process; the program prints one line per try. */
async function timed(code: string): Promise<{ out: string; err: string; ms: number }> {
  const started = performance.now();
  const r = await runCaptured(code);
  return { out: r.out, err: r.err, ms: performance.now() - started };
}

/** `expr` inside a try that prints the result, or the error's kind and message. */
const attempt = (expr: string): string => `((${expr} puts!) ('error dget puts!)) try\n`;

describe('V8 setup', () => {
  it('regular expressions run with a backtrack limit and the linear-time engine', () => {
    expect(backtrackLimited()).toBe(true);
    expect(runsInLinearTime('^([a-z]+ ?)*$', '')).toBe(true);
    expect(runsInLinearTime('a(?=b)', '')).toBe(false);
  });

  it('bin/min-ts writes its code cache before the regex guard changes V8\'s flags', () => {
    // The guard calls the hook bin/min-ts leaves under this name (see bin/min-ts).
    const launcher = readFileSync(bin, 'utf8');
    expect(launcher).toContain(`Symbol.for('${BEFORE_V8_FLAGS}')`);
  });
});

describe('catastrophic patterns', () => {
  it('the issue\'s pattern finishes at once with the right answer in every operator', async () => {
    const s = `"${letters}!"`;
    const p = '"^([a-z]+ ?)*$"';
    const r = await timed(
      [
        `${s} ${p} match?`,
        `${s} ${p} match`,
        `${s} ${p} search`,
        `${s} ${p} search-all`,
        `${s} ${p} "x" replace`,
        `${s} ${p} ("x") replace-apply`,
        `${s} ${p} split`,
        `"${letters} ${letters}" ${p} match?`,
        // A leading (?i) is written as letter classes, which the engine runs.
        `"${letters.toUpperCase()}!" "(?i)^([a-z]+ ?)*$" match?`,
      ]
        .map(attempt)
        .join(''),
    );
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      'false',
      'false',
      '("" "")',
      '()',
      `${letters}!`,
      `${letters}!`,
      `("${letters}!")`,
      'true',
      'false',
      '',
    ]);
    expect(r.ms).toBeLessThan(LOOSE_MS);
  });

  // Lookarounds, backreferences and `i` keep the linear-time engine out: these
  // run into the time limit and raise a catchable error.
  const hopeless: [string, string][] = [
    ['"^([a-z]+ ?)*$"', `"${letters}!\\n"`], // PCRE's $ before a final newline is a lookahead
    ['"(?i)^([a-zé]+ ?)*$"', `"${letters}!"`], // (?i) with a letter outside ASCII is the JS i flag
    ['"^(a|aa)+(?=b)"', `"${'a'.repeat(40)}!"`],
    ['"^(a+)+\\\\1b"', `"${'a'.repeat(40)}!"`],
    ['"^(?>a|aa|aaa)*(a+)+(?!a)b"', `"${'a'.repeat(40)}!"`],
  ];
  // Every operator with the first pattern, match? with the others (each
  // error costs the time limit).
  for (const [k, [pattern, subject]] of hopeless.entries()) {
    it(`${pattern} on ${subject.length - 2} characters raises MinLimitError`, async () => {
      const operators = k > 0 ? ['match?'] : ['match?', 'search', 'search-all', '"x" replace', '("x") replace-apply', 'split'];
      for (const expr of operators.map((o) => `${subject} ${pattern} ${o}`)) {
        const r = await timed(attempt(expr) + '"after" puts!');
        expect(r.err).toBe('');
        expect(r.out).toBe('MinLimitError\nafter\n');
        // The error comes from the time limit, never sooner.
        expect(r.ms).toBeGreaterThanOrEqual(TIME_LIMIT_MS);
        expect(r.ms).toBeLessThan(LOOSE_MS);
      }
    });
  }

  it('the error names the limit and the pattern', async () => {
    const r = await runCaptured(`(("${'a'.repeat(40)}!" "^(a|aa)+(?=b)" match?) ('message dget puts!)) try`);
    expect(r.out).toMatch(/regular expression time limit exceeded: \/\^\(a\|aa\)\+\(\?=b\)\/ backtracked for more than \d+ ms on a string of 41 characters/);
  });

  it('a pattern that only needs many backtracks still gets its real result', async () => {
    // Quadratic: some 4.5 million backtracks before the match at the end, past
    // the backtrack limit but well within the time limit.
    const subject = 'a'.repeat(3000) + ' b=x';
    const r = await runCaptured(attempt(`"${subject}" "(\\\\w+)\\\\s*=(?=x)" search`) + attempt(`"${subject}" "(\\\\w+)\\\\s*=(?=y)" match?`));
    expect(r.err).toBe('');
    expect(r.out).toBe('("b=" "b")\nfalse\n');
  });

  it('patterns with $ keep PCRE\'s meaning with or without a final newline', async () => {
    const r = await runCaptured(
      [`"abc\\n" "c$" search`, `"abc" "c$" search`, `"abc\\n\\n" "c$" match?`, `"a\\nb" "a$" match?`, `"ab\\n" "b\\\\Z" match?`, `"ab\\n" "b\\\\z" match?`, `"x1 x2\\n" "x\\\\d$" search-all`]
        .map(attempt)
        .join(''),
    );
    expect(r.err).toBe('');
    expect(r.out).toBe('("c")\n("c")\nfalse\nfalse\ntrue\nfalse\n(("x2"))\n');
  });
});

describe('a leading (?i) written as letter classes', () => {
  it('matches what the JS i flag matches', async () => {
    const patterns = ['abc', '[a-z]+', '[^a-z ]+', 'k+', 's+', '\\w+', '[A-F0-9]+', '(foo|BAR)baz', '[[:alpha:]]+', 'x?Y*z'];
    const subjects = ['ABC abc aBc', 'ſ s S ß', 'K k \u212a', 'Été ÉTÉ', 'xyz FOObaz barBAZ', 'CAFE f00d 12', 'yyZ XYZ'];
    const code = patterns
      .flatMap((p) => subjects.map((s) => `"${s}" "(?i)${p}" search-all puts!`))
      .join('\n');
    const r = await runCaptured(code);
    expect(r.err).toBe('');
    const want = patterns.flatMap((p) =>
      subjects.map((s) => {
        const js = new RegExp(p.replace('[[:alpha:]]', '[a-zA-Z]').replace(/\\\\/g, '\\'), 'gi');
        const subject = s.replace('\\u212a', '\u212a');
        const found = [...subject.matchAll(js)].map((m) => `("${m[0]}"${m.length > 1 ? ` "${m[1]}"` : ''})`);
        return `(${found.join(' ')})`;
      }),
    );
    expect(r.out.trim().split('\n')).toEqual(want);
  });
});

describe('through bin/min-ts', () => {
  it('a catastrophic pattern ends the match, not the process', () => {
    const code = [
      attempt(`"${letters}!" "^([a-z]+ ?)*$" match?`),
      attempt(`"${'a'.repeat(40)}!" "^(a|aa)+(?=b)" search`),
      '"still here" puts!',
    ].join('');
    const started = performance.now();
    const out = execFileSync(process.execPath, [bin, 'eval', code], { encoding: 'utf8', timeout: LOOSE_MS });
    const ms = performance.now() - started;
    expect(out).toBe('false\nMinLimitError\nstill here\n');
    expect(ms).toBeGreaterThanOrEqual(TIME_LIMIT_MS);
    expect(ms).toBeLessThan(LOOSE_MS);
  });
});
