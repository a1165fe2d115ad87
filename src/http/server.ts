// The HTTP server behind start-server and stop-server. It makes the caller
// wait (on a Promise: the interpreter never spins) while a Node HTTP server
// runs; many requests are answered at once, so slow handlers do not hold up
// other clients. Each request, body read (within `max-body`, see
// request-body.ts), goes to the first of:
//   the first route matching its method and path (routes.ts),
//   a file of a static directory (static.ts, GET and HEAD),
//   405 with Allow when routes take the path with other methods (426 for a WS route),
//   the fallback target (start-server's `handler`),
//   404.
// A target's answer is a body or a stream (a function writing chunks through
// a ResponseWriter). One whose answer fails gets a 500 and the server carries
// on; one that takes longer than the server's `timeout` gets a 503. WebSocket
// upgrades go to the WS routes (ws-routes.ts). `stop` stops accepting, ends
// streams and WebSockets, lets the requests in progress finish, and then the
// wait ends. ops/adapt/http-server.ts runs min handlers behind this.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { http as loadHttp } from '../lib/builtins.js';
import { toMinError, type MinError } from '../core/errors.js';
import type { Ms } from '../net/bounded.js';
import { netError } from '../net/errors.js';
import type { Resources } from '../net/socket.js';
import type { WsConn } from '../net/ws-conn.js';
import { receivedHeaders } from '../net/received-headers.js';
import { httpError } from './errors.js';
import { copyHeaders, hasHeader, type Headers } from './headers.js';
import { declaredTooBig, readBody, refuseBody } from './request-body.js';
import { ResponseWriter } from './response-writer.js';
import { matchRoute, pathText, queryOf, requestPath, type RequestPath, type Route } from './routes.js';
import { serveStatic, type StaticDir } from './static.js';
import { WebSocketRoutes, type UpgradeRequest } from './ws-routes.js';
import { LISTEN_BACKLOG } from '../net/limits.js';

export interface HttpRequest {
  method: string;
  /** The request target as sent: path and query. */
  url: string;
  /** The path after percent-decoding and dot-segment removal. */
  path: string;
  version: string;
  headers: Record<string, string>;
  body: string;
  /** The client's address and port. */
  hostname: string;
  port: number;
  /** What the route's :name and *rest segments took. */
  params: Record<string, string>;
  query: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
  /** A body written in chunks instead: resolves once it is written (the writer is then closed), rejects when it failed (the response is cut off). */
  stream: ((writer: ResponseWriter) => Promise<void>) | null;
}

export interface RequestHandler<H> {
  /** The answer of `target` to a request, or null when it could not be made (the handler has reported why). */
  answer(req: HttpRequest, target: H): Promise<HttpAnswer | null>;
  /** Node refused to send an answer (a header it will not write): report it; the client gets a 500. */
  unsendable(req: HttpRequest, e: MinError): void;
  /** A WebSocket a WS route took, to be served by `target`. */
  socket(conn: WsConn, req: UpgradeRequest, target: H): void;
}

/** A running server, for stop-server. */
export interface RunningServer {
  readonly stopping: boolean;
  stop(): void;
}

function requestOf(req: IncomingMessage, body: string, path: RequestPath): HttpRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    path: pathText(path),
    version: req.httpVersion,
    headers: receivedHeaders(req.rawHeaders),
    body,
    hostname: req.socket.remoteAddress ?? '',
    port: req.socket.remotePort ?? 0,
    params: Object.create(null) as Record<string, string>,
    query: queryOf(path.query),
  };
}

interface Running<H> extends RunningServer {
  readonly server: Server;
  stopping: boolean;
  readonly o: ServeOptions<H>;
  readonly streams: Set<ResponseWriter>;
  readonly sockets: WebSocketRoutes<H>;
}

const bodilessStatus = (status: number): boolean => status < 200 || status === 204 || status === 304;

