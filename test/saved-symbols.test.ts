// save-symbol, load-symbol, saved-symbols and remove-symbol against a real
// $HOME/.min_symbols: each program runs as its own min-ts process with HOME
// set to a fresh temporary directory, so the user's file is never touched.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', 'bin', 'min-ts');

let home = '';
const symbolsFile = (): string => join(home, '.min_symbols');

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'min-ts-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

interface Result {
  out: string;
  err: string;
  code: number;
}

function run(program: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'eval', program], { env: { ...process.env, HOME: home, ...env }, timeout: 60_000 }, (e, out, err) =>
      resolve({ out, err, code: e ? ((e as { code?: number }).code ?? -1) : 0 }),
    );
  });
}

/** Run a program that must succeed and print nothing on stderr; its stdout lines. */
async function lines(program: string): Promise<string[]> {
  const r = await run(program);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out.split('\n').slice(0, -1);
}

/** A message a script catches: `(program) ('message dget puts!) try`. */
const caught = (program: string): string => `((${program}) (:e e 'error dget puts! e 'message dget puts!)) try`;

describe('the native min v0.44 file format', () => {
  it('stores each symbol as the quotation it runs, pretty-printed, in the order saved', async () => {
    await lines(`42 :n 'n save-symbol
      (dup *) ^sq 'sq save-symbol
      {1 :a} :d 'd save-symbol
      1.0 :f 'f save-symbol
      (1 "two") :q 'q save-symbol
      ([ls -a] x) ^c 'c save-symbol`);
    expect(readFileSync(symbolsFile(), 'utf8')).toBe(
      [
        '{',
        '  "n": [',
        '    42',
        '  ],',
        '  "sq": [',
        '    ";sym:dup",',
        '    ";sym:*"',
        '  ],',
        '  "d": [',
        '    {',
        '      "a": 1',
        '    }',
        '  ],',
        '  "f": [',
        '    1.0',
        '  ],',
        '  "q": [',
        '    [',
        '      1,',
        '      "two"',
        '    ]',
        '  ],',
        '  "c": [',
        '    ";cmd:ls -a",',
        '    ";sym:x"',
        '  ]',
        '}',
      ].join('\n'),
    );
  });

  it('loads symbols back in another process: values, floats, lambdas that run', async () => {
    await lines(`42 :n 'n save-symbol (dup *) ^sq 'sq save-symbol 1.0 :f 'f save-symbol (1 2) :q 'q save-symbol {1 :a} :d 'd save-symbol`);
    expect(await lines(`'n load-symbol n puts!
      'sq load-symbol 3 sq puts!
      'f load-symbol f puts! f type puts!
      'q load-symbol q puts!
      'd load-symbol d puts!
      saved-symbols puts!`)).toEqual(['42', '9', '1.0', 'flt', '(1 2)', '{1 :a}', '("n" "sq" "f" "q" "d")']);
  });

  it('saving again replaces the value in place; remove-symbol deletes it', async () => {
    expect(await lines(`1 :a 'a save-symbol 2 :b 'b save-symbol 3 @a 'a save-symbol saved-symbols puts!
      'a load-symbol a puts! 'b remove-symbol saved-symbols puts!`)).toEqual(['("a" "b")', '3', '("a")']);
  });

  it('reads a file written by native min', async () => {
    writeFileSync(
      symbolsFile(),
      '{\n  "greeting": [\n    "hi"\n  ],\n  "sq": [\n    ";sym:dup",\n    ";sym:*"\n  ],\n  "cfg": [\n    {\n      "port": 8080,\n      "ratio": 0.5\n    }\n  ]\n}',
    );
    expect(await lines(`saved-symbols puts! 'greeting load-symbol greeting puts! 'sq load-symbol 4 sq puts! 'cfg load-symbol cfg /ratio type puts!`)).toEqual([
      '("greeting" "sq" "cfg")',
      'hi',
      '16',
      'flt',
    ]);
  });

  it('defines a loaded symbol in the current scope', async () => {
    await lines(`5 :inner 'inner save-symbol`);
    expect(await lines(`('inner load-symbol inner puts! 'inner defined-symbol? puts!) -> 'inner defined-symbol? puts!`)).toEqual(['5', 'true', 'false']);
  });

  it('writes atomically: the file is replaced by a rename and no temporary file is left', async () => {
    await lines(`1 :a 'a save-symbol`);
    const before = statSync(symbolsFile()).ino;
    await lines(`2 :b 'b save-symbol`);
    expect(statSync(symbolsFile()).ino).not.toBe(before);
    await lines(`'a remove-symbol`);
    expect(readdirSync(home)).toEqual(['.min_symbols']);
    expect(JSON.parse(readFileSync(symbolsFile(), 'utf8'))).toEqual({ b: [2] });
  });

  it('through a symbolic link (a dotfile kept elsewhere), the file it points to is replaced', async () => {
    const kept = join(home, 'kept-symbols.json');
    writeFileSync(kept, '{}');
    symlinkSync(kept, symbolsFile());
    await lines(`3 :c 'c save-symbol`);
    expect(lstatSync(symbolsFile()).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(kept, 'utf8'))).toEqual({ c: [3] });
    expect(readdirSync(home).sort()).toEqual(['.min_symbols', 'kept-symbols.json']);
  });
});

