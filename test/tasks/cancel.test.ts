// cancel of tasks waiting on sockets: the CancelledError is raised inside the
// task, and the wait takes nothing with it (the next accept gets the
// connection, the next recv-line the line). Real sockets on loopback, with a
// Node peer where one is needed.
import { describe, expect, it } from 'vitest';
import { min, minOk, nodeClient, startMin, minPrinted } from '../net/peers.js';

/** Wait, in min, until task T is waiting (not for a time). */
const untilWaiting = (t: string) => `(${t} 'state dget "waiting" !=) (yield) while`;

describe('cancel', () => {
  it('of a task waiting in accept leaves the connection to the next accept', async () => {
    const out = await minOk(`
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv 'port dget :port
      (srv {} socket accept) spawn :t
      ${untilWaiting('t')}
      t cancel
      ((t wait) ('error dget puts!)) try
      ({} socket "127.0.0.1" port connect :c c "hi\\n" send) spawn pop
      srv {} socket accept recv-line puts!
      srv close
    `);
    expect(out).toBe('CancelledError\nhi\n');
  });

  it('of a task waiting in recv-line leaves the line to the next reader', async () => {
    const p = startMin(`
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv 'port dget puts!
      srv {} socket accept :conn
      (((conn recv-line) (:e "cleanup " e 'error dget suffix puts! e raise)) try) spawn :t
      ${untilWaiting('t')}
      t cancel
      ((t wait) ('error dget puts!)) try
      "ready" puts!
      conn recv-line puts!
      conn close srv close
    `);
    const port = Number((await minPrinted(p, '\n'), p.out().split('\n')[0]));
    const peer = await nodeClient(port);
    await minPrinted(p, 'ready');
    peer.write('the line\n');
    expect(await p.ok()).toBe(`${port}\ncleanup CancelledError\nCancelledError\nready\nthe line\n`);
    peer.destroy();
  });

  it('of a long sleep lets the program end at once', async () => {
    const started = performance.now();
    const out = await minOk(`(3600000 sleep) spawn :t ${untilWaiting('t')} t cancel "done" puts!`);
    expect(out).toBe('done\n');
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('exit codes', () => {
  it('is 1 when a task ended with an error nobody waited for, 0 when wait took it', async () => {
    const failed = await min('((1 0 div) spawn) -> pop "main ends" puts!');
    expect(failed.out).toBe('main ends\n');
    expect(failed.err).toMatch(/\(task 1\).*Division by zero/);
    expect(failed.code).toBe(1);
    const taken = await min('(((1 0 div) spawn wait) (pop)) try "main ends" puts!');
    expect(taken.code).toBe(0);
    const exited = await min('((1 0 div) spawn) -> pop 1 sleep 3 exit');
    expect(exited.code).toBe(3);
    const cancelled = await min('(1000000 sleep) spawn :t yield t cancel');
    expect(cancelled.code).toBe(0);
  });
});
