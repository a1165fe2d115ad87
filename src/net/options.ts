// The `domain`, `type` and `protocol` keys given to `socket`: validated, with
// defaults filled in, and the transport they select. What native min accepts
// but Node cannot open (raw sockets, seqpacket, unix datagrams...) is refused
// with a message that says so.
import { MinError } from '../core/errors.js';
import { NET_ERROR } from './errors.js';
import { DEFAULT_PROTOCOL, transportFor, type Domain, type SocketOptions, type SocketType, type Transport } from './transport.js';

const DOMAINS: readonly string[] = ['ipv4', 'ipv6', 'unix'];
const TYPES: readonly string[] = ['stream', 'dgram'];
/** Values of min's socket module that Node has no way to open. */
const UNSUPPORTED_TYPES: readonly string[] = ['raw', 'seqpacket'];
const UNSUPPORTED_PROTOCOLS: readonly string[] = ['ipv4', 'ipv6', 'raw', 'icmp'];

const notSupported = (what: string): MinError => new MinError(`${what} not supported on this runtime`, NET_ERROR);

/** What a socket dict names: each of its keys, or null when it has none. */
export interface SocketRequest {
  domain: string | null;
  type: string | null;
  protocol: string | null;
}

export function socketOptions(given: SocketRequest): { options: SocketOptions; transport: Transport } {
  const domain = given.domain ?? 'ipv4';
  if (!DOMAINS.includes(domain)) throw new MinError(`Unknown socket domain '${domain}' (use ipv4, ipv6 or unix)`, NET_ERROR);
  const typeGiven = given.type !== null;
  const type = given.type ?? 'stream';
  if (UNSUPPORTED_TYPES.includes(type)) throw notSupported(`Socket type '${type}' is`);
  if (!TYPES.includes(type)) throw new MinError(`Unknown socket type '${type}' (use stream or dgram)`, NET_ERROR);
  const protocol = given.protocol ?? DEFAULT_PROTOCOL[type as SocketType];
  if (UNSUPPORTED_PROTOCOLS.includes(protocol)) throw notSupported(`Socket protocol '${protocol}' is`);
  const transport = transportFor(protocol);
  if (!transport) throw new MinError(`Unknown socket protocol '${protocol}' (use tcp, tls, udp, ws or wss)`, NET_ERROR);
  // A protocol alone picks its socket type: {"udp" :protocol} is a datagram socket.
  const finalType = typeGiven ? (type as SocketType) : transport.type;
  if (finalType !== transport.type) {
    throw new MinError(`Protocol '${protocol}' needs a ${transport.type} socket, not ${finalType}`, NET_ERROR);
  }
  if (!transport.domains.includes(domain as Domain)) {
    throw notSupported(`A ${domain} ${finalType} socket (protocol ${protocol}) is`);
  }
  return { options: { domain: domain as Domain, type: finalType, protocol }, transport };
}
