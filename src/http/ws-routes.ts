// WebSocket routes ("WS /chat") on an HTTP server's own port: an upgrade
// request whose path matches a WS route, and whose Origin the server's
// `origins` allow, is completed by the ws transport of src/net (the same
// WsConn a listening ws socket hands out) and given to the route's target.
// Anything else is refused in plain HTTP before any WebSocket exists: 404
// for a path no WS route takes, 403 for an origin not allowed (so a page of
// another site cannot open a connection in its visitor's name).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { receivedHeaders } from '../net/received-headers.js';
import type { Detail } from '../net/transport.js';
import type { WsConn } from '../net/ws-conn.js';
import { normalOrigin } from '../net/ws-keys.js';
import { webSocketUpgrader } from '../net/ws-transport.js';
import { matchRoute, pathText, queryOf, requestPath, type Route } from './routes.js';

const refusal = (status: string, text: string): string =>
  `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
const NOT_FOUND = refusal('404 Not Found', 'Not Found\n');
const FORBIDDEN = refusal('403 Forbidden', 'This origin may not open a WebSocket here.\n');
const UNAVAILABLE = refusal('503 Service Unavailable', 'WebSockets are not available here.\n');

/** What a WS route's target is given with its connection. */
export interface UpgradeRequest {
  path: string;
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  query: Record<string, string>;
  hostname: string;
  port: number;
}

export class WebSocketRoutes<H> {
  private upgrader: ReturnType<typeof webSocketUpgrader> | null = null;
  private readonly open = new Set<WsConn>();
  private stopped = false;

  constructor(
    private readonly routes: readonly Route<H>[],
    /** Normalised Origin values allowed, or null for any. */
    private readonly origins: Set<string> | null,
    private readonly maxMessage: number,
    private readonly accepted: (conn: WsConn, req: UpgradeRequest, target: H) => void,
  ) {}

  /** Node's 'upgrade' event. */
  async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on('error', () => {});
    if (this.stopped) return void socket.destroy();
    const path = requestPath(req.url ?? '/');
    const websocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    const match = path !== null && websocket ? matchRoute(this.routes, 'GET', path, true) : null;
    if (path === null || match?.kind !== 'found') return void socket.end(NOT_FOUND);
    // Version 8 of the protocol (pre-RFC clients) named the header Sec-WebSocket-Origin.
    const origin = req.headers.origin ?? req.headers['sec-websocket-origin'];
    if (this.origins !== null && !this.origins.has(normalOrigin(typeof origin === 'string' ? origin : ''))) {
      return void socket.end(FORBIDDEN);
    }
    let complete;
    try {
      complete = await (this.upgrader ??= webSocketUpgrader(this.maxMessage));
    } catch {
      this.upgrader = null;
      return void socket.end(UNAVAILABLE);
    }
    const request: UpgradeRequest = {
      path: pathText(path),
      url: req.url ?? '/',
      headers: receivedHeaders(req.rawHeaders),
      params: match.params,
      query: queryOf(path.query),
      hostname: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
    };
    const details: [string, Detail][] = [
      ['path', request.path],
      ['url', request.url],
      ['headers', request.headers],
      ['params', request.params],
      ['query', request.query],
    ];
    const conn = await complete(req, socket, head, details);
    if (conn === null) return;
    if (this.stopped) return conn.destroy();
    this.open.add(conn);
    socket.once('close', () => this.open.delete(conn));
    this.accepted(conn, request, match.route.target);
  }

  /** The server stops: its WebSockets are told it is going away (1001); their handlers read the end. */
  stop(): void {
    this.stopped = true;
    for (const conn of this.open) conn.goingAway('the server is stopping');
  }
}
