// Reading a whole file as a string (fread, dsread) within the string limit.
// A regular file too large for one is refused before a byte is read; a
// device or pipe (/dev/zero, a FIFO) is read in chunks and refused as soon
// as it has given more than a string can hold, rather than after gigabytes.
import { fsPromises } from './builtins.js';
import { MAX_STRING, reserve, stringLimit } from '../core/limits.js';

const CHUNK = 1 << 20;

export async function readText(file: string): Promise<string> {
  const handle = await fsPromises().open(file, 'r');
  try {
    const st = await handle.stat();
    if (st.isFile()) {
      // UTF-8 never takes fewer bytes than the characters it encodes.
      if (st.size > MAX_STRING) throw stringLimit(`reading a file of ${st.size} bytes`);
      reserve(st.size * 2);
      return await handle.readFile('utf8');
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_STRING) throw stringLimit('reading the file');
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
