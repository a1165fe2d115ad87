// A request body read from a file as it is sent (the body-file key): the
// file is opened and measured first (its size is the Content-Length), then
// streamed, so an upload of any size holds only what is in flight in memory.
import type { ReadStream } from 'node:fs';
import { fsPromises } from '../lib/builtins.js';
import { quoteString } from '../core/errors.js';
import { osError } from '../lib/oserror.js';

export interface BodyFile {
  size: number;
  stream: ReadStream;
}

export async function openBodyFile(path: string): Promise<BodyFile> {
  const what = `Cannot send ${quoteString(path)} as the request body`;
  let handle;
  try {
    handle = await fsPromises().open(path, 'r');
  } catch (e) {
    throw osError(what, e);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    return { size: st.size, stream: handle.createReadStream({ autoClose: true }) };
  } catch (e) {
    await handle.close().catch(() => {});
    throw osError(what, e);
  }
}
