// The TLS keys of a socket dict, read by one piece of code for everything
// that speaks TLS: `tls` clients and servers, `starttls`, `wss`, and the http
// client's https requests (a request dict has the same keys).
// Certificates and keys are PEM text or the path of a PEM file; a file is
// read with a size limit, since a path could name /dev/zero. Defaults are the
// safe ones: the server's certificate is checked against the system's CAs
// and must be for the host name, a handshake may take 10 s.
import type tls from 'node:tls';
import { crypto as loadCrypto, fsPromises } from '../lib/builtins.js';
import { MinError } from '../core/errors.js';
import type { Ms } from './bounded.js';
import { NET_ERROR, brief, reason } from './errors.js';
import type { SocketKeys } from './transport.js';

export const DEFAULT_HANDSHAKE_MS = 10_000;

/** A PEM file bigger than this is no certificate bundle (the system's whole CA list is about 200 KiB). */
export const MAX_PEM_BYTES = 1 << 20;

export type TlsRole = 'client' | 'server';

export interface TlsSettings {
  /** PEM certificate(s) to trust instead of the system's CAs (a server: to check client certificates). */
  ca: string | null;
  /** Our certificate and private key (a server's, or a client certificate). */
  cert: string | null;
  key: string | null;
  /** Client: accept any server certificate. Server with request-cert: accept any client certificate. */
  insecure: boolean;
  /** Client: the name sent as SNI and checked against the certificate (default: the host connected to). */
  servername: string | null;
  /** ALPN protocol names, in order of preference. */
  alpn: string[] | null;
  /** Server: ask clients for a certificate (checked against ca unless insecure). */
  requestCert: boolean;
  handshakeMs: Ms;
}

/** A client's settings when no key is given: the system's CAs, the certificate checked for the host. */
export const DEFAULT_CLIENT_TLS: Readonly<TlsSettings> = {
  ca: null,
  cert: null,
  key: null,
  insecure: false,
  servername: null,
  alpn: null,
  requestCert: false,
  handshakeMs: DEFAULT_HANDSHAKE_MS,
};

const PEM_TEXT = /-----BEGIN [A-Z0-9 ]+-----/;

/** What a `ca`, `cert` or `key` value holds: PEM text as it is, or the contents of the file it names. */
async function pemOf(keys: SocketKeys, key: string): Promise<string | null> {
  const v = keys.string(key, 'be PEM text or the path of a PEM file');
  if (v === null) return null;
  if (PEM_TEXT.test(v)) return v;
  if (v.trim() === '') throw keys.unusable(key, 'be PEM text or the path of a PEM file', v);
  let text: string;
  try {
    text = await readLimited(v, MAX_PEM_BYTES);
  } catch (e) {
    throw new MinError(`cannot read the ${keys.owner}'s ${key} file ${brief(v)}: ${e instanceof MinError ? e.message : reason(e)}`, NET_ERROR);
  }
  if (!PEM_TEXT.test(text)) throw new MinError(`the ${keys.owner}'s ${key} file ${brief(v)} holds no PEM data (-----BEGIN ...-----)`, NET_ERROR);
  return text;
}

async function readLimited(path: string, max: number): Promise<string> {
  const handle = await fsPromises().open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(max + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > max) throw new MinError(`more than ${max} bytes, too large for PEM data`, NET_ERROR);
    }
    return buf.toString('utf8', 0, got);
  } finally {
    await handle.close();
  }
}

