// Reading a whole file as a string (fread, dsread) within the string limit.
// A regular file too large for one is refused before a byte is read; a
// device or pipe (/dev/zero, a FIFO) is read in chunks and refused as soon
// as it has given more than a string can hold, rather than after gigabytes.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { fsPromises } from './builtins.js';
import { MAX_STRING, reserve, stringLimit } from '../core/limits.js';

const CHUNK = 1 << 20;

/** Refuses a regular file of `size` bytes too large for a string, and reserves the room. */
function checkSize(size: number): void {
  // UTF-8 never takes fewer bytes than the characters it encodes.
  if (size > MAX_STRING) throw stringLimit(`reading a file of ${size} bytes`);
  reserve(size * 2);
}

/**
 * The chunks read from a device or pipe: each is counted as it comes, and
 * more than a string can hold is refused at once.
 */
class Chunks {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  /** A buffer to read the next chunk into. */
  next(): Buffer {
    return Buffer.allocUnsafe(CHUNK);
  }

  /** Keeps `bytesRead` bytes of `buf`; false at the end of the file. */
  add(buf: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.total += bytesRead;
    if (this.total > MAX_STRING) throw stringLimit('reading the file');
    this.chunks.push(buf.subarray(0, bytesRead));
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.total).toString('utf8');
  }
}

export async function readText(file: string): Promise<string> {
  const handle = await fsPromises().open(file, 'r');
  try {
    const st = await handle.stat();
    if (st.isFile()) {
      checkSize(st.size);
      return await handle.readFile('utf8');
    }
    const chunks = new Chunks();
    for (;;) {
      const buf = chunks.next();
      if (!chunks.add(buf, (await handle.read(buf, 0, CHUNK, null)).bytesRead)) return chunks.text();
    }
  } finally {
    await handle.close();
  }
}

/**
 * readText for the program file the CLI runs: nothing else runs yet, so
 * reading it synchronously blocks nothing, and start-up does not load
 * node:fs/promises (about 1.5 ms).
 */
export function readTextSync(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile()) {
      checkSize(st.size);
      return readFileSync(fd, 'utf8');
    }
    const chunks = new Chunks();
    for (;;) {
      const buf = chunks.next();
      if (!chunks.add(buf, readSync(fd, buf, 0, CHUNK, null))) return chunks.text();
    }
  } finally {
    closeSync(fd);
  }
}
