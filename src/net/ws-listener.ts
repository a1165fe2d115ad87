// A listening WebSocket socket: an HTTP(S) server whose upgrade requests are
// completed by ws as they come (so each new connection's messages and errors
// are caught at once) and handed to `accept` callers in arrival order. Plain
// HTTP requests get 426 Upgrade Required, a path other than the socket's
// `path` gets 404, an Origin not among the socket's `origins` gets 403 (a
// browser page from another site cannot open a connection in its user's
// name), and a client that has not finished its handshake within
// `handshake-timeout` is disconnected.
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import { QueuedListener } from './listener.js';
import type { Address, Conn } from './transport.js';
import { normalOrigin, type WsSettings } from './ws-keys.js';

const refusal = (status: string, text: string): string =>
  `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
const NOT_FOUND = refusal('404 Not Found', 'Not Found\n');
const FORBIDDEN = refusal('403 Forbidden', 'This origin may not open a WebSocket here.\n');

export class WsListener extends QueuedListener {
  constructor(
    server: http.Server,
    wss: WebSocketServer,
    local: Address,
    settings: WsSettings,
    secure: boolean,
    /** Wraps a completed upgrade as the Conn `accept` hands out. */
    wrap: (ws: WebSocket, req: http.IncomingMessage, socket: Socket) => Conn,
  ) {
    super(server, local);
    const incoming = this.incoming;
    const pending = new Map<Duplex, NodeJS.Timeout>();
    const settled = (s: Duplex) => {
      clearTimeout(pending.get(s));
      pending.delete(s);
    };
    // TLS sockets are timed once their TLS handshake is done (the server's own
    // handshakeTimeout bounds that part).
    server.on(secure ? 'secureConnection' : 'connection', (s: Socket) => {
      s.on('error', () => {});
      if (settings.handshakeMs === null) return;
      pending.set(s, setTimeout(() => s.destroy(), settings.handshakeMs).unref());
      s.once('close', () => settled(s));
    });
    server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' });
      res.end('This is a WebSocket server: connect with a WebSocket client.\n');
    });
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {});
      if (incoming.closed) return void socket.destroy();
      const pathname = (req.url ?? '/').split('?')[0];
      if (settings.path !== null && pathname !== settings.path) return void socket.end(NOT_FOUND);
      const origins = settings.origins;
      // Version 8 of the protocol (pre-RFC clients) named the header Sec-WebSocket-Origin.
      const origin = req.headers.origin ?? req.headers['sec-websocket-origin'];
      if (origins !== null && !origins.has(normalOrigin(typeof origin === 'string' ? origin : ''))) return void socket.end(FORBIDDEN);
      wss.handleUpgrade(req, socket, head, (ws) => {
        settled(socket);
        if (incoming.closed) return void ws.terminate();
        incoming.deliver(wrap(ws, req, socket as Socket));
      });
    });
    server.on('clientError', (_e: Error, s: Duplex) => {
      if (s.writable) s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else s.destroy();
    });
    wss.on('error', () => {});
  }

  // Connections still in their HTTP handshake go too; upgraded ones are the clients'.
  protected override closing(): void {
    (this.server as http.Server).closeIdleConnections?.();
  }
}
