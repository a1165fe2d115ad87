// An https request reads its TLS keys (ca, cert, key, insecure, servername)
// through net/tls-options.ts, as tls, starttls and wss sockets do: the same
// checks, the same messages (naming the request), the same warning once per
// program. Against Node https servers on loopback, with certificates made for
// the test by openssl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { catching, min, minOk, selfSigned, tempDir } from './peers.js';

const server = selfSigned('the https TLS-key tests');
const client = selfSigned('the https client-certificate test');
const files = tempDir();
const q = (s: string): string => JSON.stringify(s);

let plain: https.Server;
let plainUrl = '';
/** Asks for a client certificate and answers with the name in the one it was given. */
let mutual: https.Server;
let mutualUrl = '';
/** Another origin, which asks for a client certificate without needing one and says whether it got one. */
let asking: https.Server;
let askingUrl = '';
/** Redirects to `asking`, keeping the path. */
let bouncing: https.Server;
let bouncingUrl = '';

async function listen(srv: https.Server): Promise<string> {
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return `https://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
}

beforeAll(async () => {
  if (!server || !client) return;
  writeFileSync(files.path('cert.pem'), server.cert);
  writeFileSync(files.path('key.pem'), server.key);
  writeFileSync(files.path('client-cert.pem'), client.cert);
  writeFileSync(files.path('client-key.pem'), client.key);
  plain = https.createServer({ cert: server.cert, key: server.key }, (_q, s) => s.end('secure'));
  plainUrl = await listen(plain);
  mutual = https.createServer({ cert: server.cert, key: server.key, ca: client.cert, requestCert: true, rejectUnauthorized: true }, (req, s) =>
    s.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject.CN}`),
  );
  mutualUrl = await listen(mutual);
  asking = https.createServer({ cert: server.cert, key: server.key, requestCert: true, rejectUnauthorized: false }, (req, s) =>
    s.end(Object.keys((req.socket as TLSSocket).getPeerCertificate()).length > 0 ? 'a certificate' : 'no certificate'),
  );
  askingUrl = await listen(asking);
  bouncing = https.createServer({ cert: server.cert, key: server.key }, (req, s) => {
    s.writeHead(302, { location: new URL(req.url ?? '/', askingUrl).href });
    s.end();
  });
  bouncingUrl = await listen(bouncing);
});

afterAll(async () => {
  for (const srv of [plain, mutual, asking, bouncing]) {
    if (!srv) continue;
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  }
  files.remove();
});

describe.skipIf(!server || !client)('https requests read the TLS keys as sockets do', () => {
  it('ca as PEM text or as a file; insecure warns once per program, however many requests set it', async () => {
    const r = await min(`{${q(plainUrl)} :url ${q(server!.cert)} :ca} request /body puts!
      {${q(plainUrl)} :url ${q(files.path('cert.pem'))} :ca} request /body puts!
      {${q(plainUrl)} :url true :insecure} request /body puts!
      {${q(plainUrl)} :url true :insecure} request /body puts!`);
    expect(r.out).toBe('secure\nsecure\nsecure\nsecure\n');
    expect(r.err).toBe('warning: insecure is set: TLS certificates are not checked, so the peer may be anyone\n');
  });

  it('refuses keys of the wrong kind and unusable files with the messages tls sockets give', async () => {
    const keys = ['1 :insecure', '3 :ca', '"/no/such/ca.pem" :ca', `${q(files.dir)} :ca`, `${q(files.path('key.pem'))} :ca`, `${q(files.path('cert.pem'))} :cert`, '"not a host!" :servername'];
    const out = await minOk(keys.map((k) => catching(`{${q(plainUrl)} :url ${k}} request`)).join('\n'));
    expect(out.split('\n')).toEqual([
      "NetError The request's insecure must be true or false, got 1",
      "NetError The request's ca must be PEM text or the path of a PEM file, got 3",
      "NetError cannot read the request's ca file /no/such/ca.pem: no such file or directory",
      `NetError cannot read the request's ca file ${files.dir}: is a directory`,
      "NetError the request's ca holds no certificate (-----BEGIN CERTIFICATE-----)",
      "NetError the request's cert and key go together: it has a cert but no key",
      'NetError The request\'s servername must be a host name, got "not a host!"',
      '',
    ]);
  });

  it('sends a client certificate from cert and key; a server that wants one refuses a request without', async () => {
    const out = await minOk(`{${q(mutualUrl)} :url ${q(files.path('cert.pem'))} :ca ${q(files.path('client-cert.pem'))} :cert ${q(files.path('client-key.pem'))} :key} request /body puts!
      ${catching(`{${q(mutualUrl)} :url ${q(files.path('cert.pem'))} :ca} request /status puts!`)}`);
    const [first, second] = out.split('\n');
    expect(first).toBe('hello localhost');
    expect(second).toMatch(/^NetError GET https:\/\/127\.0\.0\.1:\d+\/: /);
  });

  it('a client certificate stays with its origin: a redirect elsewhere goes without it', async () => {
    const keys = `${q(files.path('cert.pem'))} :ca ${q(files.path('client-cert.pem'))} :cert ${q(files.path('client-key.pem'))} :key`;
    const out = await minOk(`{${q(askingUrl)} :url ${keys}} request /body puts!
      {${q(bouncingUrl)} :url ${keys}} request /body puts!`);
    expect(out).toBe('a certificate\nno certificate\n');
  });

  it('servername is the name the certificate must be for', async () => {
    const out = await minOk(`{${q(plainUrl)} :url ${q(server!.cert)} :ca "localhost" :servername} request /body puts!
      ${catching(`{${q(plainUrl)} :url ${q(server!.cert)} :ca "elsewhere.example" :servername} request`)}`);
    const [first, second] = out.split('\n');
    expect(first).toBe('secure');
    expect(second).toBe(`NetError GET ${plainUrl}: the certificate is not for this host`);
  });

  it('get-content and download use the defaults: the system CAs, so a self-signed server is refused', async () => {
    const out = await minOk(`${catching(`${q(plainUrl)} get-content`)}
      ${catching(`${q(plainUrl)} ${q(files.path('never.txt'))} download`)}`);
    expect(out).toBe(
      `NetError GET ${plainUrl}: self-signed certificate (trust it with the ca key, or set insecure)\n`.repeat(2),
    );
  });
});
