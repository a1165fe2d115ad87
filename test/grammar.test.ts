// The grammar (min.ohm) is the definition of min's syntax; the fast reader
// must accept exactly the same programs and produce the same values. Random
// programs check that, concrete cases check the syntax-error messages.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { read, SIGIL_CHARS } from '../src/core/reader.js';
import { ohmSyntaxError, parseWithOhm } from '../src/core/grammar.js';
import { MinError } from '../src/core/errors.js';
import { Cmd, Dict, Flt, Sym, type Value } from '../src/core/values.js';
import { runCaptured } from '../src/run.js';

const root = join(import.meta.dirname, '..');

/** Everything that makes two read results equal, as plain data. */
function dump(v: Value): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return { int: Object.is(v, -0) ? '-0' : v };
  if (v instanceof Flt) return { flt: Number.isNaN(v.v) || Object.is(v.v, -0) ? String(v.v) : v.v };
  if (v instanceof Sym) return { sym: v.name, file: v.src?.file, line: v.line, column: v.column };
  if (v instanceof Cmd) return { cmd: v.text };
  if (v instanceof Dict) {
    const entries = [...(v.scope.symbols ?? new Map())].map(([k, e]) => [k, e.kind, dump(e.val)]);
    return { dict: entries, type: v.type, literal: v.literal };
  }
  if (Array.isArray(v)) return v.map(dump);
  throw new Error(`unexpected value ${String(v)}`);
}

/** What the reader throws for `text`, or null if it reads it. */
function readerError(text: string, file = 'gen.min'): MinError | null {
  try {
    read(text, file);
    return null;
  } catch (e) {
    if (!(e instanceof MinError)) throw e;
    return e;
  }
}

// ---- generators of well-formed programs -----------------------------------

const one = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

/** Blanks and comments between tokens; every variant starts with a blank. */
const blankOrComment = one(
  ' ',
  '  ',
  '\n',
  '\t',
  '\r\n',
  '\r',
  '\x0B',
  '\x0C',
  ' ; a comment (with) "stuff" ] }\n',
  ' ;; a doc comment\n',
  ' ;note this\n',
  ' ;\n',
  '\n#| block ( " \n |# ',
  ' #|a|b|#',
  ' #|| doc ) ||# ',
  ' #||x|y||#\n',
);
const sep = fc.array(blankOrComment, { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
/** A separator that may be empty (used only where the tokens stay apart). */
const sepOrNone = fc.oneof(fc.constant(''), sep);

/** Join tokens with their separators, adding a blank where two tokens would merge. */
function joinTokens(parts: [string, string][]): string {
  let out = '';
  let prev = '';
  for (const [s, tok] of parts) {
    const apart = prev === '' || /[)\]}"]$/.test(prev) || /^[([{"]/.test(tok);
    out += (s === '' && !apart ? ' ' : s) + tok;
    prev = tok;
  }
  return out;
}

const WORD_CHARS = [..."abcxyzABC0123456789-+*/!?_.:'@^~$%&<>=|#;,\\é λ\u0000\u0001\u00a0😀"].filter((c) => c !== ' ');
const word = fc
  .array(fc.constantFrom(...WORD_CHARS), { minLength: 1, maxLength: 8 })
  .map((a) => a.join(''))
  .filter((w) => !w.startsWith(';') && !w.startsWith('#|'))
  // A word that starts with a number is that number and more tokens: keep a
  // comment from starting after the number and swallowing the program's end.
  .filter((w) => !/^[-.]?[0-9]/.test(w) || !/[;#]/.test(w));
const trickyWord = one(
  '-', '--1', '1.', '.5', '-.5', '1.5.3', '.5e3', '1..2', '+5', '-x', 'true1', 'nulls', ':', '::', '#', "'", '1-2', 'a;b', 'x#|y',
  'true', 'false', 'null', '12abc', '2dup', '1e5x', '0x10', '0x1G', '0B101', '0XFF', '00b1', '0b1e5', '0xfe', '0x1.5', '1;c\n', '1#|c|#2',
);
/** Tokens that start like numbers but have no value: both readers must reject them alike. */
const badNumber = one('1e', '1.5e+', '-2E-', '0b', '0x', '0o', '-0b101', '-0x10', '-0o7', '0b102', '0o8', '0o19', '1.e', '9223372036854775808', '123456789012345678901234567890');
const radix = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 66n }).map((n) => '0b' + n.toString(2)),
  fc.bigInt({ min: 0n, max: 2n ** 66n }).map((n) => '0o' + n.toString(8)),
  fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 68n }), fc.boolean()).map(([n, up]) => '0x' + (up ? n.toString(16).toUpperCase() : n.toString(16))),
  one('0b0000', '0x7FFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFF', '0x8000000000000000', '0o1777777777777777777777', '0xbeef', '0x1E'),
);
const int = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  one('007', '-0', '-00', '9007199254740993', '9223372036854775807', '-9223372036854775808'),
);
const digits = fc.integer({ min: 0, max: 99999 }).map(String);
const exponent = fc.tuple(one('e', 'E'), one('', '+', '-'), digits).map((a) => a.join(''));
const float = fc
  .tuple(one('', '-'), digits, fc.oneof(fc.tuple(digits, fc.option(exponent)).map(([d, e]) => `.${d}${e ?? ''}`), exponent))
  .map((a) => a.join(''));

