// The HTTP server examples run through the CLI on port 0: the JSON API
// with routes (driven by fetch), and the SSE clock and web chat as plain
// HTTP and WebSocket (browser.test.ts shows them in Chromium).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { example, root, run } from './cli.js';
import { waitFor } from '../wait.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

async function call(url: string, method = 'GET', body?: string): Promise<{ status: number; allow: string | null; json: unknown }> {
  const r = await fetch(url, { method, body });
  const text = await r.text();
  return { status: r.status, allow: r.headers.get('allow'), json: text === '' ? null : JSON.parse(text) };
}

describe('HTTP server examples', () => {
  it('json-api keeps notes behind its routes', async () => {
    const srv = run([example('json-api.min')]);
    const port = (await srv.waitFor(/Notes API on http:\/\/127\.0\.0\.1:(\d+)\/notes\n/))[1];
    const notes = `http://127.0.0.1:${port}/notes`;
    expect(await call(notes, 'POST', 'buy milk')).toEqual({ status: 201, allow: null, json: { id: '1' } });
    expect(await call(notes, 'POST', 'call bob')).toEqual({ status: 201, allow: null, json: { id: '2' } });
    expect((await call(notes)).json).toEqual({ 1: 'buy milk', 2: 'call bob' });
    expect((await call(`${notes}?q=milk`)).json).toEqual({ 1: 'buy milk' });
    expect((await call(`${notes}/2`)).json).toEqual({ id: '2', text: 'call bob' });
    expect((await call(`${notes}/1`, 'DELETE')).status).toBe(204);
    expect(await call(`${notes}/1`)).toEqual({ status: 404, allow: null, json: { error: 'no such note' } });
    const wrong = await fetch(notes, { method: 'PUT' });
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    srv.child.kill();
    await srv.exit;
    expect(srv.err()).toBe('');
  });

  it('sse-clock streams an event a second on /clock', async () => {
    const srv = run([example('sse-clock.min')]);
    const port = (await srv.waitFor(/Clock on http:\/\/127\.0\.0\.1:(\d+)\//))[1];
    let text = '';
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`http://127.0.0.1:${port}/clock`, resolve));
    expect(res.headers['content-type']).toBe('text/event-stream');
    res.setEncoding('utf8').on('data', (s: string) => (text += s));
    await waitFor(() => (text.match(/^data: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n\n/gm) ?? []).length >= 2, { what: 'two events', state: () => text });
    res.destroy();
    srv.child.kill();
    await srv.exit;
  });

  it('web-chat serves its page and broadcasts on the WS route of the same port', async () => {
    const srv = run([example('web-chat.min')]);
    const port = (await srv.waitFor(/Chat on http:\/\/127\.0\.0\.1:(\d+)\//))[1];
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain("new WebSocket(`ws://${location.host}/chat`)");
    const got: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    ws.on('message', (m) => got.push(String(m)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('hi');
    await waitFor(() => got.includes('[1] hi'), { what: 'the broadcast', state: () => got.join('\n') });
    expect(got[0]).toBe('* 1 joined');
    ws.close();
    srv.child.kill();
    await srv.exit;
  });
});
