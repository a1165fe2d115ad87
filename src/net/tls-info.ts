// The `tls` dict a socket shows once its TLS handshake is done: what was
// agreed (protocol, cipher, ALPN), whether the peer's certificate was
// verified, and that certificate in plain fields, its dates as timestamps
// (seconds since 1970, as min's time operators take them).
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { Detail } from './transport.js';

type Record = { [key: string]: Detail };

/** A certificate name (subject or issuer) as a dict of its fields: CN, O, OU, C... */
function nameOf(name: PeerCertificate['subject'] | undefined): Record {
  const out: Record = {};
  if (!name) return out;
  for (const [k, v] of Object.entries(name)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/** "DNS:localhost, IP Address:127.0.0.1" as its entries; Node quotes an entry holding a comma. */
export function sanOf(text: string | undefined): string[] {
  if (!text) return [];
  return text.split(/, (?=[A-Za-z ]+:)/).map((s) => s.trim()).filter(Boolean);
}

const timestamp = (date: string): number => {
  const t = Date.parse(date);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
};

function certificateOf(c: PeerCertificate): Record {
  return {
    subject: nameOf(c.subject),
    issuer: nameOf(c.issuer),
    'valid-from': timestamp(c.valid_from),
    'valid-to': timestamp(c.valid_to),
    san: sanOf(c.subjectaltname),
    fingerprint256: c.fingerprint256 ?? '',
    serial: c.serialNumber ?? '',
  };
}

/** The `tls` dict of a socket whose handshake is complete. */
export function tlsInfo(s: TLSSocket): Record {
  const info: Record = {
    protocol: s.getProtocol() ?? '',
    cipher: s.getCipher()?.name ?? '',
    alpn: typeof s.alpnProtocol === 'string' ? s.alpnProtocol : '',
    authorized: s.authorized === true,
  };
  if (!s.authorized && s.authorizationError) info['authorization-error'] = String(s.authorizationError);
  const cert = s.getPeerCertificate();
  // An empty object when the peer sent none (a client not asked for one).
  if (cert && Object.keys(cert).length > 0) info['peer-certificate'] = certificateOf(cert);
  return info;
}
