// A request body within the server's `max-body`. It is never buffered past
// the limit: a declared Content-Length over it is refused before any of the
// body is read (also when the client asks `Expect: 100-continue`), and a
// chunked body is counted as it streams. Either way the client gets 413 and
// the connection is closed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The declared body length when it is over the limit (Node has already refused malformed ones). */
export function declaredTooBig(req: IncomingMessage, max: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > max;
}

/** The whole body, or null as soon as it grows past `max` bytes (what came is dropped). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
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
export function refuseBody(req: IncomingMessage, res: ServerResponse): void {
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
