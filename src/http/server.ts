// The HTTP server behind start-server and stop-server. It makes the caller
// wait (on a Promise: the interpreter never spins) while a Node HTTP server
// runs; each request is handed over whole (body read) to `answer`, and many
// are answered at once, so slow handlers do not hold up other clients. A
// request whose answer fails gets a 500 and the server carries on. `stop`
// stops accepting, lets the requests in progress finish, and then the wait
// ends. ops/adapt/http-server.ts runs min handlers behind this.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { http as loadHttp } from '../lib/builtins.js';
import { toMinError, type MinError } from '../core/errors.js';
import { netError } from '../net/errors.js';
import type { Resources } from '../net/socket.js';
import { httpError } from './errors.js';
import { hasHeader, receivedHeaders } from './headers.js';

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
  headers: Record<string, string>;
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
}

function send(res: ServerResponse, srv: Running, a: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  // After stop-server, say so, so that clients do not keep the connection.
  if (srv.stopping) res.setHeader('Connection', 'close');
  const body = Buffer.from(a.body, 'utf8');
  const headers = { ...a.headers };
  // A length rather than chunks, as Nim's server sends; bodiless statuses get neither.
  const bodiless = a.status < 200 || a.status === 204 || a.status === 304;
  if (!bodiless && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers['Content-Length'] = String(body.length);
  }
  res.writeHead(a.status, headers);
  res.end(bodiless ? undefined : body);
}

const FAILED: HttpAnswer = { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'Internal Server Error' };

async function handle(srv: Running, handler: RequestHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const parts: Buffer[] = [];
    for await (const b of req) parts.push(b as Buffer);
    const request = requestOf(req, Buffer.concat(parts).toString('utf8'));
    const answer = await handler.answer(request);
    if (answer === null) return send(res, srv, FAILED);
    try {
      send(res, srv, answer);
    } catch (e) {
      // Node refuses some headers only when writing them.
      handler.unsendable(request, httpError(`The handler's response cannot be sent: ${toMinError(e).message}`));
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
