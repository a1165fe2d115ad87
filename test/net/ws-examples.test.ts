// The WebSocket scripts in examples/, run through the CLI on port 0:
// the echo server and client, and the broadcast chat server with its client.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import WebSocket from 'ws';

import { example, root, run } from './cli.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

describe('WebSocket examples', () => {
  it('ws-echo-server serves ws-echo-client (two clients, then stops)', async () => {
    const srv = run([example('ws-echo-server.min'), '0', '2']);
    const port = (await srv.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)\/\n/))[1]!;
    const a = run([example('ws-echo-client.min'), port, 'hello', '', 'wörld ✓']);
    expect(await a.exit).toBe(0);
    expect(a.out()).toBe(`Connected to ws://127.0.0.1:${port}/\n> hello\n< hello\n> \n< \n> wörld ✓\n< wörld ✓\nping: got a pong\n`);
    const b = run([example('ws-echo-client.min'), port, 'again']);
    expect(await b.exit).toBe(0);
    expect(b.out()).toContain('< again\n');
    expect(await srv.exit).toBe(0);
    expect(srv.out()).toMatch(/Client 127\.0\.0\.1:\d+ connected to \/\nClient 127\.0\.0\.1:\d+ left \(1000 done\)\n/);
    expect(a.err() + b.err() + srv.err()).toBe('');
  });

  it('ws-echo-server echoes binary messages as binary for a Node client, and survives a vanishing one', async () => {
    const srv = run([example('ws-echo-server.min'), '0', '2']);
    const port = (await srv.waitFor(/:(\d+)\/\n/))[1]!;
    const rude = new WebSocket(`ws://127.0.0.1:${port}/rude`);
    rude.on('error', () => {});
    await once(rude, 'open');
    rude.terminate();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await once(ws, 'open');
    const bytes = Buffer.from([0, 1, 128, 255]);
    ws.send(bytes, { binary: true });
    const [data, isBinary] = (await once(ws, 'message')) as [Buffer, boolean];
    expect(isBinary).toBe(true);
    expect(Buffer.compare(data, bytes)).toBe(0);
    ws.close(4000, 'enough');
    expect(await srv.exit).toBe(0);
    expect(srv.out()).toMatch(/Client 127\.0\.0\.1:\d+ lost: the connection was lost: the peer went away without closing the WebSocket \(1006\)\n/);
    expect(srv.out()).toMatch(/left \(4000 enough\)\n$/);
  });

  it('ws-echo-client without arguments prints its usage', async () => {
    const p = run([example('ws-echo-client.min')]);
    expect(await p.exit).toBe(2);
    expect(p.out()).toBe('Usage: ws-echo-client.min PORT MESSAGE...\n');
  });

  it('ws-chat-server sends every message to all ws-chat-client clients', async () => {
    const srv = run([example('ws-chat-server.min'), '0']);
    const port = (await srv.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)\/\n/))[1]!;
    const a = run([example('ws-chat-client.min'), port]);
    await a.waitFor(/\* 1 joined\n/);
    const b = run([example('ws-chat-client.min'), port]);
    await b.waitFor(/\* 2 joined\n/);
    await a.waitFor(/\* 2 joined\n/);
    a.child.stdin!.write('hello from a\n');
    await b.waitFor(/\[1\] hello from a\n/);
    await a.waitFor(/\[1\] hello from a\n/);
    b.child.stdin!.write('and b ✓\n');
    await a.waitFor(/\[2\] and b ✓\n/);
    await b.waitFor(/\[2\] and b ✓\n/);
    // A Node client joins too and hears the others.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const heard: string[] = [];
    ws.on('message', (d) => heard.push(d.toString()));
    await once(ws, 'open');
    await b.waitFor(/\* 3 joined\n/);
    a.child.stdin!.end();
    expect(await a.exit).toBe(0);
    await b.waitFor(/\* 1 left\n/);
    expect(a.out()).toBe(`* connected to ws://127.0.0.1:${port}/\n* 1 joined\n* 2 joined\n[1] hello from a\n[2] and b ✓\n* 3 joined\n* bye\n`);
    b.child.stdin!.end();
    expect(await b.exit).toBe(0);
    expect(b.out()).toBe(`* connected to ws://127.0.0.1:${port}/\n* 2 joined\n[1] hello from a\n[2] and b ✓\n* 3 joined\n* 1 left\n* bye\n`);
    while (heard.length < 3) await once(ws, 'message');
    expect(heard).toEqual(['* 3 joined', '* 1 left', '* 2 left']);
    ws.close();
    // The server's own output comes through its pipe in its own time.
    await srv.waitFor(/^Chat server listening on ws:\/\/127\.0\.0\.1:\d+\/\n\* 1 joined\n\* 2 joined\n\[1\] hello from a\n\[2\] and b ✓\n/);
    expect(srv.err() + a.err() + b.err()).toBe('');
  });

  it('ws-chat-client tells when the server goes away without closing', async () => {
    const srv = run([example('ws-chat-server.min'), '0']);
    const port = (await srv.waitFor(/:(\d+)\/\n/))[1]!;
    const a = run([example('ws-chat-client.min'), port]);
    await a.waitFor(/\* 1 joined\n/);
    srv.child.kill();
    expect(await a.exit).toBe(0);
    expect(a.out()).toMatch(/\* 1 joined\n\* lost the chat: the connection was lost: the peer went away without closing the WebSocket \(1006\)\n$/);
  });
});
