// Nothing written is lost or torn: fwrite, dswrite and dsinit replace a file
// atomically (a reader, or a writer killed with SIGKILL, never leaves a part
// of it), and an fappend is one append that no other can split.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../src/run.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'min-ts');
const scratch = mkdtempSync(join(tmpdir(), 'min-ts-atomic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let dirs = 0;
const freshDir = (): string => mkdtempSync(join(scratch, `d${dirs++}-`));

const SIZE = 4_000_000;

/** Whether buf is SIZE bytes of one letter: a whole content, never a mix or a part. */
function wholeContent(buf: Buffer): string | null {
  if (buf.length !== SIZE) return null;
  const letter = buf[0]!;
  for (let k = 0; k < buf.length; k += 4096) if (buf[k] !== letter) return null;
  if (buf[buf.length - 1] !== letter) return null;
  return String.fromCharCode(letter);
}

/** Start a min script; resolves once it has printed `started`. */
function startWriter(code: string, dir: string) {
  const file = join(dir, 'writer.min');
  writeFileSync(file, code);
  const proc = spawn(process.execPath, [bin, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const started = new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('started')) resolve();
    });
    proc.on('exit', (c) => reject(new Error(`writer exited ${c}: ${err}`)));
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return { proc, started, exited };
}

describe('a writer killed with SIGKILL', () => {
  it('fwrite: a reader only ever sees whole contents, and so does the file left behind', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = freshDir();
      const target = join(dir, 'big.txt');
      const w = startWriter(
        `"${target}" :file
         "a" ${SIZE} repeat :A "b" ${SIZE} repeat :B
         A file fwrite "started" puts!
         (true) (B file fwrite A file fwrite) while`,
        dir,
      );
      await w.started;
      const seen = new Set<string>();
      let reads = 0;
      // Read while it writes, then kill it in the middle of whatever it does.
      const until = performance.now() + 300 + Math.random() * 500;
      while (performance.now() < until || seen.size < 2) {
        const content = wholeContent(readFileSync(target));
        expect(content).not.toBeNull();
        seen.add(content!);
        reads++;
        await new Promise((r) => setTimeout(r, 1));
      }
      w.proc.kill('SIGKILL');
      await w.exited;
      expect(wholeContent(readFileSync(target))).not.toBeNull();
      expect(reads).toBeGreaterThan(1);
      // What a kill leaves behind is a temporary file that names itself and its writer.
      const left = readdirSync(dir).filter((f) => f !== 'big.txt' && f !== 'writer.min');
      for (const f of left) expect(f).toMatch(new RegExp(`^\\.big\\.txt\\.min-ts-${w.proc.pid}-[0-9a-z]+\\.tmp$`));
    }
  }, 120_000);

  it('dswrite: the datastore file always parses', async () => {
    const dir = freshDir();
    const target = join(dir, 'store.json');
    const w = startWriter(
      `"${target}" dsinit :ds
       "x" 200000 repeat :payload
       0 :k
       ds dswrite pop "started" puts!
       (true) (
         k 1 + @k
         ds "items/n" {k :n payload :text} dsput dswrite pop
       ) while`,
      dir,
    );
    await w.started;
    let last = -1;
    const until = performance.now() + 800;
    while (performance.now() < until || last < 2) {
      const data = JSON.parse(readFileSync(target, 'utf8')) as { items?: { n: { n: number } } };
      last = data.items?.n.n ?? 0;
      await new Promise((r) => setTimeout(r, 1));
    }
    w.proc.kill('SIGKILL');
    await w.exited;
    expect(() => JSON.parse(readFileSync(target, 'utf8'))).not.toThrow();
  }, 60_000);
});

