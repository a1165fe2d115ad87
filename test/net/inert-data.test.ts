// Data from peers and files never runs. A JSON API written naively in min,
// served by start-server and by a line server, is attacked from Node clients
// on loopback with bodies naming `system`, a lambda of the script and shell
// commands (";sym:..." and ";cmd:..." strings, which from-json keeps as
// symbols and commands). Nothing of it may run: the script gets catchable
// errors, no marker file appears, and the servers go on answering.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { tempDir } from './peers.js';
import { root, run } from './cli.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const str = (s: string): string => JSON.stringify(s);

function post(port: number, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api', method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The attacks: each names code to run, for a handler that reads `name` and dequotes `args`. */
function attacks(marker: (n: number) => string): string[] {
  return [
    JSON.stringify({ name: ';sym:pwned', args: [] }),
    JSON.stringify({ name: 'x', args: [`touch ${marker(1)}`, ';sym:system'] }),
    JSON.stringify({ name: 'x', args: [`;cmd:touch ${marker(2)}`] }),
    JSON.stringify({ name: ';cmd:touch ' + marker(3), args: [] }),
    JSON.stringify({ name: 'x', args: [`touch ${marker(4)}`, ';sym:!'] }),
    JSON.stringify({ name: 'x', args: [[`touch ${marker(5)}`, ';sym:system'], ';sym:->'] }),
    JSON.stringify({ name: 'x', args: [';sym:pwned!'] }),
    JSON.stringify({ name: 'x', args: [';sym:@pwned'] }),
    JSON.stringify({ name: 'x', args: [`;sym:!touch ${marker(6)}`] }),
    JSON.stringify({ name: 'x', args: [';sym:msg.name'] }),
    JSON.stringify({ name: 'x', args: [1, 2, ';sym:exit'] }),
  ];
}

/**
 * The attack whose command is pushed by an operator (`msg /name`). Where
 * pushed commands stay values it is answered as data; where every push of a
 * command runs it, as in native min, it is refused as inert. Never run.
 */
const COMMAND_AS_VALUE = 3;
const INERT = /is data read from JSON, and data read from JSON does not run$/;

// The script's own lambda, which writes a marker: the attack that names it must not reach it.
const PWNED = (marker: string): string => `("pwned" ${str(marker)} fwrite "PWNED" puts!) ^pwned`;

describe('a JSON API served by start-server', () => {
  it('never runs symbols or commands a client sends, and keeps answering', async () => {
    const marker = (n: number) => tmp.path(`marker-${n}`);
    writeFileSync(
      tmp.path('api.min'),
      `${PWNED(marker(0))}
      (
        :req
        (
          (
            req /body from-json :msg
            msg /name :name
            msg /args ->
            {} 200 'status dset ("Hello " name) => "" join 'body dset
              {} req /headers "__proto__" dhas? (req /headers /__proto__) ("") if 'x-proto dset 'headers dset
          )
          (:e {} 400 'status dset (e /error ": " e /message) => "" join 'body dset)
        ) try
      ) :handler
      {handler :handler 0 :port (/port "listening on $1" swap quote % puts!) :started} start-server`,
    );
    const p = run([tmp.path('api.min')]);
    const port = Number((await p.waitFor(/listening on (\d+)\n/))[1]);

    for (const [k, body] of attacks(marker).entries()) {
      const r = await post(port, body);
      // A command read as a plain value (`msg /name`) is only data, shown as such.
      if (k === COMMAND_AS_VALUE && r.status === 200) expect(r.body).toBe(`Hello [touch ${marker(3)}]`);
      else expect(r, body).toEqual({ status: 400, body: expect.stringMatching(/^MinInvalidError: (Symbol '.*'|Command \[.*\]) is data read from JSON, and data read from JSON does not run$/) });
    }

    // An ordinary request is answered, and a header named __proto__ reaches the handler.
    const ok = await new Promise<{ status: number; body: string; proto: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'POST', agent: false });
      req.setHeader('__proto__', 'kept');
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, proto: res.headers['x-proto'] as string | undefined }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ name: 'bob', args: [] }));
    });
    expect(ok).toEqual({ status: 200, body: 'Hello bob', proto: 'kept' });

    p.child.kill();
    await p.exit;
    for (let n = 0; n <= 6; n++) expect(existsSync(marker(n)), marker(n)).toBe(false);
    expect(p.out()).not.toContain('PWNED');
  });
});