const strBody = fc
  .array(
    fc.oneof(
      one('a', 'Z', ' ', '(', ')', '[', ']', '{', '}', ';', '#', '|', '#|', '\n', '\t', 'é', '😀', ':', "'"),
      one('n', 't', 'r', 'b', 'f', 'v', '"', '\\', '/', "'", '}', 'd', 'u00e9', 'u12', 'uZZZZ', '\n', '(', ' ', 'x', '0').map((e) => '\\' + e),
    ),
    { maxLength: 8 },
  )
  .map((a) => a.join(''));
const string = strBody.map((b) => `"${b}"`);
const sigilString = fc.tuple(fc.constantFrom(...SIGIL_CHARS, 'j', 'Z', '_'), string).map(([s, str]) => s + str);
const key = fc.oneof(
  word.map((w) => ':' + w),
  strBody.filter((b) => b !== '').map((b) => `:"${b}"`),
);
const typeName = word.filter((w) => !w.includes(';'));

const cmdText: fc.Arbitrary<string> = fc.letrec<{ cmd: string }>((tie) => ({
  cmd: fc
    .array(fc.oneof({ depthSize: 'small' }, one('ls', ' ', '-al', '"', '(', '}', ';', '\n', '#|'), tie('cmd').map((c) => `[${c}]`)), {
      maxLength: 5,
    })
    .map((a) => a.join('')),
})).cmd;

/** A number glued to what follows it: the number ends where it cannot go on. */
const gluedNumber = fc
  .tuple(fc.oneof(int, float, radix), fc.oneof(word, string, trickyWord))
  .filter(([, w]) => !/[;#]/.test(w))
  .map(([n, w]) => n + w);
const atom = fc.oneof(int, float, radix, gluedNumber, string, sigilString, word, trickyWord, one('true', 'false', 'null'));

const { value } = fc.letrec<{ value: string; quotation: string; dict: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, tie('quotation'), tie('dict'), cmdText.map((c) => `[${c}]`)),
  quotation: fc
    .tuple(fc.array(fc.tuple(sepOrNone, tie('value')), { maxLength: 5 }), sepOrNone)
    .map(([parts, end]) => `(${joinTokens(parts)}${end})`),
  dict: fc
    .tuple(
      fc.array(fc.tuple(sepOrNone, tie('value'), sepOrNone, key), { maxLength: 3 }),
      sepOrNone,
      fc.option(typeName),
      one('', ' ', '\n'),
    )
    .map(([entries, end, type, after]) => {
      const body = joinTokens(entries.flatMap(([s1, v, s2, k]): [string, string][] => [[s1, v], [s2, k]]));
      return `{${body}${end}${type === null ? '' : ` ;${type}${after}`}}`;
    }),
}));

const program = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(sepOrNone, value), { maxLength: 8 }), sepOrNone)
  .map(([shebang, parts, end]) => {
    const body = joinTokens(parts) + end;
    if (shebang) return `#!/usr/bin/env min ( "\n${body}`;
    return body.startsWith('#!') ? ' ' + body : body;
  });