/** Write the head of an answer; false when there is no one left to write it to. */
function sendHead(res: ServerResponse, srv: { readonly stopping: boolean; readonly streams: Set<ResponseWriter> }, a: HttpAnswer, length: number | null): boolean {
  if (res.headersSent || res.destroyed) return false;
  // After stop-server, say so, so that clients do not keep the connection.
  if (srv.stopping) res.setHeader('Connection', 'close');
  const headers = copyHeaders(a.headers);
  // A length rather than chunks for a whole body, as Nim's server sends; bodiless statuses get neither.
  if (length !== null && !bodilessStatus(a.status) && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers['Content-Length'] = String(length);
  }
  // The reason phrase is always the status's own: a failed first attempt
  // must not leave its phrase on the 500 that replaces it.
  res.writeHead(a.status, loadHttp().STATUS_CODES[a.status] ?? 'Unknown', headers);
  return true;
}

function send(res: ServerResponse, srv: { readonly stopping: boolean; readonly streams: Set<ResponseWriter> }, a: HttpAnswer): void {
  const body = Buffer.from(a.body, 'utf8');
  if (sendHead(res, srv, a, body.length)) res.end(bodilessStatus(a.status) ? undefined : body);
}

const plain = (status: number, text: string, headers: Headers = {}): HttpAnswer => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  body: text,
  stream: null,
});

const FAILED = plain(500, 'Internal Server Error');

/** Run a streaming body: the head goes now, the chunks as the stream writes them. */
async function sendStream(srv: { readonly stopping: boolean; readonly streams: Set<ResponseWriter> }, req: IncomingMessage, res: ServerResponse, a: HttpAnswer): Promise<void> {
  if (!sendHead(res, srv, a, null)) return;
  if (req.method === 'HEAD' || bodilessStatus(a.status)) return void res.end();
  const s = req.socket;
  const writer = new ResponseWriter(
    res,
    { address: s.remoteAddress ?? '', port: s.remotePort ?? 0 },
    { address: s.localAddress ?? '', port: s.localPort ?? 0 },
  );
  srv.streams.add(writer);
  try {
    await a.stream!(writer);
  } catch (e) {
    // A stream that failed is cut off, not ended: the client must not take it for whole.
    writer.destroy();
    throw e;
  } finally {
    srv.streams.delete(writer);
    writer.close();
  }
}

const LATE = Symbol('late');

/** The answer, or LATE once the server's timeout has run out since the request came. */
function withinTimeout(p: Promise<HttpAnswer | null>, ms: Ms, since: number): Promise<HttpAnswer | null | typeof LATE> {
  if (ms === null) return p;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), Math.max(0, since + ms - Date.now()))));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function answerWith<H>(srv: Running<H>, req: IncomingMessage, res: ServerResponse, request: HttpRequest, target: H, since: number): Promise<void> {
  const { handler, timeout } = srv.o;
  const answer = await withinTimeout(handler.answer(request, target), timeout, since);
  if (answer === LATE) {
    res.setHeader('Connection', 'close');
    return send(res, srv, plain(503, `The server did not answer within its timeout (${timeout} ms)\n`));
  }
  if (answer === null) return send(res, srv, FAILED);
  try {
    if (answer.stream !== null) await sendStream(srv, req, res, answer);
    else send(res, srv, answer);
  } catch (e) {
    if (res.headersSent) return void res.destroy();
    // Checked headers should leave nothing for Node to refuse; if it does, still a 500.
    handler.unsendable(request, httpError(`The handler's response cannot be sent: ${toMinError(e).message}`));
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    send(res, srv, FAILED);
  }
}

async function handle<H>(srv: Running<H>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const since = Date.now();
  const o = srv.o;
  try {
    const body = declaredTooBig(req, o.maxBody) ? null : await readBody(req, o.maxBody);
    if (body === null) return refuseBody(req, res);
    const path = requestPath(req.url ?? '/');
    if (path === null) return send(res, srv, plain(400, 'Bad Request: the request target is not a valid path\n'));
    const request = requestOf(req, body.toString('utf8'), path);
    const match = matchRoute(o.routes, request.method, path, false);
    if (match.kind === 'found') return await answerWith(srv, req, res, { ...request, params: match.params }, match.route.target, since);
    if (o.statics.length > 0 && (await serveStatic(o.statics, req, res, path))) return;
    if (match.kind === 'method') return send(res, srv, plain(405, 'Method Not Allowed\n', { Allow: match.allow.join(', ') }));
    if (match.kind === 'upgrade') return send(res, srv, plain(426, 'This is a WebSocket: connect with a WebSocket client.\n', { Upgrade: 'websocket' }));
    if (o.fallback !== null) return await answerWith(srv, req, res, request, o.fallback, since);
    send(res, srv, plain(404, 'Not Found\n'));
  } catch {
    // The client went away while its request was being read or answered.
    res.destroy();
  } finally {
    // Once stopped, the server closes when its last connection does.
    if (srv.stopping) srv.server.closeIdleConnections();
  }
}

