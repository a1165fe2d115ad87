// Development mode on the command line: `-d`/`--dev` turns on the checks
// native min makes only with -d (operator signatures, stack pollution,
// expect, dequote); without it a program that runs natively runs here.
import { describe, expect, it } from 'vitest';
import { run } from './net/cli.js';

const PROGRAM = '(symbol same (int :n ==> int :r) (n @r)) :: (("ten" same puts!) (\'error dget puts!)) try dev? puts!';

describe('-d / --dev', () => {
  it('without it, operator signatures are not checked', async () => {
    const p = run(['eval', PROGRAM]);
    expect(await p.exit).toBe(0);
    expect(p.out()).toBe('ten\nfalse\n');
  });

  for (const flag of ['-d', '--dev']) {
    it(`${flag} checks them, as native min -d does`, async () => {
      const p = run([flag, 'eval', PROGRAM]);
      expect(await p.exit).toBe(0);
      expect(p.out()).toBe('MinInvalidError\ntrue\n');
    });
  }

  it('is in the usage text', async () => {
    const p = run(['--help']);
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/-d, --dev +development mode/);
  });
});