// ---- generators of malformed programs -------------------------------------

/** Broken anywhere a value may stand. */
const brokenValue = one(')', ']', '}', '{1 2}', '{1 :a 2}', '{"x"}', '{1 :}', '{1 :"" }', '{:a}', '{1 :a :b}', '{ (1 :a) }', '( }', '(1 ]');
/** Broken because the input ends inside them. */
const brokenEnd = one('(', '(1 2', '[ls', '[a [b]', '{', '{1 :a', '"abc', '"abc\\"', ':"abc', '"\\', '#| abc', '#| abc |', '#|| abc |#', '{ ;t', '( "x', '("x" #|', '{1 :a #| x }');

const malformed = fc.oneof(
  fc.tuple(program, brokenValue, program).map(([a, bad, b]) => `${a} ${bad} ${b.replace(/^#![^\n]*/, '')}`),
  fc.tuple(program, brokenValue).map(([a, bad]) => `${a}\n(1 (${bad}) 2)`),
  fc.tuple(program, brokenEnd).map(([a, bad]) => `${a} ${bad}`),
);

// ---- tests ----------------------------------------------------------------

/** What a reader makes of a text: the values, or the error (number tokens without a value). */
function outcome(readWith: (text: string, file: string) => Value[], text: string): unknown {
  try {
    return dump(readWith(text, 'gen.min'));
  } catch (e) {
    if (!(e instanceof MinError)) throw e;
    // The reader adds where an unclosed construct was opened; the grammar alone does not.
    const first = e.message.split('\n')[0]!.replace(/; the .* is not closed$/, '');
    return { error: first, kind: e.kind, line: e.line, column: e.column };
  }
}

