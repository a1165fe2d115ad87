// The errors a net operator raises. Everything the network does wrong becomes
// a catchable MinError of kind NetError whose message carries the operating
// system's reason; an expired `timeout` is a TimeoutError. Native min hangs or
// crashes in most of these cases, so the kinds are min-ts's own.
import { MinError } from '../core/errors.js';

export const NET_ERROR = 'NetError';
export const TIMEOUT_ERROR = 'TimeoutError';

/** Plain-words reasons for the error codes Node reports for sockets and DNS. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'broken pipe (the peer has gone)',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTFOUND: 'host not found',
  EAI_NONAME: 'host not found',
  EAI_NODATA: 'host not found',
  EAI_FAIL: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EMSGSIZE: 'message too long',
  EAFNOSUPPORT: 'address family not supported',
  EINVAL: 'invalid argument',
  ERR_SOCKET_DGRAM_NOT_RUNNING: 'the socket is closed',
  ERR_STREAM_DESTROYED: 'the socket is closed',
  ERR_SOCKET_CLOSED: 'the socket is closed',
  ERR_STREAM_WRITE_AFTER_END: 'the connection is already shut down',
  // TLS (wss): what a client says about the server's certificate.
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate (trust it with the ca key, or set insecure)',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain (trust it with the ca key, or set insecure)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cannot verify the certificate (trust its issuer with the ca key)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown certificate issuer (trust it with the ca key)',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for this host',
  EPROTO: 'TLS protocol error (is the server speaking TLS?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS protocol error (is the peer speaking TLS?)',
  ERR_SSL_HTTP_REQUEST: 'the client sent plain HTTP, not TLS',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server wants a client certificate (give cert and key)',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'the client sent no certificate (request-cert is set)',
  ERR_SSL_NO_APPLICATION_PROTOCOL: 'no ALPN protocol in common',
  ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL: 'no ALPN protocol in common',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the peer does not trust our certificate (unknown CA)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the peer rejected our certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'the peer rejected our certificate',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'the TLS handshake timed out (handshake-timeout)',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_FORMAT: 'the certificate is not for this host',
};

/** OpenSSL's message without its codes and source location: "...:SSL routines:fn:sslv3 alert handshake failure:..." */
const OPENSSL = /SSL routines:[^:]*:([^:]+)/;

/**
 * The start of a string a script gave (a host name, a path), for a message:
 * a huge one must not make a huge error.
 */
export const brief = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/** The operating system's reason for a Node error, in words. */
export function reason(e: unknown): string {
  if (e instanceof MinError) return e.message;
  const err = e as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code && REASONS[code]) return REASONS[code];
  const msg = err instanceof Error ? err.message : String(e);
  const ssl = OPENSSL.exec(msg);
  if (ssl) return `TLS: ${ssl[1]!.trim()}`;
  // "connect ECONNREFUSED 127.0.0.1:1" and similar: keep what follows the code.
  const m = /^[a-z ]*\b[A-Z][A-Z0-9_]+:? (.+)$/.exec(msg);
  return (m ? m[1]! : msg) || 'unknown error';
}

/** A NetError `context: reason` (or just the reason). */
export function netError(context: string, e?: unknown): MinError {
  if (e instanceof MinError) return e;
  const why = e === undefined ? '' : reason(e);
  return new MinError(context && why ? `${context}: ${why}` : context || why, NET_ERROR);
}

/**
 * Errors that concern one client of a server and not the server (a failed
 * TLS handshake): `accept` raises them, and `serve` goes on to the next client.
 */
const oneClient = new WeakSet<MinError>();

export function clientFailure(context: string, e: unknown): MinError {
  const err = netError(context, e);
  oneClient.add(err);
  return err;
}

export const concernsOneClient = (e: unknown): boolean => e instanceof MinError && oneClient.has(e);

export const timeoutError = (ms: number, doing: string): MinError =>
  new MinError(`timed out after ${ms} ms ${doing}`, TIMEOUT_ERROR);

export const closedError = (): MinError => new MinError('the socket is closed', NET_ERROR);

export const peerGone = (): MinError => new MinError('the peer has closed the connection (broken pipe)', NET_ERROR);
