// The net module: min's eight socket operators, starttls, the dns-*
// operators, and four more that only WebSockets have a use for (send-binary
// also sends raw bytes over TCP and UDP). The behaviour lives in src/net/
// (socket.ts and the transports behind it, dns.ts), reached through
// ops/adapt/socket-dict.ts and dns-records.ts; see docs/net.md.
import { op, type ModuleDef } from '../core/registry.js';
import { MinError } from '../core/errors.js';
import { Dict, type Value } from '../core/values.js';
import * as verbs from './adapt/socket-dict.js';
import * as dns from './adapt/dns-records.js';
import { channelOf } from './task.js';

export const netModule: ModuleDef = {
  name: 'net',
  ops: [
    op('socket', 'dict ==> dict:socket', 'Opens a socket described by the domain (ipv4, ipv6, unix), type (stream, dgram) and protocol (tcp, tls, udp, ws, wss) keys of dict; other keys, such as timeout, are kept.', (i, d: Dict) =>
      verbs.createSocket(i, d),
    ),
    op('listen', 'dict dict ==> dict:socket', 'Makes the socket listen on the address and port keys of the other dict (either dict may come first; defaults 0.0.0.0, or :: for ipv6, and port 80; port 0 picks a free port) and pushes the socket with its real address and port.', (i, a: Dict, b: Dict) => {
      // min's own example puts the socket first (`sock params listen`); its signature line the other way round.
      if (a.type === 'socket') return verbs.listen(i, a, b);
      if (b.type === 'socket') return verbs.listen(i, b, a);
      throw new MinError('listen needs a socket and a dict of address and port', 'MinInvalidError');
    }),
    op('accept', 'dict:socket dict:socket ==> dict:socket', 'Waits for a connection on the listening server socket (below) and attaches it to the client socket (on top), whose address and port become the peer\'s; pushes the client.', (_i, srv: Dict, cli: Dict) =>
      verbs.accept(srv, cli),
    ),
    op('connect', 'dict:socket str int ==> dict:socket', 'Connects the socket to host str (resolved in the socket\'s domain; a file path for unix sockets) and port int, and pushes it with the peer\'s address and port.', (i, s: Dict, host: string, port: number) =>
      verbs.connect(i, s, host, port),
    ),
    op('starttls', 'dict:socket dict ==> dict:socket', 'Upgrades the connected socket to TLS in place, with the TLS keys of dict (ca, cert, key, insecure, servername, alpn; server true on the accepting side, with request-cert), and pushes it with its tls dict.', (i, s: Dict, opts: Dict) =>
      verbs.starttls(i, s, opts),
    ),
    op('send', 'dict:socket str ==>', 'Sends all of str (as UTF-8) over the socket, waiting while the peer is slow to take it; a datagram socket sends str as one datagram.', (_i, s: Dict, data: string) =>
      verbs.send(s, data),
    ),
    op('recv', 'dict:socket int ==> str', 'Waits for int bytes from the socket and pushes them as text (a character cut at the end is completed); less once the peer has closed, and "" when nothing is left. On a datagram socket: the next datagram, cut to int bytes.', (_i, s: Dict, n: number) =>
      verbs.recv(s, n),
    ),
    op('recv-line', 'dict:socket ==> str', 'Waits for the next line from the socket and pushes it without its line ending; an empty line comes back as "\\r\\n" and "" means the peer has closed.', (_i, s: Dict) =>
      verbs.recvLine(s),
    ),
    op('recv-some', 'dict:socket int ==> str', 'Waits until some data has arrived on the stream socket and pushes what is there, at most int bytes of it (a character cut at the end is completed), without waiting for more; "" once the peer has closed.', (_i, s: Dict, n: number) =>
      verbs.recvSome(s, n),
    ),
    op('recv-all', 'dict:socket ==> str', 'Waits until the peer closes the stream socket and pushes everything it sent, at most the socket\'s max-bytes (default 64 MiB; more is a NetError).', (_i, s: Dict) =>
      verbs.recvAll(s),
    ),
    op('shutdown', 'dict:socket ==>', 'Half-closes the stream socket: the peer sees the end of the data (FIN) and the socket can still receive; a later send is a NetError.', (_i, s: Dict) =>
      verbs.shutdown(s),
    ),
    op('recv-from', 'dict:socket int ==> dict:datagram', 'Waits for the next datagram on the udp socket and pushes it as {data address port}: its text cut to int bytes, and the address and port of its sender (whom send then answers).', (_i, s: Dict, n: number) =>
      verbs.recvFrom(s, n),
    ),
    op('send-to', 'dict:socket str str int ==>', 'Sends str1 as one datagram to host str2, port int, from a udp socket that is bound (listen) or was never bound (it is then bound to a free port, and can receive the answers).', (i, s: Dict, data: string, host: string, port: number) =>
      verbs.sendTo(i, s, data, host, port),
    ),
    op('join-group', 'dict:socket str ==>', 'Makes the bound udp socket a member of multicast group str, so it receives the datagrams sent to the group.', (_i, s: Dict, group: string) =>
      verbs.joinGroup(s, group),
    ),
    op('leave-group', 'dict:socket str ==>', 'Ends the udp socket\'s membership of multicast group str.', (_i, s: Dict, group: string) =>
      verbs.leaveGroup(s, group),
    ),
    op('send-binary', 'dict:socket str ==>', 'Sends str as bytes, one byte per character (\\x00 to \\xFF): a binary message on a WebSocket, raw bytes on other sockets.', (_i, s: Dict, data: string) =>
      verbs.sendBinary(s, data),
    ),
    op('recv-message', 'dict:socket ==> dict:ws-message', 'Waits for the next WebSocket message and pushes a dict with its type (text, binary, ping, pong or close) and data, and for close its code and reason.', (_i, s: Dict) =>
      verbs.recvMessage(s),
    ),
    op('ping', 'dict:socket ==>', 'Sends a WebSocket ping; the answering pong shows up in recv-message.', (_i, s: Dict) =>
      verbs.ping(s),
    ),
    op('close-with', 'dict:socket int str ==>', 'Closes a WebSocket with the given close code (1000-1003, 1007-1014, 3000-4999) and reason.', (_i, s: Dict, code: number, reason: string) =>
      verbs.closeWith(s, code, reason),
    ),
    op('dns-lookup', 'str ==> quot', 'Pushes the IPv4 and IPv6 addresses host str resolves to through the system resolver (the hosts file included), as connect resolves names.', (_i, host: string) =>
      dns.dnsLookup(host),
    ),
    op('dns-resolve', 'str str ==> quot', 'Asks the DNS servers (see dns-servers) for the records of name str of type str (a, aaaa, mx, txt, ns, cname, srv, soa, caa, ptr) and pushes them: strings, or dicts for mx, srv, soa and caa.', (i, name: string, type: string) =>
      dns.dnsResolve(i.rt, name, type),
    ),
    op('dns-reverse', 'str ==> quot', 'Pushes the host names of IP address str (its PTR records), asked of the DNS servers.', (i, address: string) =>
      dns.dnsReverse(i.rt, address),
    ),
    op('dns-servers', 'quot ==>', 'Sets the DNS servers dns-resolve and dns-reverse ask, as strings ("127.0.0.1:5353", "[::1]:53"); () goes back to the system\'s.', (i, servers: Value[]) =>
      dns.dnsServers(i.rt, servers),
    ),
    op('close', 'dict ==>', 'Closes the socket (output already sent is still delivered) or the channel (the values in it can still be taken, then chan-get pushes null); closing it again does nothing.', (_i, d: Dict) => {
      if (d.type === 'channel') return channelOf(d).close();
      if (d.type !== 'socket') throw new MinError(`close needs a socket or a channel, not a dict${d.type ? ':' + d.type : ''}`, 'MinInvalidError');
      verbs.close(d);
    }),
  ],
};
