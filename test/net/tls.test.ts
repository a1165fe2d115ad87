// TLS sockets (protocol tls) against real peers on loopback: Node's tls
// servers and clients, openssl s_server and s_client, with certificates made for the
// test by openssl. Covers verification (system CAs by default, ca as PEM text
// or a file, host names, insecure), ALPN, client certificates, the tls dict,
// and a min TLS server whose clients' failed handshakes concern them alone.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { catching, min, minOk, selfSigned, tempDir, withMinServer } from './peers.js';

const serverPem = selfSigned('TLS tests');
const clientPem = selfSigned('TLS client-certificate tests');
const test = serverPem && clientPem ? it : it.skip;
const q = (s: string) => JSON.stringify(s);
const files = tempDir();
afterAll(() => files.remove());
const certFile = files.path('cert.pem');
const keyFile = files.path('key.pem');
if (serverPem) {
  writeFileSync(certFile, serverPem.cert);
  writeFileSync(keyFile, serverPem.key);
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** A Node TLS server on loopback that answers each line with `reply(line, socket)`. */
async function tlsServer(opts: tls.TlsOptions = {}, reply: (line: string, s: tls.TLSSocket) => string = (l) => l): Promise<{ port: number; secured: tls.TLSSocket[] }> {
  const secured: tls.TLSSocket[] = [];
  const server = tls.createServer({ cert: serverPem!.cert, key: serverPem!.key, ...opts }, (s) => {
    secured.push(s);
    s.on('error', () => {});
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        s.write(reply(line, s) + '\n');
      }
    });
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    for (const s of secured) s.destroy();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, secured };
}

