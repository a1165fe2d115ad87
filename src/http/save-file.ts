// A downloaded body streamed into its file, which is written whole or not at
// all: the bytes go to a temporary file in the same directory, flushed to
// disk, and renamed over the target once the last byte is in. A reader, a
// crash or a failed transfer never leaves a partial file, and memory holds
// only what is in flight, whatever the size of the download.
import type { IncomingMessage } from 'node:http';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crypto, fsPromises } from '../lib/builtins.js';
import { osError } from '../lib/oserror.js';

export async function saveBody(body: IncomingMessage, file: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${crypto().randomBytes(6).toString('hex')}.part`);
  let networkFailure: unknown = null;
  body.once('error', (e) => (networkFailure ??= e));
  let handle: FileHandle | null;
  try {
    handle = await fsPromises().open(temp, 'wx');
  } catch (e) {
    body.destroy();
    throw osError(`Cannot write ${file}`, e);
  }
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at)).bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = null;
    await fsPromises().rename(temp, file);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fsPromises().unlink(temp).catch(() => {});
    // The connection failing is a NetError (raised by the caller); anything else is the file's.
    throw networkFailure ?? (body.readableAborted ? new Error('the connection closed before the end of the body') : osError(`Cannot write ${file}`, e));
  }
}
