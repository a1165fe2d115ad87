// `npm run bench`: one table of what users feel, each figure a ratio against a
// reference measured in the same run (plain JavaScript doing the same work,
// bare `node -e 0`, a plain Node echo server), plus the figures measured on
// this machine for native min v0.44. Writes docs/performance.md too.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { interpreterRows } from './interp.mjs';
import { startupRows } from './startup.mjs';
const parserRows = async (ctx) => ((await import('./parse.mjs')).parserRows?.(ctx) ?? []);
import { networkRows } from './network.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--quick` runs every benchmark on a small workload, once: it checks that the
// harness works (the tests do this) and its figures mean nothing.
const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));

const sections = [
  ['Interpreter', interpreterRows],
  ['Start-up', startupRows],
  ['Parser', parserRows],
  ['Network', networkRows],
].filter(([name]) => !only || name.toLowerCase().startsWith(only));

const rows = [];
for (const [section, fn] of sections) {
  process.stderr.write(`# ${section}...\n`);
  try {
    for (const r of await fn({ root, performance, quick })) rows.push({ section, ...r });
  } catch (e) {
    rows.push({ section, name: `(failed: ${e.message})`, value: '', reference: '', ratio: '', target: '', ok: false });
  }
}

const header = ['', 'benchmark', 'min-ts', 'reference', 'ratio', 'target', ''];
const lines = [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.section} | ${r.name} | ${r.value} | ${r.reference} | ${r.ratio} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? 'met' : 'missed'} |`),
];
const table = lines.join('\n');
process.stdout.write(table + '\n');

if (!only && !quick) {
  const node = process.version;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const mem = Math.round(totalmem() / 2 ** 30);
  const date = new Date().toISOString().slice(0, 10);
  const notesFile = join(root, 'bench', 'NOTES.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  writeFileSync(
    join(root, 'docs', 'performance.md'),
    `# Performance\n\nMeasured by \`npm run bench\` on ${date}: Node ${node}, ${cpus().length} x ${cpu}, ${mem} GiB.\n` +
      `Every ratio compares against a reference measured in the same run (or, for native min, on this machine).\n\n` +
      table +
      '\n\n' +
      notes,
  );
}
