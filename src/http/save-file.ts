// A downloaded body streamed into its file, which is written whole or not at
// all (lib/atomic-write.ts: a temporary file beside it, flushed, renamed over
// the target once the last byte is in). A reader, a crash or a failed
// transfer never leaves a partial file, and memory holds only what is in
// flight, whatever the size of the download.
import type { IncomingMessage } from 'node:http';
import { writeStreamAtomic } from '../lib/atomic-write.js';
import { osError } from '../lib/oserror.js';

export async function saveBody(body: IncomingMessage, file: string): Promise<void> {
  let networkFailure: unknown = null;
  body.once('error', (e) => (networkFailure ??= e));
  try {
    await writeStreamAtomic(file, async (handle) => {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at)).bytesWritten;
      }
    });
  } catch (e) {
    // The connection failing is a NetError (raised by the caller); anything else is the file's.
    // Told apart before the body is destroyed, which would make it look aborted.
    const failure = networkFailure ?? (body.readableAborted ? new Error('the connection closed before the end of the body') : osError(`Cannot write ${file}`, e));
    body.destroy();
    throw failure;
  }
}
