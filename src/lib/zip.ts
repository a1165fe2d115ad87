// Zip archives for sys's `zip` and `unzip`, written and read here (with
// node:zlib's deflate) rather than by the system's zip tools, so that what an
// archive holds is exactly what native min stores (paths relative to the
// current directory), an archive from a hostile source cannot write outside
// its destination, and every failure is a min error.
//
// The format is the classic one (no Zip64): at most 65535 entries of at most
// 4 GiB each. Entries are stored deflated; `unzip` reads stored and deflated
// entries and checks each one's CRC-32.
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fsPromises, zlib } from './builtins.js';
import { MinError } from '../core/errors.js';
import { osReason } from './oserror.js';

/** The kind native min's zip library (zippy) reports its failures with. */
const ZIP_ERROR = 'ZippyError';

const zipError = (message: string): MinError => new MinError(message, ZIP_ERROR);

/** The largest entry unzip inflates in memory; also the classic format's size limit. */
const MAX_ENTRY = 0xffffffff;
const MAX_ENTRIES = 0xffff;

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
/** Bit 11 of the flags: the name is UTF-8. */
const UTF8_NAME = 0x0800;
const DEFLATE = 8;
const STORE = 0;

const deflateRaw = (data: Buffer): Promise<Buffer> =>
  new Promise((res, rej) => zlib().deflateRaw(data, (err, out) => (err ? rej(err) : res(out))));

const inflateRaw = (data: Buffer, maxOutputLength: number): Promise<Buffer> =>
  new Promise((res, rej) => zlib().inflateRaw(data, { maxOutputLength }, (err, out) => (err ? rej(err) : res(out))));

interface Member {
  /** The path in the archive, with `/` separators; directories end with `/`. */
  name: string;
  /** Where the file is on disk (null for a directory). */
  file: string | null;
  mode: number;
  mtime: Date;
}

/** MS-DOS date and time (local time, two-second steps), as zip headers hold them. */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * The name a path is stored under: relative to the current directory, as
 * native min does ("" for the current directory itself, whose entries are
 * then stored by their own names); a path outside it keeps its absolute form
 * without the leading slash (it cannot be made relative without `..`, which
 * unzip refuses).
 */
function storedName(path: string): string {
  const abs = resolve(path);
  let rel = relative(process.cwd(), abs);
  if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) rel = abs.replace(/^[/\\]+/, '');
  return rel.split(sep).join('/');
}

/**
 * The members for the paths given: directories with everything under them.
 * A path given is followed if it is a link; inside a directory, a link to a
 * file is stored as that file, and links to directories (which could loop)
 * and special files (a FIFO would never end) are left out.
 */
async function collect(paths: string[]): Promise<Member[]> {
  const out: Member[] = [];
  const seen = new Set<string>();
  const cannotOpen = (file: string): MinError => new MinError(`cannot open: ${file}`, 'IOError');
  const addFile = (file: string, name: string, st: Stats): void => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, file, mode: st.mode & 0o7777, mtime: st.mtime });
  };
  const addDir = async (dir: string, name: string, st: Stats): Promise<void> => {
    if (name !== '' && !seen.has(name + '/')) {
      seen.add(name + '/');
      out.push({ name: name + '/', file: null, mode: st.mode & 0o7777, mtime: st.mtime });
    }
    let names: string[];
    try {
      names = (await fsPromises().readdir(dir)).sort();
    } catch {
      throw cannotOpen(dir);
    }
    for (const n of names) {
      const file = join(dir, n);
      const member = name === '' ? n : `${name}/${n}`;
      const own = await fsPromises().lstat(file).catch(() => null);
      if (own === null) continue;
      if (own.isDirectory()) await addDir(file, member, own);
      else if (own.isFile()) addFile(file, member, own);
      else if (own.isSymbolicLink()) {
        const target = await fsPromises().stat(file).catch(() => null);
        if (target?.isFile()) addFile(file, member, target);
      }
    }
  };
  for (const p of paths) {
    const st = await fsPromises().stat(p).catch(() => null);
    if (st === null) throw cannotOpen(p);
    if (st.isDirectory()) await addDir(p, storedName(p), st);
    else if (st.isFile()) addFile(p, storedName(p), st);
    else throw cannotOpen(p);
  }
  return out;
}

