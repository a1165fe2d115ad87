// start-server's `static` directories: GET and HEAD of files under a URL
// prefix, with Content-Type, index.html for directories, ETag and
// Last-Modified (304), single Range requests (206, 416) and HEAD.
//
// Nothing outside a directory is ever served. The path arrives as decoded
// segments with dot segments already removed (routes.ts), so ".." and
// "%2e%2e" cannot climb; a segment holding "/", "\" or NUL (from %2F, %5C,
// %00) is refused rather than joined, as is a dot file; and the file found
// is resolved through its symbolic links and must still lie inside the
// directory, itself resolved once at start. Every refusal is a 404, which
// says nothing about what exists outside.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileHandle } from 'node:fs/promises';
import { fsPromises } from '../lib/builtins.js';
import { extname, join, sep } from 'node:path';
import { quoteString } from '../core/errors.js';
import { httpError } from './errors.js';
import { pathText, requestPath, type RequestPath } from './routes.js';
import { contentType } from './content-types.js';

export interface StaticDir {
  /** The URL prefix, as decoded segments. */
  prefix: string[];
  /** The directory, absolute and with its symbolic links resolved. */
  root: string;
}

/** A ("/prefix" "dir") pair made ready; a directory that is not there is an HttpError at start. */
export async function staticDir(prefix: string, dir: string): Promise<StaticDir> {
  const p = requestPath(prefix);
  if (p === null || p.query !== '') throw httpError(`Invalid static prefix ${quoteString(prefix)}: it must be a path starting with /`);
  let root: string;
  try {
    root = await fsPromises().realpath(dir);
    if (!(await fsPromises().stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw httpError(`The static directory ${quoteString(dir)} (for ${prefix}) is not a directory that can be read`);
  }
  return { prefix: p.segments, root };
}

const UNSAFE_SEGMENT = /[/\\\0]/;

/** The file a path names under one directory, or null when it names none there. */
function relativeSegments(d: StaticDir, path: RequestPath): string[] | null {
  const { segments } = path;
  if (segments.length < d.prefix.length) return null;
  for (let k = 0; k < d.prefix.length; k++) if (segments[k] !== d.prefix[k]) return null;
  const rest = segments.slice(d.prefix.length);
  if (rest.some((s) => UNSAFE_SEGMENT.test(s) || s.startsWith('.'))) return null;
  return rest;
}

const inside = (root: string, file: string): boolean => file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);

/** A file, and whether it is a directory's index.html; null for nothing to serve. */
type Found = { file: string; index: boolean } | null;

async function find(d: StaticDir, rest: string[]): Promise<Found> {
  let real: string;
  try {
    real = await fsPromises().realpath(join(d.root, ...rest));
  } catch {
    return null;
  }
  if (!inside(d.root, real)) return null;
  const st = await fsPromises().stat(real).catch(() => null);
  if (st === null) return null;
  if (st.isDirectory()) {
    const index = await fsPromises().realpath(join(real, 'index.html')).catch(() => null);
    return index === null || !inside(d.root, index) ? null : { file: index, index: true };
  }
  return st.isFile() ? { file: real, index: false } : null;
}

/**
 * Answer a GET or HEAD from the first directory whose prefix the path is
 * under and that has the file; false when none has it (the caller goes on).
 */
export async function serveStatic(dirs: readonly StaticDir[], req: IncomingMessage, res: ServerResponse, path: RequestPath): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  for (const d of dirs) {
    const rest = relativeSegments(d, path);
    if (rest === null) continue;
    const found = await find(d, rest);
    if (found === null) continue;
    if (found.index && !path.trailingSlash) {
      // A directory's page is read with relative links against "dir/", so it is asked for by that name.
      const location = pathText(path) + '/' + (path.query === '' ? '' : `?${path.query}`);
      res.writeHead(301, { Location: location.replace(/^\/+/, '/'), 'Content-Length': '0' });
      res.end();
      return true;
    }
    let handle: FileHandle;
    try {
      handle = await fsPromises().open(found.file, 'r');
    } catch {
      continue;
    }
    await sendFile(handle, found.file, req, res);
    return true;
  }
  return false;
}

const httpDate = (ms: number): string => new Date(ms).toUTCString();

/** Whether the client's copy (If-None-Match, else If-Modified-Since) is current. */
function fresh(req: IncomingMessage, etag: string, mtimeMs: number): boolean {
  const none = req.headers['if-none-match'];
  if (none !== undefined) return none.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const since = req.headers['if-modified-since'];
  if (since === undefined) return false;
  const t = Date.parse(since);
  return Number.isFinite(t) && Math.floor(mtimeMs / 1000) * 1000 <= t;
}

/** The one byte range asked for: [start, end] inclusive, 'unsatisfiable', or null for the whole file. */
function rangeOf(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, or another unit: the whole file is a correct answer.
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

async function sendFile(handle: FileHandle, file: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let st;
  try {
    st = await handle.stat();
  } catch {
    await handle.close();
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': '10' }).end('Not Found\n');
    return;
  }
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'Content-Type': contentType(extname(file)),
    'Last-Modified': httpDate(st.mtimeMs),
    ETag: etag,
    'Accept-Ranges': 'bytes',
  };
  if (fresh(req, etag, st.mtimeMs)) {
    await handle.close();
    res.writeHead(304, headers).end();
    return;
  }
  // If-Range names the copy the client has part of: another one means the whole file.
  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? rangeOf(req.headers.range, st.size) : null;
  if (range === 'unsatisfiable') {
    await handle.close();
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${st.size}`, 'Content-Length': '0' }).end();
    return;
  }
  const [start, end] = range ?? [0, st.size - 1];
  const length = st.size === 0 ? 0 : end - start + 1;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
  headers['Content-Length'] = String(length);
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || length === 0) {
    await handle.close();
    res.end();
    return;
  }
  const body = handle.createReadStream({ start, end, autoClose: true });
  body.on('error', () => res.destroy());
  res.on('close', () => body.destroy());
  body.pipe(res);
}
