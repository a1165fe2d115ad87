// The interpreter and the compiled code follow one set of evaluation rules
// (src/core/evaluation.ts). Here every entry kind, holding every kind of
// value, and every kind of item is evaluated by the interpreter alone and by
// code compiled at once: the two must leave the same output. A new entry
// kind must be listed in ENTRY_KINDS (or the sources fail to type-check),
// and then it is run here both ways too.
import { describe, expect, it } from 'vitest';
import { ENTRY_KINDS } from '../src/core/evaluation.js';
import { EntryKind, type Entry } from '../src/core/scope.js';
import { Cmd, Dict, Flt, Sym, type Value } from '../src/core/values.js';
import { Scope, valueEntry } from '../src/core/scope.js';
import { runProgram } from '../src/core/interpreter.js';
import type { CompileMode } from '../src/core/compile.js';
import { createRuntime } from '../src/ops/modules.js';

/** Values an entry may hold, one of each shape the rules tell apart. */
function samples(): [string, () => Value][] {
  const literal = () => {
    const s = new Scope(null);
    s.set('k', valueEntry(1));
    return new Dict(s, null, undefined, true);
  };
  return [
    ['int', () => 7],
    ['float', () => new Flt(2.5)],
    ['string', () => 's'],
    ['bool', () => true],
    ['null', () => null],
    ['quotation', () => [1, new Sym('dup'), new Sym('+')]],
    ['symbol', () => new Sym('dup')],
    ['dict literal', literal],
    ['dict', () => new Dict(new Scope(null))],
    ['command', () => new Cmd('echo cmd')],
  ];
}

/** Run `program` with `x` bound to `entry` (made fresh for each run), as `mode` compiles. */
async function run(program: string, entry: (dup: Entry) => Entry, mode: CompileMode): Promise<string> {
  let out = '';
  const write = (s: string) => void (out += s);
  const rt = createRuntime({ out: { write }, err: { write }, compile: mode });
  rt.global.set('x', entry(rt.global.get('dup')!));
  const { code } = await runProgram(rt, program, 'evaluation.min');
  return `${out}exit ${code}`;
}

// Each pass mutates what it got, so a copy that should have been fresh shows.
const USE_X = `(((x get-stack puts! clear-stack) 3 times) ('message dget puts!)) try
(((x 2 'k dset pop x puts!) 2 times) ('message dget puts!)) try`;

describe('entries are applied alike interpreted and compiled', () => {
  for (const kind of ENTRY_KINDS) {
    const entries: [string, (dup: Entry) => Entry][] =
      kind === EntryKind.Native
        ? [['dup', (dup) => ({ ...dup })]]
        : samples().map(([name, make]) => [name, () => ({ kind, val: make(), op: null, sealed: false })]);
    for (const [name, entry] of entries) {
      it(`kind ${kind} holding ${name}`, async () => {
        const program = `1 2 ${USE_X}`;
        const interpreted = await run(program, entry, 'never');
        expect(await run(program, entry, 'always')).toBe(interpreted);
        expect(await run(program, entry, 'hot')).toBe(interpreted);
      });
    }
  }
});

describe('items are evaluated alike interpreted and compiled', () => {
  const items: [string, string][] = [
    ['literals', '1 -0 2.5 "s" true null (1 2)'],
    ['a symbol', '1 dup'],
    ['a dict literal', '{1 :a} dup 2 \'a dset pop'],
    ['a command', '[echo item]'],
  ];
  for (const [name, text] of items) {
    it(name, async () => {
      const program = `(${text} get-stack puts! clear-stack) 3 times`;
      const interpreted = await run(program, (dup) => dup, 'never');
      expect(await run(program, (dup) => dup, 'always')).toBe(interpreted);
    });
  }
});
