// The HTTP server behind start-server and stop-server. It makes the caller
// wait (on a Promise: the interpreter never spins) while a Node HTTP server
// runs; each request is handed over whole (body read) to `answer`, and many
// are answered at once, so slow handlers do not hold up other clients. A
// request whose answer fails gets a 500 and the server carries on. `stop`
// stops accepting, lets the requests in progress finish, and then the wait
// ends. ops/adapt/http-server.ts runs min handlers behind this.
//
// A request body over the server's `max-body` is never buffered: a declared
// Content-Length over it is refused before any of the body is read (also when
// the client asks `Expect: 100-continue`), and a chunked body is counted as it
// streams. Either way the client gets 413 and the connection is closed, and
// the handler does not run.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { http as loadHttp } from '../lib/builtins.js';
import { toMinError, type MinError } from '../core/errors.js';
import { netError } from '../net/errors.js';
import type { Resources } from '../net/socket.js';
import { httpError } from './errors.js';
import { copyHeaders, hasHeader, type Headers } from './headers.js';
import { receivedHeaders } from '../net/received-headers.js';

export interface HttpRequest {
  method: string;
  url: string;
  version: string;
  headers: Record<string, string>;
  body: string;
  /** The client's address and port. */
  hostname: string;
  port: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface RequestHandler {
  /** The answer to a request, or null when it could not be made (the handler has reported why). */
  answer(req: HttpRequest): Promise<HttpAnswer | null>;
  /** Node refused to send an answer (a header it will not write): report it; the client gets a 500. */
  unsendable(req: HttpRequest, e: MinError): void;
}

/** A running server, for stop-server. */
export interface RunningServer {
  readonly stopping: boolean;
  stop(): void;
}

function requestOf(req: IncomingMessage, body: string): HttpRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    version: req.httpVersion,
    headers: receivedHeaders(req.rawHeaders),
    body,
    hostname: req.socket.remoteAddress ?? '',
    port: req.socket.remotePort ?? 0,
  };
}

interface Running extends RunningServer {
  readonly server: Server;
  stopping: boolean;
  /** The largest request body taken, in bytes (`max-body`). */
  readonly maxBody: number;
}

/** The declared body length when it is over the limit (Node has already refused malformed ones). */
function declaredTooBig(req: IncomingMessage, max: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > max;
}

/** The whole body, or null as soon as it grows past `max` bytes (what came is dropped). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      req.off('close', onClose);
    };
    const onData = (b: Buffer) => {
      size += b.length;
      if (size > max) {
        done();
        parts.length = 0;
        // Flowing with no listener: the rest is dropped as it comes.
        req.resume();
        resolve(null);
      } else parts.push(b);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(parts, size));
    };
    // Closed before the end: the client went away in the middle of its request.
    const onClose = () => {
      done();
      reject(new Error('the client went away'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
    req.on('close', onClose);
  });
}

const TOO_LARGE = 'Request body too large\n';
/** How long a refused client may go on sending (what it sends is dropped) before its connection is cut. */
const LINGER_MS = 2000;

/**
 * Close a connection whose client may still be sending. Closing at once
 * with its data unread would make the kernel reset the connection, and the
 * client could lose the 413 before reading it; so our side ends, what still
 * comes is dropped, and the connection goes when the client ends or after
 * LINGER_MS (nginx's lingering close).
 */
function lingerAndClose(socket: Socket): void {
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', () => socket.destroy());
}

/** 413, and the connection closed: the rest of the body is never buffered. */
function refuseBody(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  const socket = req.socket;
  // Node ends a Connection: close response's socket with destroySoon.
  (socket as Socket & { destroySoon(): void }).destroySoon = () => lingerAndClose(socket);
  res.writeHead(413, 'Payload Too Large', {
    'Content-Type': 'text/plain',
    'Content-Length': String(TOO_LARGE.length),
    Connection: 'close',
  });
  res.end(TOO_LARGE);
}

function send(res: ServerResponse, srv: Running, a: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  // After stop-server, say so, so that clients do not keep the connection.
  if (srv.stopping) res.setHeader('Connection', 'close');
  const body = Buffer.from(a.body, 'utf8');
  const headers = copyHeaders(a.headers);
  // A length rather than chunks, as Nim's server sends; bodiless statuses get neither.
  const bodiless = a.status < 200 || a.status === 204 || a.status === 304;
  if (!bodiless && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers['Content-Length'] = String(body.length);
  }
  // The reason phrase is always the status's own: a failed first attempt
  // must not leave its phrase on the 500 that replaces it.
  res.writeHead(a.status, loadHttp().STATUS_CODES[a.status] ?? 'Unknown', headers);
  res.end(bodiless ? undefined : body);
}

const FAILED: HttpAnswer = { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'Internal Server Error' };

async function handle(srv: Running, handler: RequestHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = declaredTooBig(req, srv.maxBody) ? null : await readBody(req, srv.maxBody);
    if (body === null) return refuseBody(req, res);
    const request = requestOf(req, body.toString('utf8'));
    const answer = await handler.answer(request);
    if (answer === null) return send(res, srv, FAILED);
    try {
      send(res, srv, answer);
    } catch (e) {
      // Checked headers should leave nothing for Node to refuse; if it does, still a 500.
      handler.unsendable(request, httpError(`The handler's response cannot be sent: ${toMinError(e).message}`));
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      send(res, srv, FAILED);
    }
  } catch {
    // The client went away while its request was being read.
    res.destroy();
  } finally {
    // Once stopped, the server closes when its last connection does.
    if (srv.stopping) srv.server.closeIdleConnections();
  }
}

export interface ServeOptions {
  address: string;
  port: number;
  /** The largest request body taken, in bytes; a larger one gets 413. */
  maxBody: number;
  resources: Resources;
  handler: RequestHandler;
  /** Called once the server listens, with the server and the port it got (port 0 picks a free one). */
  started(server: RunningServer, port: number): void;
}

/** Serve until stopped: resolves once the server has stopped and its last request is answered. */
export function serveHttp(o: ServeOptions): Promise<void> {
  const server = loadHttp().createServer();
  return new Promise<void>((resolve, reject) => {
    const resource = { destroy: () => (server.closeAllConnections(), server.close()) };
    const srv: Running = {
      server,
      stopping: false,
      maxBody: o.maxBody,
      stop() {
        if (srv.stopping) return;
        srv.stopping = true;
        server.close(() => {
          o.resources.delete(resource);
          resolve();
        });
        server.closeIdleConnections();
      },
    };
    server.on('request', (req, res) => void handle(srv, o.handler, req, res));
    // A client that waits for 100 Continue before sending a body too big is told 413 instead.
    server.on('checkContinue', (req, res) => {
      if (declaredTooBig(req, srv.maxBody)) return refuseBody(req, res);
      res.writeContinue();
      void handle(srv, o.handler, req, res);
    });
    server.once('error', (e) => {
      o.resources.delete(resource);
      reject(netError(`cannot listen on ${o.address}:${o.port}`, e));
    });
    server.listen(o.port, o.address, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      o.resources.add(resource);
      const a = server.address();
      o.started(srv, typeof a === 'object' && a ? a.port : o.port);
    });
  });
}
