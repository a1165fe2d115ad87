// Development mode on the command line: `-d`/`--dev` turns on the checks
// native min makes only with -d (operator signatures, stack pollution,
// expect, dequote); without it a program that runs natively runs here.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './net/cli.js';
import { hasScript, shellSession } from './repl/pty.js';

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

  it('applies to a program read from standard input', async () => {
    const p = run(['-d']);
    p.child.stdin!.end('dev? puts!\n');
    expect(await p.exit).toBe(0);
    expect(p.out()).toBe('true\n');
  });

  it.skipIf(!hasScript)('applies to the shell', { timeout: 60000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'min-dev-home-'));
    const s = shellSession(home, '-d');
    try {
      await s.expect(']$ ');
      s.send('dev?\r');
      expect(await s.expect(']$ ')).toContain(' true');
      s.send('0 exit\r');
    } finally {
      s.kill();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('is in the usage text', async () => {
    const p = run(['--help']);
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/-d, --dev +development mode/);
  });
});