describe('errors a script can catch', () => {
  it('operators cannot be serialized; unknown names are not found', async () => {
    expect(await lines(`${caught(`'dup save-symbol`)}
      (symbol twice (int :x ==> int :r) (x 2 * @r)) :: ${caught(`'twice save-symbol`)}
      ${caught(`'nosuch save-symbol`)} ${caught(`'nosuch load-symbol`)} ${caught(`'nosuch remove-symbol`)}`)).toEqual([
      'MinInvalidError',
      "Symbol 'dup' cannot be serialized.",
      'MinInvalidError',
      "Symbol 'twice' cannot be serialized.",
      'MinUndefinedError',
      "Symbol 'nosuch' not found.",
      'MinUndefinedError',
      "Symbol 'nosuch' not found.",
      'MinUndefinedError',
      "Symbol 'nosuch' not found.",
    ]);
  });

  it('a garbage, truncated or mistyped file gives a min error, never a JavaScript one', async () => {
    const files = ['{"a": [1', '', '[1, 2]', '"text"', 'null', '\u0000\u00ff\u0001binary', '{"a": 1,}', '{"a" [1]}'];
    for (const text of files) {
      writeFileSync(symbolsFile(), text);
      const r = await run(`${caught(`'a load-symbol`)} ${caught('saved-symbols')} ${caught(`'a remove-symbol`)} 1 :b ${caught(`'b save-symbol`)}`);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const out = r.out.split('\n').slice(0, -1);
      expect(out).toHaveLength(8);
      for (let k = 0; k < 8; k += 2) expect(out[k]).toBe('MinInvalidError');
      for (let k = 1; k < 8; k += 2) expect(out[k]).toMatch(/^Invalid symbols file '.*\.min_symbols': /);
      expect(r.out).not.toMatch(/TypeError|is not a function|undefined|at .*\.js/);
      // A failed save leaves the bad file alone rather than replacing what it could not read.
      expect(readFileSync(symbolsFile(), 'utf8')).toBe(text);
    }
  });

  it('a value that is not a quotation is pushed when the symbol is called', async () => {
    writeFileSync(symbolsFile(), '{"a": 5, "b": {"x": [1]}}');
    expect(await lines(`'a load-symbol a puts! 'b load-symbol b puts!`)).toEqual(['5', '{(1) :x}']);
  });

  it('a place that cannot be written is a IOError', async () => {
    const r = await run(`saved-symbols puts! 1 :a ${caught(`'a save-symbol`)}`, { HOME: join(home, 'missing', 'dir') });
    expect(r.err).toBe('');
    expect(r.out.split('\n').slice(0, -1)).toEqual(['()', 'IOError', expect.stringMatching(/^Unable to write symbols file .*: no such file or directory$/)]);
  });

  it('a value nested deeper than JSON allows is refused in words, the file kept (found by test/fuzz-operators.test.ts)', async () => {
    await lines(`1 :kept 'kept save-symbol`);
    const before = readFileSync(symbolsFile(), 'utf8');
    const r = await run(`() (quote) 200000 times :deep ${caught(`'deep save-symbol`)}`);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^IOError\nUnable to write symbols file .*: JSON nesting limit exceeded/);
    expect(readFileSync(symbolsFile(), 'utf8')).toBe(before);
  });

  it('loading over a sealed symbol of the same scope is refused', async () => {
    writeFileSync(symbolsFile(), '{"dup": [1]}');
    const r = await run(`'dup load-symbol`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Symbol dup is sealed');
    expect(await lines(`2 dup + puts!`)).toEqual(['4']);
  });
});

describe('names JavaScript objects inherit', () => {
  it('__proto__, constructor, toString, hasOwnProperty are ordinary names', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const save = names.map((n, k) => `${k + 1} "${n}" define "${n}" save-symbol`).join(' ');
    expect(await lines(`${save} saved-symbols puts!`)).toEqual(['("__proto__" "constructor" "toString" "hasOwnProperty")']);
    expect(Object.keys(JSON.parse(readFileSync(symbolsFile(), 'utf8')) as object)).toEqual(names);
    const load = names.map((n) => `"${n}" load-symbol "${n}" quotesym -> puts!`).join(' ');
    expect(await lines(load)).toEqual(['1', '2', '3', '4']);
    expect(await lines(`"__proto__" remove-symbol ${caught(`"__proto__" remove-symbol`)} ${caught(`"valueOf" load-symbol`)} saved-symbols puts!`)).toEqual([
      'MinUndefinedError',
      "Symbol '__proto__' not found.",
      'MinUndefinedError',
      "Symbol 'valueOf' not found.",
      '("constructor" "toString" "hasOwnProperty")',
    ]);
  });
});

describe('data read from JSON stays data', () => {
  it('save-symbol refuses a value holding symbols read from JSON', async () => {
    await lines(`1 :kept 'kept save-symbol`);
    const before = readFileSync(symbolsFile(), 'utf8');
    expect(await lines(`"{\\"a\\": [\\";sym:pwned\\"]}" from-json :data ${caught(`'data save-symbol`)}
      "[1, \\";cmd:echo pwned\\"]" from-json ^cmd ${caught(`'cmd save-symbol`)}`)).toEqual([
      'MinInvalidError',
      "Symbol 'data' holds data read from JSON (symbol 'pwned'), which cannot be saved as code",
      'MinInvalidError',
      "Symbol 'cmd' holds data read from JSON (command [echo pwned]), which cannot be saved as code",
    ]);
    expect(readFileSync(symbolsFile(), 'utf8')).toBe(before);
  });

  it('but code in the saved-symbols file runs', async () => {
    writeFileSync(symbolsFile(), '{"shout": ["ran", ";sym:puts!"], "listing": [";cmd:echo from-a-command"]}');
    expect(await lines(`'shout load-symbol shout 'listing load-symbol listing puts!`)).toEqual(['ran', 'from-a-command']);
  });
});