/** Write a zip archive of `paths` to `target`, through a temporary file renamed into place. */
export async function writeZip(paths: string[], target: string): Promise<void> {
  if (paths.length === 0) throw zipError('Zip archive has no contents');
  const members = await collect(paths);
  if (members.length === 0) throw zipError('Zip archive has no contents');
  if (members.length > MAX_ENTRIES) throw zipError(`Too many entries for a zip archive (${members.length}, at most ${MAX_ENTRIES})`);
  const z = zlib();
  const tmp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fh: FileHandle | null = null;
  try {
    try {
      fh = await fsPromises().open(tmp, 'wx');
    } catch (e) {
      throw new MinError(`cannot open: ${target} (${osReason(e)})`, 'IOError');
    }
    const central: Buffer[] = [];
    let offset = 0;
    for (const m of members) {
      const name = Buffer.from(m.name, 'utf8');
      let data: Buffer = Buffer.alloc(0);
      let packed: Buffer = data;
      let method = STORE;
      if (m.file !== null) {
        try {
          data = await fsPromises().readFile(m.file);
        } catch {
          throw new MinError(`cannot open: ${m.file}`, 'IOError');
        }
        if (data.length > MAX_ENTRY) throw zipError(`File too large for a zip archive: ${m.file}`);
        packed = await deflateRaw(data);
        method = DEFLATE;
        // Data that does not shrink is stored as it is.
        if (packed.length >= data.length) {
          packed = data;
          method = STORE;
        }
      }
      const crc = z.crc32(data) >>> 0;
      const { time, date } = dosTime(m.mtime);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(LOCAL, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(UTF8_NAME, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      await fh.write(Buffer.concat([local, name, packed]));
      const entry = Buffer.alloc(46);
      entry.writeUInt32LE(CENTRAL, 0);
      // Made by: Unix (3), spec 3.0, so the external attributes are Unix modes.
      entry.writeUInt16LE((3 << 8) | 30, 4);
      entry.writeUInt16LE(20, 6);
      entry.writeUInt16LE(UTF8_NAME, 8);
      entry.writeUInt16LE(method, 10);
      entry.writeUInt16LE(time, 12);
      entry.writeUInt16LE(date, 14);
      entry.writeUInt32LE(crc, 16);
      entry.writeUInt32LE(packed.length, 20);
      entry.writeUInt32LE(data.length, 24);
      entry.writeUInt16LE(name.length, 28);
      const typeBits = m.file === null ? 0o040000 : 0o100000;
      entry.writeUInt32LE((((typeBits | m.mode) << 16) | (m.file === null ? 0x10 : 0)) >>> 0, 38);
      entry.writeUInt32LE(offset, 42);
      central.push(entry, name);
      offset += local.length + name.length + packed.length;
      if (offset > MAX_ENTRY) throw zipError('Zip archive too large (more than 4 GiB)');
    }
    const dir = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(members.length, 8);
    end.writeUInt16LE(members.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(offset, 16);
    await fh.write(Buffer.concat([dir, end]));
    await fh.sync();
    await fh.close();
    fh = null;
    try {
      await fsPromises().rename(tmp, target);
    } catch (e) {
      throw new MinError(`cannot open: ${target} (${osReason(e)})`, 'IOError');
    }
  } finally {
    await fh?.close().catch(() => {});
    await fsPromises().rm(tmp, { force: true }).catch(() => {});
  }
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  packedSize: number;
  size: number;
  offset: number;
  mode: number;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const b = Buffer.alloc(length);
  const { bytesRead } = await fh.read(b, 0, length, position);
  if (bytesRead !== length) throw zipError('Invalid zip archive: truncated');
  return b;
}

/** The central directory: every entry's name, sizes and where its data is. */
async function entries(fh: FileHandle, size: number): Promise<Entry[]> {
  // The end record is in the last 22 bytes, or before a comment of up to 64 KiB.
  const tailLength = Math.min(size, 22 + 0xffff);
  if (tailLength < 22) throw zipError('Invalid zip archive');
  const tail = await readAt(fh, size - tailLength, tailLength);
  let at = -1;
  for (let k = tail.length - 22; k >= 0; k--) {
    if (tail.readUInt32LE(k) === END) {
      at = k;
      break;
    }
  }
  if (at < 0) throw zipError('Invalid zip archive');
  const count = tail.readUInt16LE(at + 10);
  const dirSize = tail.readUInt32LE(at + 12);
  const dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw zipError('Zip64 archives are not supported');
  if (dirOffset + dirSize > size) throw zipError('Invalid zip archive: bad central directory');
  const dir = await readAt(fh, dirOffset, dirSize);
  const out: Entry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw zipError('Invalid zip archive: bad central directory');
    const flags = dir.readUInt16LE(p + 8);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    if (p + 46 + nameLength > dir.length) throw zipError('Invalid zip archive: bad central directory');
    const rawName = dir.subarray(p + 46, p + 46 + nameLength);
    const madeByUnix = dir.readUInt8(p + 5) === 3;
    out.push({
      name: rawName.toString(flags & UTF8_NAME ? 'utf8' : 'latin1'),
      method: dir.readUInt16LE(p + 10),
      flags,
      crc: dir.readUInt32LE(p + 16),
      packedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      offset: dir.readUInt32LE(p + 42),
      mode: madeByUnix ? (dir.readUInt32LE(p + 38) >>> 16) & 0o777 : 0,
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** An entry's path parts, refusing anything that could land outside the destination. */
function safeParts(name: string): string[] {
  const path = name.replace(/\\/g, '/');
  const parts = path.split('/').filter((s) => s !== '' && s !== '.');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || parts.includes('..') || name.includes('\0')) {
    throw zipError(`Unsafe path in zip archive: ${name}`);
  }
  return parts;
}

/** The data of one entry, inflated and checked. */
async function entryData(fh: FileHandle, e: Entry): Promise<Buffer> {
  if (e.flags & 1) throw zipError(`Encrypted zip entries are not supported: ${e.name}`);
  const local = await readAt(fh, e.offset, 30);
  if (local.readUInt32LE(0) !== LOCAL) throw zipError(`Invalid zip archive: bad local header for ${e.name}`);
  const start = e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const packed = e.packedSize === 0 ? Buffer.alloc(0) : await readAt(fh, start, e.packedSize);
  const z = zlib();
  let data: Buffer;
  if (e.method === STORE) data = packed;
  else if (e.method === DEFLATE) {
    try {
      // The declared size bounds what inflating may produce (a zip bomb stops there).
      data = await inflateRaw(packed, Math.max(1, e.size));
    } catch (err) {
      throw zipError(`Invalid zip archive: ${e.name}: ${osReason(err)}`);
    }
  } else throw zipError(`Unsupported compression method ${e.method} for ${e.name}`);
  if (data.length !== e.size || (z.crc32(data) >>> 0) !== e.crc) throw zipError(`Invalid zip archive: ${e.name} is corrupt`);
  return data;
}

/**
 * Extract `archive` into the new directory `dest`, as native min does: dest
 * must not exist and its parent must. The entries are written into a
 * temporary directory beside it, renamed to dest once all are out, so a
 * failed extraction leaves nothing behind.
 */
export async function extractZip(archive: string, dest: string): Promise<void> {
  const shown = dest.includes('/') ? dest : './' + dest;
  let exists = true;
  try {
    await fsPromises().lstat(dest);
  } catch {
    exists = false;
  }
  if (exists || dest === '') throw zipError(`Destination ${shown} already exists`);
  const parent = dirname(resolve(dest));
  const parentStat = await fsPromises().stat(parent).catch(() => null);
  if (!parentStat?.isDirectory()) throw zipError(`Path to destination ${shown} does not exist`);
  let fh: FileHandle;
  try {
    fh = await fsPromises().open(archive, 'r');
  } catch {
    throw new MinError(`cannot open: ${archive}`, 'IOError');
  }
  const tmp = join(parent, `.${process.pid}.${Date.now().toString(36)}.unzip.tmp`);
  let done = false;
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new MinError(`cannot open: ${archive}`, 'IOError');
    const list = await entries(fh, st.size);
    await fsPromises().mkdir(tmp);
    for (const e of list) {
      const parts = safeParts(e.name);
      if (parts.length === 0) continue;
      const target = join(tmp, ...parts);
      try {
        if (e.name.endsWith('/')) {
          await fsPromises().mkdir(target, { recursive: true });
          continue;
        }
        const data = await entryData(fh, e);
        await fsPromises().mkdir(dirname(target), { recursive: true });
        await fsPromises().writeFile(target, data);
        if (e.mode) await fsPromises().chmod(target, e.mode);
      } catch (err) {
        if (err instanceof MinError) throw err;
        throw zipError(`Unable to extract ${e.name}: ${osReason(err)}`);
      }
    }
    try {
      await fsPromises().rename(tmp, dest);
    } catch (err) {
      throw zipError(`Unable to create ${shown}: ${osReason(err)}`);
    }
    done = true;
  } finally {
    await fh.close().catch(() => {});
    if (!done) await fsPromises().rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
}
