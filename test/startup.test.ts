// Start-up is a benchmarked target: the CLI bundle must not load Node's
// heavier built-ins (or optional packages) until a program uses them. A
// module-level call such as crypto.randomBytes() slips in easily, so the
// list of what loading the bundle pulls in is checked here.
import { beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

const LAZY = ['crypto', 'http', 'https', 'tls', 'net', 'dgram', 'dns', 'child_process', 'readline', 'zlib', 'fs/promises', 'os', 'perf_hooks', 'v8'];

it('running an empty program loads none of the lazily used built-ins', () => {
  const probe = `
    const before = new Set(process.moduleLoadList);
    const lib = await import(${JSON.stringify(join(root, 'dist', 'lib.js'))});
    await lib.runCaptured('1 2 + pop', { args: ['x'] });
    console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));`;
  const loaded: string[] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }));
  const heavy = loaded.filter((m) => LAZY.some((n) => m === `NativeModule ${n}`));
  expect(heavy).toEqual([]);
});

it('bin/min-ts running an empty file loads none of them either', () => {
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-startup-'));
  const script = join(dir, 'empty.min');
  const listed = join(dir, 'loaded.json');
  const probe = join(dir, 'probe.cjs');
  writeFileSync(script, '');
  // Preloaded: what the whole process loaded, written as it exits.
  writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(listed)}, JSON.stringify(process.moduleLoadList)));`);
  try {
    execFileSync(process.execPath, ['--require', probe, join(root, 'bin', 'min-ts'), script]);
    const loaded: string[] = JSON.parse(readFileSync(listed, 'utf8'));
    expect(loaded.filter((m) => LAZY.some((n) => m === `NativeModule ${n}`))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('bin/min-ts keeps a V8 code cache beside the bundle and survives a bad one', () => {
  const cache = join(root, 'dist', 'min-ts.cjs.cache');
  const run = () => execFileSync(join(root, 'bin', 'min-ts'), ['-e', '1 2 + puts!'], { encoding: 'utf8' });
  rmSync(cache, { force: true });
  expect(run()).toBe('3\n');
  expect(existsSync(cache)).toBe(true);
  expect(run()).toBe('3\n');
  writeFileSync(cache, 'not a code cache');
  expect(run()).toBe('3\n');
  expect(readFileSync(cache).length).toBeGreaterThan(1000);
});
