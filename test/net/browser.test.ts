// The server in a real browser: Debian's headless Chromium, driven by
// playwright-core, loads pages from min servers on 127.0.0.1 and the test
// reads what the page shows: a WebSocket opened on the page's own port
// echoing a message, the SSE clock example ticking, the chat example.
// Without /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it)
// or playwright-core, the tests are skipped with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { example, root, run } from './cli.js';
import { minPrinted, startMin, tempDir } from './peers.js';

const CHROMIUM = '/usr/bin/chromium';

function missing(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install -y chromium)`;
  try {
    createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm ci)';
  }
  return null;
}

const why = missing();
if (why) console.warn(`browser tests skipped: ${why}`);

let context: BrowserContext;
let profile = '';

async function open(url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe.skipIf(why !== null)(`in headless Chromium${why ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'min-ts-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens a WebSocket on the page\'s own port and shows the echo', async () => {
    const site = tempDir();
    writeFileSync(
      site.path('index.html'),
      `<!doctype html><p id="out">waiting</p><script>
        const ws = new WebSocket('ws://' + location.host + '/echo');
        ws.onopen = () => ws.send('hello from the browser');
        ws.onmessage = (e) => { document.getElementById('out').textContent = e.data; };
        ws.onerror = () => { document.getElementById('out').textContent = 'websocket error'; };
      </script>`,
    );
    const p = startMin(`{ 0 :port
      (("WS /echo" (:s s recv-line :got s "echo: $1 ($2)" (got s /headers /origin) => % send))
       ("GET /stop" (pop stop-server {}))) :routes
      (("/" ${JSON.stringify(site.dir)})) :static
      (:srv "port $1" (srv /port) => % puts!) :started } start-server`);
    await minPrinted(p, 'port ');
    const port = /port (\d+)/.exec(p.out())![1];
    const page = await open(`http://127.0.0.1:${port}/`);
    await page
      .waitForFunction(() => document.getElementById('out')!.textContent !== 'waiting', null, { timeout: 30000 })
      .catch((e: Error) => {
        throw new Error(`${e.message}\n--- the server printed:\n${p.out()}${p.err()}`);
      });
    expect(await page.textContent('#out')).toBe(`echo: hello from the browser (http://127.0.0.1:${port})`);
    await page.close();
    await fetch(`http://127.0.0.1:${port}/stop`);
    await p.ok();
    site.remove();
  });

  it('shows the SSE clock of examples/sse-clock.min ticking', async () => {
    const srv = run([example('sse-clock.min')]);
    const port = (await srv.waitFor(/Clock on http:\/\/127\.0\.0\.1:(\d+)\//))[1];
    const page = await open(`http://127.0.0.1:${port}/`);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    await page.waitForFunction(() => /Z$/.test(document.getElementById('clock')!.textContent!), null, { timeout: 30000 });
    const first = (await page.textContent('#clock'))!;
    expect(first).toMatch(iso);
    // A later event on the same response: the body streams.
    await page.waitForFunction((t) => document.getElementById('clock')!.textContent !== t, first, { timeout: 30000 });
    expect(await page.textContent('#clock')).toMatch(iso);
    await page.close();
    srv.child.kill();
    await srv.exit;
  });

  it('chats on the static page of examples/web-chat.min', async () => {
    const srv = run([example('web-chat.min')]);
    const port = (await srv.waitFor(/Chat on http:\/\/127\.0\.0\.1:(\d+)\//))[1];
    const page = await open(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.getElementById('log')!.textContent!.includes('* 1 joined'), null, { timeout: 30000 });
    await page.fill('#say', 'hello, room');
    await page.press('#say', 'Enter');
    await page.waitForFunction(() => document.getElementById('log')!.textContent!.includes('[1] hello, room'), null, { timeout: 30000 });
    await page.close();
    srv.child.kill();
    await srv.exit;
    expect(srv.err()).toBe('');
  });
});