describe('a TLS client', () => {
  test('trusts a certificate given as ca (PEM text or a file), by address and by name, and shows the tls dict', async () => {
    const srv = await tlsServer();
    const out = await minOk(`
      {"tls" :protocol ${q(serverPem!.cert)} :ca} socket "127.0.0.1" ${srv.port} connect :a
      a "by address\\n" send a recv-line puts!
      {"tls" :protocol ${q(certFile)} :ca} socket "localhost" ${srv.port} connect :b
      b "by name\\n" send b recv-line puts!
      b /tls :t
      t /protocol puts! t /cipher length 0 > puts! t /authorized puts!
      t /peer-certificate :c
      c /subject /CN puts! c /issuer /CN puts! c /san puts!
      c /fingerprint256 puts!
      c /valid-from integer? puts! c /valid-to c /valid-from - 86400 / puts!
      c /valid-to timestamp - 86400 / 3 < puts!`);
    const fingerprint = new X509Certificate(serverPem!.cert).fingerprint256;
    expect(out.split('\n')).toEqual([
      'by address', 'by name', 'TLSv1.3', 'true', 'true',
      'localhost', 'localhost', '("IP Address:127.0.0.1" "DNS:localhost")',
      fingerprint, 'true', '2.0', 'true', '',
    ]);
  });

  test('checks certificates by default: a self-signed one, one for another name, and insecure', async () => {
    const srv = await tlsServer();
    const r = await min(`
      ${catching(`{"tls" :protocol} socket "127.0.0.1" ${srv.port} connect`)}
      ${catching(`{"tls" :protocol ${q(certFile)} :ca "example.com" :servername} socket "127.0.0.1" ${srv.port} connect`)}
      {"tls" :protocol true :insecure} socket "127.0.0.1" ${srv.port} connect :c
      c "unchecked\\n" send c recv-line puts!
      c /tls /authorized puts! c /tls /authorization-error puts!
      {"tls" :protocol true :insecure} socket "localhost" ${srv.port} connect close`);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `NetError cannot connect to 127.0.0.1:${srv.port}: self-signed certificate (trust it with the ca key, or set insecure)`,
      `NetError cannot connect to 127.0.0.1:${srv.port}: the certificate is not for this host`,
      'unchecked', 'false', 'DEPTH_ZERO_SELF_SIGNED_CERT', '',
    ]);
    expect(r.err).toBe('warning: insecure is set: TLS certificates are not checked, so the peer may be anyone\n');
  });

  test('sends the host name as SNI, or servername', async () => {
    const srv = await tlsServer({}, (_l, s) => String((s as unknown as { servername: string | false }).servername));
    const out = await minOk(`
      {"tls" :protocol ${q(certFile)} :ca} socket "localhost" ${srv.port} connect :a a "?\\n" send a recv-line puts!
      {"tls" :protocol ${q(certFile)} :ca "localhost" :servername} socket "127.0.0.1" ${srv.port} connect :b b "?\\n" send b recv-line puts!
      {"tls" :protocol ${q(certFile)} :ca} socket "127.0.0.1" ${srv.port} connect :c c "?\\n" send c recv-line puts!`);
    expect(out).toBe('localhost\nlocalhost\nfalse\n');
  });

  test('negotiates ALPN', async () => {
    const srv = await tlsServer({ ALPNProtocols: ['h2', 'http/1.1'] }, (_l, s) => String(s.alpnProtocol));
    const out = await minOk(`
      {"tls" :protocol ${q(certFile)} :ca ("spdy/1" "http/1.1") :alpn} socket "localhost" ${srv.port} connect :a
      a /tls /alpn puts! a "?\\n" send a recv-line puts!
      {"tls" :protocol ${q(certFile)} :ca} socket "localhost" ${srv.port} connect /tls /alpn "" == puts!`);
    expect(out).toBe('http/1.1\nhttp/1.1\ntrue\n');
  });

  test('presents a client certificate with cert and key', async () => {
    const srv = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: clientPem!.cert }, (_l, s) =>
      `${s.authorized} ${(s.getPeerCertificate().subject as unknown as Record<string, string>).CN}`,
    );
    const out = await minOk(`
      {"tls" :protocol ${q(certFile)} :ca ${q(clientPem!.cert)} :cert ${q(clientPem!.key)} :key} socket "localhost" ${srv.port} connect :a
      a "who?\\n" send a recv-line puts!
      ; Without one the server refuses: in TLS 1.3 that shows once the client reads.
      (({"tls" :protocol ${q(certFile)} :ca} socket "localhost" ${srv.port} connect :b b "who?\\n" send b recv-line) (:e e /message puts!)) try`);
    const lines = out.split('\n');
    expect(lines[0]).toBe('true localhost');
    expect(lines[1]).toMatch(/client certificate|connection reset|TLS: /);
  });

  test('talks to openssl s_server (TLS 1.3 and 1.2, ALPN)', async () => {
    const { spawn } = await import('node:child_process');
    const { waitForText } = await import('../wait.js');
    /** openssl s_server in its line-reversing mode, for one client; resolves with its port. */
    const sServer = async (extra: string[]) => {
      const p = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-cert', certFile, '-key', keyFile, '-naccept', '1', '-rev', '-alpn', 'h2,x-min', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
      closers.push(() => p.kill());
      let out = '';
      p.stdout!.on('data', (d) => (out += d));
      const m = await waitForText(() => out, /ACCEPT 127\.0\.0\.1:(\d+)/);
      return Number(m[1]);
    };
    const session = (port: number) => `{"tls" :protocol ${q(certFile)} :ca ("x-min") :alpn} socket "localhost" ${port} connect :c
      c "hello\\n" send c recv-line puts! c /tls /alpn puts! c /tls /protocol puts! c close`;
    expect(await minOk(session(await sServer([])))).toBe('olleh\nx-min\nTLSv1.3\n');
    expect(await minOk(session(await sServer(['-tls1_2'])))).toBe('olleh\nx-min\nTLSv1.2\n');
  });

  test('refuses keys of the wrong kind and unusable files', async () => {
    const srv = await tlsServer();
    const out = await minOk(['1 :insecure', '3 :ca', '("h2" 3) :alpn', '"/no/such/ca.pem" :ca', '"/dev/zero" :ca', `${q(files.dir)} :ca`, `${q(keyFile)} :ca`, `${q(certFile)} :cert`, '"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n" :ca']
      .map((k) => catching(`{"tls" :protocol ${k}} socket "localhost" ${srv.port} connect`))
      .join('\n'));
    expect(out.split('\n')).toEqual([
      "NetError The socket's insecure must be true or false, got 1",
      "NetError The socket's ca must be PEM text or the path of a PEM file, got 3",
      'NetError The socket\'s alpn must be a quotation of protocol names, as ("h2" "http/1.1"), got ("h2" 3)',
      "NetError cannot read the socket's ca file /no/such/ca.pem: no such file or directory",
      "NetError cannot read the socket's ca file /dev/zero: more than 1048576 bytes, too large for PEM data",
      `NetError cannot read the socket's ca file ${files.dir}: is a directory`,
      "NetError the socket's ca holds no certificate (-----BEGIN CERTIFICATE-----)",
      "NetError the socket's cert and key go together: it has a cert but no key",
      expect.stringMatching(/^NetError the socket's ca holds a certificate that cannot be read \(number 1\): /),
      '',
    ]);
  });

  test('a server that does not speak TLS, and a handshake that never ends, are errors', async () => {
    const plain = net.createServer((s) => s.on('error', () => {}).end('220 plain text here\r\n'));
    const silent = net.createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => plain.close(), () => silent.close());
    const p1 = (plain.address() as AddressInfo).port;
    const p2 = (silent.address() as AddressInfo).port;
    const t0 = Date.now();
    const out = await minOk(`
      ${catching(`{"tls" :protocol} socket "127.0.0.1" ${p1} connect`)}
      ${catching(`{"tls" :protocol 400 :handshake-timeout} socket "127.0.0.1" ${p2} connect`)}`);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^NetError cannot connect to 127\\.0\\.0\\.1:${p1}: `));
    expect(lines[1]).toBe(`TimeoutError timed out after 400 ms waiting for the TLS handshake with 127.0.0.1:${p2}`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
  });
});

/** A Node TLS client that sends `line` and resolves with the first line of the answer. */
function nodeTls(port: number, line: string, opts: tls.ConnectionOptions = {}): Promise<{ answer: string; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca: serverPem!.cert, servername: 'localhost', ...opts }, () => s.write(line + '\n'));
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) {
        resolve({ answer: buf.slice(0, buf.indexOf('\n')), alpn: s.alpnProtocol ?? false });
        s.end();
      }
    });
    s.on('error', reject);
  });
}

/** A TCP client that connects and sends `bytes` (or nothing) but never completes a handshake. */
function rawClient(port: number, bytes = ''): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      if (bytes) s.write(bytes);
      resolve(s);
    });
    s.on('error', () => {});
    closers.push(() => s.destroy());
  });
}

const listening = (extra = '') =>
  `{"tls" :protocol ${q(certFile)} :cert ${q(keyFile)} :key ${extra}} socket {"127.0.0.1" :address 0 :port} listen :srv
   (srv /port string "PORTFILE" fwrite) ->`;

describe('a TLS server', () => {
  test('serves a Node client (with ALPN) and a min client; the client dict shows the tls dict', async () => {
    const code = `${listening('("h2" "x-min") :alpn')}
      srv {} socket accept :n
      n /protocol puts! n /tls /protocol puts! n /tls /alpn puts! n /tls 'peer-certificate dhas? puts!
      n recv-line :l n "hello $1\\n" (l) => % send
      ({"tls" :protocol ${q(certFile)} :ca} socket "localhost" srv /port connect :c c "min\\n" send c recv-line puts!) spawn :t
      srv {} socket accept :m m recv-line :l2 m "hello $1\\n" (l2) => % send
      t wait pop`;
    const { out, client } = await withMinServer(code, (port) => nodeTls(port, 'node', { ALPNProtocols: ['x-min'] }));
    expect(client).toEqual({ answer: 'hello node', alpn: 'x-min' });
    expect(out).toBe('tls\nTLSv1.3\nx-min\nfalse\nhello min\n');
  });

  test('openssl s_client talks to it', async () => {
    const code = `${listening()}
      srv {} socket accept :c c recv-line :l c "got $1\\n" (l) => % send c close`;
    const { client } = await withMinServer(code, async (port) => {
      const { execFile } = await import('node:child_process');
      return new Promise<string>((resolve, reject) => {
        const p = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', certFile, '-verify_return_error', '-quiet', '-ign_eof'], { timeout: 30000 }, (e, stdout) =>
          e && !stdout ? reject(e) : resolve(stdout),
        );
        p.stdin!.end('from openssl\n');
      });
    });
    expect(client).toContain('got from openssl');
  });

  test('a client whose handshake fails is an error of its own, and one that stalls holds up nobody', async () => {
    const code = `${listening('500 :handshake-timeout')}
      (${catching('srv {} socket accept recv-line puts!')}) 3 times`;
    const { out } = await withMinServer(code, async (port) => {
      await rawClient(port); // never says anything: dropped after handshake-timeout
      await rawClient(port, 'GET / HTTP/1.0\r\n\r\n'); // plain HTTP: fails at once
      // A good client after them is served although the first has not finished.
      const s = tls.connect({ host: '127.0.0.1', port, ca: serverPem!.cert, servername: 'localhost' }, () => s.write('good\n'));
      s.on('error', () => {});
      closers.push(() => s.destroy());
      return null;
    });
    const lines = out.split('\n');
    expect(lines.slice(0, 2).sort()).toEqual([expect.stringMatching(/^NetError TLS handshake with 127\.0\.0\.1:\d+ failed: the client sent plain HTTP, not TLS$/), 'good']);
    expect(lines[2]).toMatch(/^NetError TLS handshake with 127\.0\.0\.1:\d+ failed: the TLS handshake timed out \(handshake-timeout\)$/);
  });

  test('accept is bounded by the timeout while a client stalls in its handshake', async () => {
    const code = `${listening()}
      srv 400 %timeout @srv
      ${catching('srv {} socket accept')}`;
    const t0 = Date.now();
    const { out } = await withMinServer(code, async (port) => {
      await rawClient(port);
      return null;
    });
    expect(out).toBe('TimeoutError timed out after 400 ms waiting for a connection\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
  });

  test('request-cert: a client certificate checked against ca, shown as peer-certificate', async () => {
    const code = `${listening(`${q(clientPem!.cert)} :ca true :request-cert`)}
      ${catching('srv {} socket accept')}
      srv {} socket accept :c
      c /tls /authorized puts! c /tls /peer-certificate /subject /CN puts!
      c recv-line puts!`;
    const { out } = await withMinServer(code, async (port) => {
      const anonymous = tls.connect({ host: '127.0.0.1', port, ca: serverPem!.cert, servername: 'localhost' });
      anonymous.on('error', () => {});
      closers.push(() => anonymous.destroy());
      const { answer } = await new Promise<{ answer: string }>((resolve) => {
        // Wait until the first client has been refused, so the two arrive in order.
        anonymous.on('close', () => {
          const s = tls.connect({ host: '127.0.0.1', port, ca: serverPem!.cert, servername: 'localhost', cert: clientPem!.cert, key: clientPem!.key }, () => {
            s.end('with a certificate\n');
            resolve({ answer: '' });
          });
          s.on('error', () => {});
        });
      });
      return answer;
    });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NetError TLS handshake with 127\.0\.0\.1:\d+ failed: the client sent no certificate \(request-cert is set\)$/);
    expect(lines.slice(1)).toEqual(['true', 'localhost', 'with a certificate', '']);
  });

  test('serve goes on past a client whose handshake failed, and keeps the key to the server', async () => {
    const code = `${listening()}
      0 :served
      srv (:c c recv-line :l c "ok $1 $2\\n" (l c "key" dhas?) => % send served succ @served served 2 == (srv close) when) serve
      served puts!`;
    const { out, client } = await withMinServer(code, async (port) => {
      const junk = await rawClient(port, 'not tls at all\n');
      await new Promise((r) => junk.once('close', r));
      const a = await nodeTls(port, 'one');
      const b = await nodeTls(port, 'two');
      return [a.answer, b.answer];
    });
    // The client dicts serve makes do not hold the server's private key.
    expect(client).toEqual(['ok one false', 'ok two false']);
    expect(out).toBe('2\n');
  });

  test('listen refuses a server without a certificate, or with an unusable one', async () => {
    const out = await minOk(`
      ${catching('{"tls" :protocol} socket {"127.0.0.1" :address 0 :port} listen')}
      ${catching(`{"tls" :protocol ${q(certFile)} :cert} socket {"127.0.0.1" :address 0 :port} listen`)}
      ${catching(`{"tls" :protocol ${q(certFile)} :cert ${q(certFile)} :key} socket {"127.0.0.1" :address 0 :port} listen`)}`);
    const lines = out.split('\n');
    expect(lines[0]).toBe('NetError a TLS server needs its certificate and private key as cert and key (PEM text or file paths)');
    expect(lines[1]).toBe("NetError the socket's cert and key go together: it has a cert but no key");
    expect(lines[2]).toMatch(/^NetError unusable TLS certificate, key or ca: /);
  });
});

describe('starttls', () => {
  test('a min client and a min server upgrade a tcp connection, as SMTP does', async () => {
    const out = await minOk(`
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port :port
      (
        {} socket "127.0.0.1" port connect :c
        c recv-line pop
        c "STARTTLS\\n" send c recv-line pop
        c {${q(certFile)} :ca "localhost" :servername} starttls @c
        c /tls /protocol
        c "EHLO secret\\n" send c recv-line
      ) spawn :client
      srv {} socket accept :s
      s "220 ready\\n" send
      s recv-line pop s "220 go ahead\\n" send
      s {true :server ${q(certFile)} :cert ${q(keyFile)} :key} starttls @s
      s /tls /authorized puts!
      s recv-line :l s "250 $1\\n" (l) => % send
      client wait (puts!) foreach`);
    expect(out).toBe('false\nTLSv1.3\n250 EHLO secret\n');
  });

  test('a min client upgrades against a Node server', async () => {
    const server = net.createServer((raw) => {
      raw.on('error', () => {});
      raw.write('220 ready\r\n');
      raw.once('data', () => {
        raw.write('220 go ahead\r\n', () => {
          const t = new tls.TLSSocket(raw, { isServer: true, cert: serverPem!.cert, key: serverPem!.key });
          t.on('error', () => {});
          t.on('data', (d) => t.write(`secure ${String(d)}`));
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const out = await minOk(`
      {} socket "localhost" ${port} connect :c
      c recv-line puts! c "STARTTLS\\n" send c recv-line puts!
      c {${q(serverPem!.cert)} :ca} starttls /tls /peer-certificate /subject /CN puts!
      c "hello\\n" send c recv-line puts! c close`);
    expect(out).toBe('220 ready\n220 go ahead\nlocalhost\nsecure hello\n');
  });

  test('a min server takes a ClientHello that came with the STARTTLS command', async () => {
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :s
      s recv-line puts!
      s {true :server ${q(certFile)} :cert ${q(keyFile)} :key} starttls
      recv-line puts!`;
    const { out } = await withMinServer(code, async (port) => {
      const raw = net.connect(port, '127.0.0.1');
      raw.on('error', () => {});
      await new Promise((r) => raw.once('connect', r));
      // No answer awaited: the handshake follows the command at once.
      raw.write('STARTTLS\r\n');
      const t = tls.connect({ socket: raw, ca: serverPem!.cert, servername: 'localhost' }, () => t.end('over TLS\n'));
      t.on('error', () => {});
      closers.push(() => t.destroy());
      return null;
    });
    expect(out).toBe('STARTTLS\nover TLS\n');
  });

  test('refuses data a server sent before the handshake, and a failed handshake closes the socket', async () => {
    const server = net.createServer((raw) => {
      raw.on('error', () => {});
      raw.once('data', (d) => {
        if (String(d).startsWith('INJECT')) return void raw.write('220 go ahead\r\nINJECTED COMMAND\r\n');
        // What follows the answer (the ClientHello) gets plain text back.
        raw.write('220 go ahead\r\n');
        raw.once('data', () => raw.write('not tls either\r\n'));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const out = await minOk(`
      {} socket "127.0.0.1" ${port} connect :a
      a "INJECT\\n" send a recv-line puts!
      ${catching(`a {${q(certFile)} :ca} starttls`)}
      ${catching('a "more\\n" send')}
      {} socket "127.0.0.1" ${port} connect :b
      b "STARTTLS\\n" send b recv-line puts!
      ${catching(`b {${q(certFile)} :ca} starttls`)}
      ${catching('b recv-line')}
      ${catching(`{"tls" :protocol ${q(certFile)} :ca} socket {"127.0.0.1" :address 0 :port} listen {} starttls`)}`);
    const lines = out.split('\n');
    expect(lines[0]).toBe('220 go ahead');
    expect(lines[1]).toBe('NetError cannot start TLS: the peer sent 18 bytes that were not read before the handshake (read the answer to the STARTTLS command first)');
    expect(lines[2]).toBe('NetError the socket is closed');
    expect(lines[3]).toBe('220 go ahead');
    expect(lines[4]).toMatch(/^NetError TLS handshake with 127\.0\.0\.1:\d+ failed: TLS protocol error/);
    expect(lines[5]).toBe('NetError the socket is closed');
    expect(lines[6]).toMatch(/^NetError /);
  });
});

describe('examples/tls-check.min', () => {
  test('reports the protocol, the issuer and the days left of a local server', async () => {
    const srv = await tlsServer();
    const { readFileSync } = await import('node:fs');
    const code = readFileSync(new URL('../../examples/tls-check.min', import.meta.url), 'utf8');
    const out = await minOk(code, ['localhost', String(srv.port), certFile]);
    // The certificate was made for 2 days a moment ago: whole days left are 2 within its first second, then 1.
    expect(out.replace(/in [12] days/, 'in N days')).toBe(
      `Host:     localhost:${srv.port}\nProtocol: TLSv1.3 (TLS_AES_256_GCM_SHA384)\nIssuer:   localhost\n` +
        'Names:    IP Address:127.0.0.1, DNS:localhost\nExpires:  in N days\nWarning:  the certificate expires within 30 days\n',
    );
    const untrusted = await min(code, ['localhost', String(srv.port)]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toContain('self-signed certificate');
  });
});

describe('TLS in the other domains', () => {
  test('over IPv6 and over a unix socket, a min server and a min client', async () => {
    const sock = files.path('tls.sock');
    const out = await minOk(`
      {"tls" :protocol "ipv6" :domain ${q(certFile)} :cert ${q(keyFile)} :key} socket {"::1" :address 0 :port} listen :srv6
      srv6 /port :port
      ({"tls" :protocol "ipv6" :domain ${q(certFile)} :ca "localhost" :servername} socket "::1" port connect :c c "six\\n" send c recv-line) spawn :t6
      srv6 {} socket accept :a a /address puts! a recv-line :l a "over $1\\n" (l) => % send
      t6 wait first puts!
      {"tls" :protocol "unix" :domain ${q(certFile)} :cert ${q(keyFile)} :key} socket {${q(sock)} :address} listen :srvu
      ({"tls" :protocol "unix" :domain ${q(certFile)} :ca "localhost" :servername} socket ${q(sock)} 0 connect :c c "a file\\n" send c recv-line) spawn :tu
      srvu {"unix" :domain} socket accept :b b recv-line :m b "over $1\\n" (m) => % send
      tu wait first puts!`);
    expect(out).toBe('::1\nover six\nover a file\n');
  });
});

describe('the stream verbs over TLS', () => {
  test('recv-some, shutdown (a half-close) and recv-all, min to min', async () => {
    const out = await minOk(`
      {"tls" :protocol ${q(certFile)} :cert ${q(keyFile)} :key} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port :port
      (
        {"tls" :protocol ${q(certFile)} :ca} socket "localhost" port connect :c
        c "part one, part two" send
        c shutdown
        c recv-all
      ) spawn :t
      srv {} socket accept :s
      s 8 recv-some :head
      s recv-all :remainder
      head remainder suffix puts!
      s "reply after their FIN" send
      s close
      t wait first puts!`);
    expect(out).toBe('part one, part two\nreply after their FIN\n');
  });
});
