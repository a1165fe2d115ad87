// The shell end to end on a pseudo-terminal: define and use a symbol, tab
// completion of a module's members, recovering from an error, Ctrl-C on a
// half-typed line and on a waiting operator, history on disk, `0 exit`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasScript, shellSession, type PtySession } from './pty.js';

const root = join(import.meta.dirname, '..', '..');
let home: string;

beforeAll(() => {
  execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
  home = mkdtempSync(join(tmpdir(), 'min-repl-home-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

const start = (extraEnv: NodeJS.ProcessEnv = {}, args = ''): PtySession => shellSession(home, args, extraEnv);

// Generous: a pty session is slow on a loaded machine.
describe.skipIf(!hasScript)('the shell on a terminal', { timeout: 60000 }, () => {
  it('evaluates entries, completes, recovers and exits', async () => {
    writeFileSync(join(home, '.minrc'), '"from minrc" :greeting\n');
    const s = start();
    try {
      await s.expect('min shell v');
      // The banner says how to get help and how to leave.
      await s.expect('Help: ?NAME for an operator, a sigil or a module');
      await s.expect('Leave: Ctrl-D, or 0 exit.');
      await s.expect(']$ ');

      s.send('(dup *) ^square\r');
      await s.expect(']$ ');
      s.send('7 square\r');
      expect(await s.expect(']$ ')).toContain('\n 49\n');

      // .minrc ran before the first prompt.
      s.send('greeting\r');
      expect(await s.expect(']$ ')).toContain(' "from minrc"');

      // Two tabs list the members of the stack module...
      // (readline ignores a Tab that arrives in one chunk with other keys, as in a paste)
      s.send('stack.');
      await s.expect('stack.');
      await s.sendApart('\t');
      s.send('\t');
      await s.expect('stack.swons');
      // ...one tab finishes a unique one.
      s.send('swa');
      await s.expect('swa');
      s.send('\t');
      await s.expect('p');
      expect(s.text).toMatch(/\$ stack\.swap$/);
      s.send('\r');
      expect(await s.expect(']$ ')).toContain('\n 49\n');

      // An error is reported and the session goes on with the stack it had.
      s.send('1 "a" +\r');
      const e = await s.expect(']$ ');
      expect(e).toMatch(/<repl>\(1,7\) \[\+\]/);
      s.send('pop\r');
      expect(await s.expect(']$ ')).toContain('\n 1\n');

      // Multi-line entry with a continuation prompt.
      s.send('(1\r');
      await s.expect('... ');
      s.send('2) size\r');
      expect(await s.expect(']$ ')).toContain('\n 2\n');

      // Ctrl-C throws away a half-typed line...
      s.send('1 2 3');
      await s.expect('1 2 3');
      s.send('\x03');
      await s.expect(']$ ');
      // ...and interrupts an operator that waits, keeping the shell.
      // The entry says when it has started waiting: a Ctrl-C before that would meet the prompt.
      s.send('"waiting" puts! 100000 sleep\r');
      await s.expect('100000 sleep\n');
      await s.expect('waiting\n');
      s.send('\x03');
      await s.expect('Interrupted');
      await s.expect(']$ ');
      s.send('"still here"\r');
      expect(await s.expect(']$ ')).toContain(' "still here"');

      s.send('0 exit\r');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
      rmSync(join(home, '.minrc'), { force: true });
    }
    const hist = readFileSync(join(home, '.min_history'), 'utf8');
    expect(hist).toContain('(dup *) ^square\n7 square\n');
    expect(hist).toContain('(1\n2) size\n');
  });

  it('offers history from earlier sessions and leaves on Ctrl-D', async () => {
    writeFileSync(join(home, '.min_history'), '"from history" 42\n');
    const s = start();
    try {
      await s.expect(']$ ');
      s.send('\x1b[A'); // up arrow
      await s.expect('"from history" 42');
      s.send('\r');
      expect(await s.expect(']$ ')).toContain('\n 42\n');
      s.send('\x04');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('leaves on a second Ctrl-C on an empty line', async () => {
    const s = start();
    try {
      await s.expect(']$ ');
      s.send('\x03');
      await s.expect('press Ctrl-C again');
      await s.expect(']$ ');
      s.send('\x03');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('exits with the code given to exit', async () => {
    const s = start();
    try {
      await s.expect(']$ ');
      s.send('3 exit\r');
      expect(await s.exited).toBe(3);
    } finally {
      s.kill();
    }
  });

  it('colours errors on a terminal unless NO_COLOR is set', async () => {
    const s = start({ NO_COLOR: '' });
    try {
      await s.expect(']$ ');
      s.send('nosuchsymbol\r');
      await s.expect('Undefined symbol');
      expect(s.raw).toContain('\x1b[31m');
      s.send('0 exit\r');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('gives a plain shell with -j', async () => {
    const s = start({}, '-j');
    try {
      await s.expect(']$ ');
      s.send('2 3 *\r');
      expect(await s.expect(']$ ')).toContain(' 6');
      s.send('0 exit\r');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });
});
