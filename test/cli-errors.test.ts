// How bin/min-ts reports an uncaught error: the line naming the place, the
// symbol and the kind, and the call trace below it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './net/cli.js';

/**
 * The lines of stderr of a program that fails, columns written as C: which
 * column a symbol's position names is the conformance tests' business.
 */
async function fails(args: string[]): Promise<string[]> {
  const p = run(args);
  expect(await p.exit).toBe(1);
  return p.err().trimEnd().split('\n').map((l) => l.replace(/\((\d+),\d+\)/g, '($1,C)'));
}

const script = (code: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'min-ts-cli-')), 'prog.min');
  writeFileSync(file, code);
  return file;
};

describe('the uncaught-error line', () => {
  it('names the kind after the symbol', async () => {
    const [line] = await fails(['-e', '{} socket "127.0.0.1" 1 connect']);
    expect(line).toMatch(/^<eval>\(1,C\) \[connect\] NetError: cannot connect to 127\.0\.0\.1:1: /);
  });

  it('names a kind a script raised', async () => {
    const [line] = await fails(['-e', '{"BadInput" :error "no digits" :message} raise']);
    expect(line).toBe('<eval>(1,C) [raise] BadInput: no digits');
  });
});

describe('an undefined symbol', () => {
  it('names the nearest defined names', async () => {
    const [line] = await fails(['-e', '{} socket "127.0.0.1" 1 conect']);
    expect(line).toBe("<eval>(1,C) [conect] MinUndefinedError: Undefined symbol 'conect' (did you mean connect or concat?)");
  });

  it('looks at the names in scope, the program\'s own included', async () => {
    const [line] = await fails(['-e', '(dup *) ^square-it (2 squareit) ^main main']);
    expect(line).toMatch(/\[squareit\] MinUndefinedError: Undefined symbol 'squareit' \(did you mean square-it\?\)$/);
  });

  it('suggests nothing when no name is near', async () => {
    const [line] = await fails(['-e', 'qqqqqqqqzzzz']);
    expect(line).toBe("<eval>(1,C) [qqqqqqqqzzzz] MinUndefinedError: Undefined symbol 'qqqqqqqqzzzz'");
  });

  it('a try sees the suggestion in the message', async () => {
    const p = run(['-e', "((dupp) ('message dget puts!)) try"]);
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/^Undefined symbol 'dupp' \(did you mean dup\b/);
  });
});

describe('help of an undefined name in a program', () => {
  it('only warns, as natively, naming the nearest names', async () => {
    const p = run(['-e', "'conect help 'qqqqqqqqzzzz help \"done\" puts!"]);
    expect(await p.exit).toBe(0);
    expect(p.out()).toBe('done\n');
    expect(p.err()).toBe('Undefined symbol: conect (did you mean connect or concat?)\nUndefined symbol: qqqqqqqqzzzz\n');
  });
});

