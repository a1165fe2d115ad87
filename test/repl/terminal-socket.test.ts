// Ctrl-C in the shell on a terminal, on an entry waiting in recv-line: the
// wait is given up for good, and the next recv-line gets the next line (a
// real pseudo-terminal, and a Node peer on 127.0.0.1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasScript, shellSession } from './pty.js';
import { tcpServer } from '../net/peers.js';

const root = join(import.meta.dirname, '..', '..');
let home: string;
beforeAll(() => {
  execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
  home = mkdtempSync(join(tmpdir(), 'min-repl-home-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.skipIf(!hasScript)('Ctrl-C on a socket wait in the shell', { timeout: 60000 }, () => {
  it('cancels the recv-line for good: the next one gets the next line', async () => {
    const peer = await tcpServer();
    const s = shellSession(home);
    try {
      await s.expect(']$ ');
      s.send(`{} socket "127.0.0.1" ${peer.port} connect :c\r`);
      await s.expect(']$ ');
      // The entry says when it has started waiting: a Ctrl-C before that would meet the prompt.
      s.send('"waiting" puts! c recv-line\r');
      await s.expect('waiting\n');
      s.send('\x03');
      await s.expect('Interrupted');
      await s.expect(']$ ');
      (await peer.conn()).write('first\nsecond\n');
      s.send('c recv-line\r');
      expect(await s.expect(']$ ')).toContain(' "first"');
      s.send('c recv-line\r');
      expect(await s.expect(']$ ')).toContain(' "second"');
      s.send('0 exit\r');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
      await peer.close();
    }
  });
});
