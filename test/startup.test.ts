// Start-up is a benchmarked target: the CLI bundle must not load Node's
// heavier built-ins (or optional packages) until a program uses them. A
// module-level call such as crypto.randomBytes() slips in easily, so the
// list of what loading the bundle pulls in is checked here.
import { beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

const LAZY = ['crypto', 'http', 'https', 'tls', 'net', 'dgram', 'dns', 'child_process', 'readline', 'zlib'];

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