export interface ServeOptions<H> {
  address: string;
  port: number;
  /** The largest request body taken, in bytes; a larger one gets 413. */
  maxBody: number;
  resources: Resources;
  handler: RequestHandler<H>;
  /** Tried in order; WS routes take WebSocket upgrades. */
  routes: readonly Route<H>[];
  /** What answers a request no route or static file takes; null: 404. */
  fallback: H | null;
  statics: readonly StaticDir[];
  /** The Origin values a WebSocket upgrade may carry (normalised), null for any. */
  origins: Set<string> | null;
  /** The largest WebSocket message taken, in bytes. */
  maxMessage: number;
  /** Milliseconds for a whole request: received, and answered (its head sent); null for no limit. */
  timeout: Ms;
  /** Called once the server listens, with the server and the port it got (port 0 picks a free one). */
  started(server: RunningServer, port: number): void;
}

/** Node's own limits on receiving a request, within the server's timeout. */
function receiveWithin(server: Server, ms: Ms): void {
  if (ms === null) return;
  server.requestTimeout = ms;
  server.headersTimeout = Math.min(server.headersTimeout, ms);
}

/** Serve until stopped: resolves once the server has stopped and its last request is answered. */
export function serveHttp<H>(o: ServeOptions<H>): Promise<void> {
  // Node looks for requests past their time every connectionsCheckingInterval (30 s by default).
  const server = loadHttp().createServer(o.timeout === null ? {} : { connectionsCheckingInterval: Math.min(30_000, Math.max(50, o.timeout / 4)) });
  receiveWithin(server, o.timeout);
  return new Promise<void>((resolve, reject) => {
    const resource = { destroy: () => (server.closeAllConnections(), server.close()) };
    // Connections that have not brought a whole request yet (a browser opens
    // some ahead of time): Node's closeIdleConnections leaves them, so stop
    // closes them itself, or the server would wait for them to time out.
    const fresh = new Set<Socket>();
    server.on('connection', (s: Socket) => {
      fresh.add(s);
      s.once('close', () => fresh.delete(s));
    });
    const srv: Running<H> = {
      server,
      stopping: false,
      o,
      streams: new Set(),
      sockets: new WebSocketRoutes(o.routes, o.origins, o.maxMessage, (conn, req, target) => o.handler.socket(conn, req, target)),
      stop() {
        if (srv.stopping) return;
        srv.stopping = true;
        server.close(() => {
          o.resources.delete(resource);
          resolve();
        });
        srv.sockets.stop();
        for (const w of srv.streams) w.close();
        server.closeIdleConnections();
        for (const s of fresh) s.destroy();
      },
    };
    server.on('request', (req, res) => {
      fresh.delete(req.socket);
      void handle(srv, req, res);
    });
    // A client that waits for 100 Continue before sending a body too big is told 413 instead.
    server.on('checkContinue', (req, res) => {
      fresh.delete(req.socket);
      if (declaredTooBig(req, o.maxBody)) return refuseBody(req, res);
      res.writeContinue();
      void handle(srv, req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      fresh.delete(socket);
      void srv.sockets.upgrade(req, socket, head);
    });
    server.once('error', (e) => {
      o.resources.delete(resource);
      reject(netError(`cannot listen on ${o.address}:${o.port}`, e));
    });
    server.listen({ port: o.port, host: o.address, backlog: LISTEN_BACKLOG }, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      o.resources.add(resource);
      const a = server.address();
      o.started(srv, typeof a === 'object' && a ? a.port : o.port);
    });
  });
}