describe('a JSON line protocol on a TCP server', () => {
  it('treats every line as data', async () => {
    const marker = (n: number) => tmp.path(`line-marker-${n}`);
    writeFileSync(
      tmp.path('lines.min'),
      `${PWNED(marker(0))}
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port "listening on $1" swap quote % puts!
      srv (
        :cli "" :line
        (cli recv-line @line line "" !=) (
          (
            (line from-json :msg msg /name :name msg /args -> "ok")
            (:e e /message)
          ) try :answer
          cli answer "\\n" suffix send
        ) while
      ) serve`,
    );
    const p = run([tmp.path('lines.min')]);
    const port = Number((await p.waitFor(/listening on (\d+)\n/))[1]);
    const lines = [...attacks(marker), JSON.stringify({ name: 'fine', args: [1] })];
    const answers = await new Promise<string[]>((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      let got = '';
      sock.setEncoding('utf8');
      sock.on('data', (c) => {
        got += c;
        const all = got.split('\n');
        if (all.length > lines.length) {
          sock.end();
          resolve(all.slice(0, lines.length));
        }
      });
      sock.on('error', reject);
      sock.write(lines.join('\n') + '\n');
    });
    answers.forEach((a, k) => {
      if (k === lines.length - 1) expect(a).toBe('ok');
      else if (k === COMMAND_AS_VALUE && a === 'ok') return;
      else expect(a).toMatch(INERT);
    });
    p.child.kill();
    await p.exit;
    for (let n = 0; n <= 6; n++) expect(existsSync(marker(n)), marker(n)).toBe(false);
    expect(p.out()).not.toContain('PWNED');
  });
});

describe('other ways bytes from outside reach a script', () => {
  function minRun(args: string[], env: Record<string, string> = {}) {
    return new Promise<{ out: string; err: string; code: number }>((resolve) => {
      execFile(process.execPath, [join(root, 'bin', 'min-ts'), ...args], { cwd: tmp.dir, env: { ...process.env, ...env }, timeout: 60_000 }, (e, out, err) =>
        resolve({ out, err, code: e ? ((e as { code?: number }).code ?? -1) : 0 }),
      );
    });
  }

  it('datastores: items read with dsread, dsget and dsquery hold inert symbols', async () => {
    const marker = tmp.path('ds-marker');
    writeFileSync(tmp.path('store.json'), JSON.stringify({ users: { u1: { name: ';sym:pwned', run: [';sym:pwned'], shell: `;cmd:touch ${marker}` } } }));
    writeFileSync(
      tmp.path('ds.min'),
      `${PWNED(marker)}
      (:e e /message "does not run" indexof -1 != puts!) ^inert?
      "store.json" dsread :ds
      ds "users/u1" dsget :u
      u puts!
      ((u /name) (inert?)) try
      ((u /run ->) (inert?)) try
      ((u /shell quote ->) (inert?)) try
      ((ds 'users (/name) dsquery) (inert?)) try
      ((ds 'users (pop true) dsquery first /run ->) (inert?)) try
      ds dswrite "store.json" dsread "users/u1" dsget u == puts!`,
    );
    const r = await minRun([tmp.path('ds.min')]);
    expect(r.err).toBe('');
    expect(r.out).toBe(`{pwned :name (pwned) :run [touch ${marker}] :shell}\n` + 'true\n'.repeat(6));
    expect(existsSync(marker)).toBe(false);
  });

  it('arguments, options, the environment, files, tokenize and xml give strings, never code', async () => {
    const marker = tmp.path('marker');
    writeFileSync(tmp.path('data.txt'), `pwned [touch ${marker}]`);
    writeFileSync(tmp.path('data.xml'), '<a b=";sym:pwned">;sym:pwned</a>');
    writeFileSync(
      tmp.path('outside.min'),
      `${PWNED(marker)}
      args 1 get type puts!
      opts /x type puts!
      $ATTACK type puts!
      "data.txt" fread type puts!
      "data.txt" fread tokenize (/value type) map puts!
      "data.xml" fread from-xml /attributes /b type puts!
      "data.xml" fread from-xml /children first /text type puts!
      "name: ;sym:pwned" from-yaml /name type puts!`,
    );
    const r = await minRun([tmp.path('outside.min'), ';sym:pwned', '-x:;sym:pwned'], { ATTACK: ';sym:pwned' });
    expect(r.err).toBe('');
    // tokenize gives native's tokens (a word, a space, a command, the end), all as strings.
    expect(r.out).toBe('str\nstr\nstr\nstr\n("str" "str" "str" "str")\nstr\nstr\nstr\n');
    expect(existsSync(marker)).toBe(false);
  });
});