/** The TLS keys of a socket as `role` uses them. */
export async function tlsSettings(keys: SocketKeys, role: TlsRole): Promise<TlsSettings> {
  const insecure = keys.boolean('insecure') ?? false;
  const servername = keys.string('servername');
  if (servername !== null && !/^[A-Za-z0-9_.-]{1,253}$/.test(servername)) {
    throw keys.unusable('servername', 'be a host name', servername);
  }
  const alpn = keys.strings('alpn', 'be a quotation of protocol names, as ("h2" "http/1.1")');
  if (alpn !== null) {
    for (const name of alpn) {
      const n = Buffer.byteLength(name);
      if (n === 0 || n > 255) throw keys.unusable('alpn', 'hold protocol names of 1 to 255 bytes', name);
    }
  }
  const handshakeMs = keys.millis('handshake-timeout');
  const ca = await pemOf(keys, 'ca');
  if (ca !== null) checkCertificates(ca, keys.owner);
  const settings: TlsSettings = {
    ca,
    cert: await pemOf(keys, 'cert'),
    key: await pemOf(keys, 'key'),
    insecure,
    servername,
    alpn,
    requestCert: role === 'server' && (keys.boolean('request-cert') ?? false),
    handshakeMs: handshakeMs === undefined ? DEFAULT_HANDSHAKE_MS : handshakeMs,
  };
  if ((settings.cert === null) !== (settings.key === null)) {
    throw new MinError(`the ${keys.owner}'s cert and key go together: it has ${settings.cert === null ? 'a key but no cert' : 'a cert but no key'}`, NET_ERROR);
  }
  if (role === 'server' && settings.cert === null) {
    throw new MinError('a TLS server needs its certificate and private key as cert and key (PEM text or file paths)', NET_ERROR);
  }
  if (insecure && role === 'client') keys.warn('warning: insecure is set: TLS certificates are not checked, so the peer may be anyone');
  return settings;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * OpenSSL skips what it cannot read in a list of trusted certificates, so a
 * ca holding a key or a damaged certificate would trust nothing, silently:
 * each one is read here first.
 */
function checkCertificates(pem: string, owner: string): void {
  const blocks = pem.match(CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new MinError(`the ${owner}'s ca holds no certificate (-----BEGIN CERTIFICATE-----)`, NET_ERROR);
  const { X509Certificate } = loadCrypto();
  for (const [k, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (e) {
      throw new MinError(`the ${owner}'s ca holds a certificate that cannot be read (number ${k + 1}): ${tlsReason(e)}`, NET_ERROR);
    }
  }
}

/** The secure context of these settings: our certificate and the CAs we trust. */
export function secureContext(lib: typeof tls, s: TlsSettings): tls.SecureContext {
  try {
    return lib.createSecureContext({
      ...(s.ca === null ? {} : { ca: s.ca }),
      ...(s.cert === null ? {} : { cert: s.cert, key: s.key! }),
    });
  } catch (e) {
    throw new MinError(`unusable TLS certificate, key or ca: ${tlsReason(e)}`, NET_ERROR);
  }
}

/** OpenSSL's words for a bad PEM ("error:0480006C:PEM routines::no start line") without the codes. */
function tlsReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /routines::(.+)$/.exec(msg);
  return m ? m[1]! : reason(e);
}

/** What a client passes to tls.connect for these settings; `host` is what the socket was asked to connect to. */
export function clientOptions(lib: typeof tls, s: TlsSettings, host: string | null): tls.ConnectionOptions {
  const isName = host !== null && !/^[\d.]+$|:/.test(host);
  // SNI carries names only (RFC 6066); an address is still checked against the certificate's IP entries.
  const servername = s.servername ?? (isName ? host : null);
  return {
    secureContext: secureContext(lib, s),
    rejectUnauthorized: !s.insecure,
    ...(servername === null ? {} : { servername }),
    ...(s.alpn === null ? {} : { ALPNProtocols: s.alpn }),
    checkServerIdentity: (_name, cert) => lib.checkServerIdentity(servername ?? host ?? '', cert),
  };
}

/**
 * What an https request passes to https.request: the checks of clientOptions,
 * given as plain options rather than a secure context, because a keep-alive
 * agent tells its pooled connections apart by these (a connection made
 * trusting one ca is never reused by a request trusting another). HTTP/1.1
 * needs no ALPN, and the request's own timeout bounds the handshake.
 */
export function httpsOptions(lib: typeof tls, s: TlsSettings): tls.ConnectionOptions {
  secureContext(lib, s);
  return {
    rejectUnauthorized: !s.insecure,
    ...(s.ca === null ? {} : { ca: s.ca }),
    ...(s.cert === null ? {} : { cert: s.cert, key: s.key! }),
    ...(s.servername === null ? {} : { servername: s.servername }),
  };
}

/**
 * What a server passes to tls.createServer (or https.createServer). A
 * server makes its own context from cert, key and ca (it ignores a given
 * secureContext), so the context made here only checks them first.
 */
export function serverOptions(lib: typeof tls, s: TlsSettings): tls.TlsOptions {
  secureContext(lib, s);
  return {
    cert: s.cert!,
    key: s.key!,
    ...(s.ca === null ? {} : { ca: s.ca }),
    requestCert: s.requestCert,
    rejectUnauthorized: s.requestCert && !s.insecure,
    ...(s.alpn === null ? {} : { ALPNProtocols: s.alpn }),
  };
}