describe('the reader agrees with the grammar', () => {
  it('on random well-formed programs', () => {
    fc.assert(
      fc.property(program, (text) => {
        expect(outcome(parseWithOhm, text)).toEqual(outcome(read, text));
      }),
      { numRuns: 400 },
    );
  });

  it('on number tokens that have no value: the same error, at the same place', () => {
    fc.assert(
      fc.property(program, badNumber, program, (a, bad, b) => {
        const text = `${a} ${bad} ${b.replace(/^#![^\n]*/, '')}`;
        const fast = outcome(read, text) as { error?: string };
        expect(fast.error, 'the reader accepted it').toBeDefined();
        expect(outcome(parseWithOhm, text)).toEqual(fast);
      }),
      { numRuns: 200 },
    );
  });

  it('on hand-picked corners', () => {
    for (const text of [
      '',
      '#!/usr/bin/env min',
      '#!x\n1',
      ' #!x',
      '1 -2 3.5 -4.25e-3 1e5 1E+2 007 -0 . - 1. .5 -.5 1.5.3 true false null truex',
      '12abc 2dup 1-2 3"s" 4(5)6{7 :a}8[ls] 9;c\n10#|c|#11 .5e3x',
      '0b101 0o17 0x1F 0xff 0xFF 0b0000 0x7FFFFFFFFFFFFFFF 0xFFFFFFFFFFFFFFFF 0xfe 0xbeef 0x1G 0B101 0XFF 00b1 0b1e5',
      '{1:a 0x10:b 2.5:c}',
      '"a\\nb\\t\\"q\\"\\\\ \\/ \\\' \\} \\d \\u00e9 \\u12 \\uZZZZ"',
      '"multi\nline" x\n  "esc\\\nnl" y',
      ':"first release year" !"ls -al" \'"q" @"b" #"h" x"y" xy"z" 1"2" -"3" :"" ::',
      '{ "min" :name "concatenative" :paradigm 2017 :"first release year" }',
      '{\n "MyError" :error\n "An error occurred" :message\n 3 :line\n ;error\n}',
      '{;t} {1 :a;t} {1 :a ;t} {1 :a ;two words\n} {1 :a ;t ; c\n} {1 :a ;; doc\n}',
      '{1 :a #| c |# ;t\n\n}',
      '{x :y :z :w} {(1 2) :q {1 :a} :d}',
      '[ls -al] [ a [b] c ] []',
      'a;b x#|y #|c|#z #||d||#w ;end',
      '( ( (1) ) )((2))',
      'x\ry\r\nz',
      '1 \u0000 2',
      '9007199254740993 9223372036854775807 -9223372036854775808',
    ]) {
      expect(dump(parseWithOhm(text, 'c.min')), JSON.stringify(text)).toEqual(dump(read(text, 'c.min')));
    }
  });

  it('on random malformed programs: both reject, with the same error', () => {
    fc.assert(
      fc.property(malformed, (text) => {
        const fast = readerError(text);
        expect(fast, 'the reader accepted it').not.toBeNull();
        expect(fast!.kind).toBe('MinSyntaxError');
        expect(() => parseWithOhm(text, 'gen.min')).toThrow(MinError);
        // The reader asks the grammar from the failing top-level value on; the
        // verdict must be what the grammar says about the whole text.
        const whole = ohmSyntaxError(text, 'gen.min')!;
        expect(whole).not.toBeNull();
        expect([fast!.line, fast!.column]).toEqual([whole.line, whole.column]);
        expect(fast!.message.split('\n')[0]!.startsWith(whole.message.split('\n')[0]!)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('values the reader produces', () => {
  it('keeps ints and floats apart, and ints integral', () => {
    const [a, b, c, d, e] = read('-0 3.0 9007199254740993 1e400 -5');
    expect(Object.is(a, 0)).toBe(true);
    expect(b).toBeInstanceOf(Flt);
    expect(c).toBe(9007199254740992);
    expect((d as Flt).v).toBe(Infinity);
    expect(e).toBe(-5);
  });

  it('reads radix literals as 64-bit ints, and ends a number where it cannot go on', () => {
    const shown = (text: string): unknown[] => read(text).map((v) => (v instanceof Sym ? `sym ${v.name}` : v instanceof Flt ? `flt ${v.v}` : v));
    expect(shown('0b101 0o17 0x1F 0xff 0xFF 0b0000 0xfe 0x1E 0xbeef')).toEqual([5, 15, 31, 255, 255, 0, 254, 30, 48879]);
    expect(shown('0xFFFFFFFFFFFFFFFF 0x8000000000000000 0x7FFFFFFFFFFFFFFF 0x10000000000000001')).toEqual([-1, -(2 ** 63), 2 ** 63 - 1024, 1]);
    expect(shown('12abc 0B101 0XFF 0x1G 00b1 1.5.3 .5 1. -.5')).toEqual([
      12, 'sym abc', 0, 'sym B101', 0, 'sym XFF', 1, 'sym G', 0, 'sym b1', 'flt 1.5', 'flt 0.3', 'flt 0.5', 'flt 1', 'sym -.5',
    ]);
    expect(shown('{1:a}').length).toBe(1);
  });

  it('rejects number tokens without a value, with native min words', () => {
    const cases: [string, string][] = [
      ['-0b101', 'invalid binary integer: -0b101'],
      ['-0x10', 'invalid hex integer: -0x10'],
      ['-0o7', 'invalid oct integer: -0o7'],
      ['0b', 'invalid integer: 0b'],
      ['0x', 'invalid integer: 0x'],
      ['0b102', 'invalid binary integer: 0b102'],
      ['0o8', 'invalid oct integer: 0o8'],
      ['1e', 'invalid float: 1e'],
      ['1.5e+x', 'invalid float: 1.5e+'],
      ['9223372036854775808', 'Integer out of range'],
    ];
    for (const [text, message] of cases) {
      const e = readerError(`1 ${text}`, 'n.min')!;
      expect(e, text).not.toBeNull();
      expect(e.message.split('\n')[0], text).toBe(message);
      expect([e.kind, e.filename, e.line, e.column]).toEqual(['MinSyntaxError', 'n.min', 1, 3]);
      expect(() => parseWithOhm(`1 ${text}`)).toThrow(message);
    }
  });

  it('rejects integers too large for a double', () => {
    const big = '1' + '0'.repeat(400);
    const e = readerError(`1 ${big}`, 'big.min')!;
    expect(e.kind).toBe('MinSyntaxError');
    expect(e.message).toMatch(/^Integer out of range/);
    expect([e.filename, e.line, e.column]).toEqual(['big.min', 1, 3]);
    expect(() => parseWithOhm(`1 ${big}`)).toThrow(/Integer out of range/);
  });

  it('glues a sigil, system or user-defined, to the string after it', () => {
    // A user sigil (named as operators are, of any length) keeps the quotes in
    // the symbol's name; any other word before a string is a word.
    const v = read('j"{\\"test\\": true}" !"ls -al" :"a b" ab"c" q"" a.b"c"');
    expect(v.map((x) => (x instanceof Sym ? `sym ${x.name}` : x))).toEqual(['sym j"{"test": true}"', 'sym !ls -al', 'sym :a b', 'sym ab"c"', 'sym q""', 'sym a.b', 'c']);
  });

  it('counts lines inside strings, escaped newlines included', () => {
    const v = read('"a\\\nb\nc" x');
    expect(v[0]).toBe('a\\\nb\nc');
    expect([(v[1] as Sym).line, (v[1] as Sym).column]).toEqual([3, 4]);
  });

  it('reads a NUL character as a word, not as the end of the program', () => {
    expect(read('1 \u0000 2').length).toBe(3);
  });
});

describe('syntax-error messages', () => {
  const err = (text: string, file = 'bad.min'): MinError => {
    const e = readerError(text, file);
    expect(e, `accepted: ${text}`).not.toBeNull();
    return e!;
  };

  it('locate a stray closing bracket', () => {
    const e = err('1 2 )');
    expect(e.kind).toBe('MinSyntaxError');
    expect(e.located).toBe(true);
    expect([e.filename, e.line, e.column]).toEqual(['bad.min', 1, 5]);
    expect(e.message).toBe("Expected end of input, found ')'\n  1 2 )\n      ^");
  });

  it('show the line of a later error with a caret', () => {
    const e = err('"ok" puts!\n  (1 2 3) (dup *) map\n  {1 :a 2 ;t}\n');
    expect([e.line, e.column]).toEqual([3, 11]);
    expect(e.message).toBe("Expected a key such as :name, found ';t'\n    {1 :a 2 ;t}\n            ^");
  });

  it('say where an unclosed construct began', () => {
    const e = err('1\n(2 3\n4');
    expect([e.line, e.column]).toEqual([3, 2]);
    expect(e.message.split('\n')[0]).toBe(
      'Expected a closing parenthesis, found the end of the input; the quotation opened at line 2, column 1 is not closed',
    );
    const s = err('x "abc\ndef');
    expect([s.line, s.column]).toEqual([2, 4]);
    expect(s.message).toMatch(/^Expected a closing double quote, found the end of the input; the string opened at line 1, column 3/);
    expect(err('#| never closed').message).toMatch(/^Expected the end of the block comment/);
    expect(err('[ls [x]').message).toMatch(/^Expected a closing bracket/);
    expect(err('{1 :a').message).toMatch(/^Expected a closing brace/);
  });

  it('are catchable by try, as a dict:error', async () => {
    const r = await runCaptured('(("(1 ]" parse) ("error" dget puts!)) try');
    if (r.err.includes("Undefined symbol 'dget'")) return; // the dict module is not in this build yet
    expect(r.out).toBe('MinSyntaxError\n');
  });
});

describe('the built CLI', () => {
  beforeAll(() => {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(b.stderr);
  });

  it('on a script with a syntax error prints FILE(LINE,COLUMN) and the message, exits 1, no JS stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'min-ts-grammar-'));
    const file = join(dir, 'bad.min');
    writeFileSync(file, '"start" puts!\n(1 2 3) (dup *) map\n  ) 4\n');
    const r = spawnSync(join(root, 'bin', 'min-ts'), [file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`${file}(3,3) MinSyntaxError: Expected end of input, found ')'\n`)).toBe(true);
    expect(r.stderr).toContain('    ) 4\n    ^');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  });

  it('loads ohm-js only when needed', () => {
    const script = `
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((k) => k.includes('ohm-js'));
      const { read } = await import(${JSON.stringify(join(root, 'dist', 'lib.js'))});
      read('1 2 (3 4) {1 :a ;t} "s"');
      const before = loaded();
      try { read('(1'); } catch {}
      console.log(before, loaded());`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('false true');
  });
});