describe('tasks writing the same file', () => {
  it('fwrite from two tasks, read by a third: always one whole content', async () => {
    const target = join(freshDir(), 'shared.txt');
    const r = await runCaptured(`
      "${target}" :file
      "a" ${SIZE} repeat :A "b" ${SIZE} repeat :B
      A file fwrite
      0 :torn
      ((A file fwrite) 10 times) spawn :ta
      ((B file fwrite) 10 times) spawn :tb
      (
        (
          file fread :got
          (got A == got B == or not) (torn 1 + @torn) when
          yield
        ) 40 times
      ) spawn :reader
      ta wait pop tb wait pop reader wait pop
      torn puts!
      file fread :final
      final A == final B == or puts!
    `);
    expect(r.err).toBe('');
    expect(r.out).toBe('0\ntrue\n');
    // Nothing left over but the file itself.
    expect(readdirSync(join(target, '..'))).toEqual(['shared.txt']);
  }, 60_000);

  it('fappend from two tasks: every append stays whole', async () => {
    const target = join(freshDir(), 'log.txt');
    const line = 1_500_000; // more than Node's 512 KiB writeFile chunk
    const r = await runCaptured(`
      "${target}" :file
      "a" ${line - 1} repeat "\\n" suffix :A
      "b" ${line - 1} repeat "\\n" suffix :B
      ((A file fappend) 8 times) spawn :ta
      ((B file fappend) 8 times) spawn :tb
      ta wait pop tb wait pop
    `);
    expect(r.err).toBe('');
    const lines = readFileSync(target, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(16);
    for (const l of lines) expect(l === 'a'.repeat(line - 1) || l === 'b'.repeat(line - 1)).toBe(true);
  }, 60_000);
});

describe('what an atomic write keeps', () => {
  it("the file's mode, and 0666 less the umask for a new file", async () => {
    const dir = freshDir();
    const kept = join(dir, 'secret.txt');
    writeFileSync(kept, 'old');
    chmodSync(kept, 0o640);
    const fresh = join(dir, 'new.txt');
    const r = await runCaptured(`"new" "${kept}" fwrite "new" "${fresh}" fwrite "${dir}/store.json" dsinit pop`);
    expect(r.err).toBe('');
    expect(readFileSync(kept, 'utf8')).toBe('new');
    expect(statSync(kept).mode & 0o777).toBe(0o640);
    const umask = process.umask();
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~umask);
    expect(statSync(join(dir, 'store.json')).mode & 0o777).toBe(0o666 & ~umask);
  });

  it('a symbolic link: the file it points to is replaced, the link stays', async () => {
    const dir = freshDir();
    const real = join(dir, 'real.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    const dangling = join(dir, 'dangling.txt');
    symlinkSync(join(dir, 'made-through-link.txt'), dangling);
    const r = await runCaptured(`"new" "${link}" fwrite "made" "${dangling}" fwrite`);
    expect(r.err).toBe('');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-through-link.txt'), 'utf8')).toBe('made');
  });

  it('a file with several hard links is written in place: every name sees the new contents', async () => {
    const dir = freshDir();
    const first = join(dir, 'first.txt');
    const second = join(dir, 'second.txt');
    writeFileSync(first, 'old contents, longer than the new');
    linkSync(first, second);
    const r = await runCaptured(`"new" "${second}" fwrite`);
    expect(r.err).toBe('');
    expect(readFileSync(first, 'utf8')).toBe('new');
    expect(statSync(first).nlink).toBe(2);
  });

  it('a device is written in place, not replaced', async () => {
    const r = await runCaptured('"discarded" "/dev/null" fwrite "ok" puts!');
    expect(r.out).toBe('ok\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a failed write is a catchable error and leaves no temporary file', async () => {
    const dir = freshDir();
    const r = await runCaptured(`
      (("x" "${dir}/missing/f.txt" fwrite) ('message dget puts!)) try
      (("x" "${dir}" fwrite) ('error dget puts!)) try
    `);
    expect(r.err).toBe('');
    expect(r.out).toBe(`Unable to write file '${dir}/missing/f.txt': no such file or directory\nIOError\n`);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