describe('a sealed symbol', () => {
  it('a built-in: names its module and how to pick another name', async () => {
    const [line] = await fails(['-e', '3 :base']);
    expect(line).toBe(
      "<eval>(1,C) [:base] MinInvalidError: Symbol base is sealed: it is a built-in operator of module num; pick another name (such as my-base), or unseal it first with 'base unseal-symbol",
    );
  });

  it('a module, and a symbol the program sealed', async () => {
    expect((await fails(['-e', '(1) ^net']))[0]).toMatch(/\[\^net\] MinInvalidError: Symbol net is sealed: it is the module net; pick another name \(such as my-net\)$/);
    expect((await fails(['-e', "1 :y 'y seal-symbol 2 :y"]))[0]).toMatch(/Symbol y is sealed: it was sealed with seal-symbol; pick another name \(such as my-y\), or unseal it first with 'y unseal-symbol$/);
  });
});

describe('an invalid regular expression', () => {
  it('names the operator, the pattern and what is wrong', async () => {
    expect((await fails(['-e', '"a" "?" split']))[0]).toBe('<eval>(1,C) [split] MinInvalidError: split: invalid regular expression "?": nothing to repeat at offset 0');
    expect((await fails(['-e', '"a b" "(a" "-" replace']))[0]).toBe('<eval>(1,C) [replace] MinInvalidError: replace: invalid regular expression "(a": missing closing parenthesis');
  });

  it('in every regex operator', async () => {
    const code = ['"[b" match?', '"[b" search', '"[b" search-all', '"[b" split', '"[b" "x" replace', '"[b" (pop "x") replace-apply']
      .map((call) => `(("a" ${call}) ('message dget puts!)) try`)
      .join('\n');
    const p = run(['-e', code]);
    expect(await p.exit).toBe(0);
    expect(p.out()).toBe(
      ['match?', 'search', 'search-all', 'split', 'replace', 'replace-apply'].map((op) => `${op}: invalid regular expression "[b": missing terminating ] for character class\n`).join(''),
    );
  });
});

describe('the call trace', () => {
  it('keeps the callers of tail calls', async () => {
    const file = script(['({"boom" :message} raise) ^fail', '(fail) ^mid', '(mid) ^top', 'top', ''].join('\n'));
    const lines = await fails([file]);
    expect(lines).toEqual([
      `${file}(1,C) [raise] MinRuntimeError: boom`,
      `  at ${file}(2,C) [fail]`,
      `  at ${file}(3,C) [mid]`,
      `  at ${file}(4,C) [top]`,
    ]);
  });

  it('counts the passes of a loop written as a tail call', async () => {
    // Every pass is a tail call of `step`, which drops its caller's frame: constant memory, a short trace.
    const lines = await fails(['-e', '(1 - dup 0 == ({"end" :message} raise) when step) ^step 100000 step']);
    expect(lines).toEqual([
      '<eval>(1,C) [raise] MinRuntimeError: end',
      '  at <eval>(1,C) [when]',
      '  at <eval>(1,C) [step]',
      '  ... 99998 more (the call above, repeated)',
      '  at <eval>(1,C) [step]',
    ]);
  });

  it('keeps the latest callers of a long chain of tail calls and counts the others', async () => {
    const lines = await fails(['-e', '(1 - b) ^a (dup 0 == ({"end" :message} raise) when a) ^b 100000 b']);
    expect(lines.slice(0, 4)).toEqual(['<eval>(1,C) [raise] MinRuntimeError: end', '  at <eval>(1,C) [when]', '  at <eval>(1,C) [b]', '  at <eval>(1,C) [a]']);
    expect(lines.slice(4)).toEqual([
      expect.stringMatching(/^ {2}\.\.\. \d+ more \(the 2 calls above, repeated\)$/),
      expect.stringMatching(/^ {2}\.\.\. \d+ more tail calls$/),
    ]);
    // Every call is counted: 100001 of b (100000 down to 0, the first from the top level) and 100000 of a.
    const counted = lines.slice(4).map((l) => Number(/\d+/.exec(l)![0]));
    expect(2 + counted[0]! + counted[1]!).toBe(200001);
  });

  it('folds the repeats of a deep recursion', async () => {
    const lines = await fails(['-e', '(dup 0 == ({"x" :message} raise) (1 - f 1 +) if) ^f\n5000 f']);
    expect(lines).toEqual([
      '<eval>(1,C) [raise] MinRuntimeError: x',
      '  at <eval>(1,C) [if]',
      '  at <eval>(1,C) [f]',
      '  ... 9998 more (the 2 calls above, repeated)',
      '  at <eval>(1,C) [if]',
      '  at <eval>(2,C) [f]',
    ]);
  });
});

describe('running out of depth', () => {
  it('is located at the call that went too deep', { timeout: 60000 }, async () => {
    const lines = await fails(['-e', '(f 1) ^f f']);
    expect(lines[0]).toBe('<eval>(1,C) [f] MinRecursionError: recursion limit exceeded: more than 2000000 nested calls');
    expect(lines[1]).toBe('  at <eval>(1,C) [f]');
    expect(lines[2]).toMatch(/^ {2}\.\.\. 1999998 more \(the call above, repeated\)$/);
  });

  it('when reading a program nested too deeply, names where the reader was', async () => {
    const file = script('1 2 +\n' + '('.repeat(200000));
    const [line] = await fails([file]);
    expect(line).toMatch(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}\\(2,C\\) MinRecursionError: recursion limit exceeded`));
  });
});
