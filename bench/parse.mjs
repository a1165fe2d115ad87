// Parser speed: the fast reader on a generated ~1 MB min program, against
// JSON.parse on a JSON document of the same size (plain JavaScript doing
// comparable work). Also times the Ohm grammar, which only runs on syntax
// errors and in tests. `node bench/parse.mjs` runs it alone.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A deterministic pseudo-random generator, so every run parses the same text. */
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

const WORDS = ['dup', 'swap', 'map', 'filter', 'reduce', 'puts!', 'when', 'if', 'times', 'concat', 'size', 'get', 'dget', 'dset', 'my-proc', 'fs.dirname', 'x', 'acc'];

/** Typical min code: definitions, quotations, strings, numbers, dicts, comments. */
export function generateProgram(bytes = 1 << 20, seed = 42) {
  const r = rng(seed);
  const word = () => WORDS[r(WORDS.length)];
  const num = () => [String(r(1000)), `-${r(100)}`, `${r(100)}.${r(1000)}`, `${r(9)}.5e${r(20) - 10}`][r(4)];
  const str = () => ['"hello world"', '"tab\\tnew\\nline"', '"say \\"hi\\""', '"regex \\d+\\}"', '"caf\\u00e9"'][r(5)];
  const quot = (depth) => {
    const parts = [];
    for (let k = 1 + r(6); k > 0; k--) parts.push(depth > 0 && r(4) === 0 ? quot(depth - 1) : atom());
    return `(${parts.join(' ')})`;
  };
  const atom = () => [word, word, num, str, () => `'${word()}`, () => `@${word()}`][r(6)]();
  const dict = () => `{${str()} :name ${num()} :"first release year" ${quot(1)} :body${r(2) ? ' ;thing' : ''}}`;
  const lines = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    let line;
    switch (r(8)) {
      case 0:
        line = `;; Doc for definition ${n}\n${quot(2)} :def-${n}`;
        break;
      case 1:
        line = `${dict()} :d${n}`;
        break;
      case 2:
        line = `#| block comment ${n}\n   spanning lines |#`;
        break;
      case 3:
        line = `${num()} ${num()} + ${str()} puts! ; trailing comment`;
        break;
      default:
        line = `  ${quot(3)} ${quot(1)} ${word()} ${word()}`;
    }
    lines.push(line);
    size += line.length + 1;
    n++;
  }
  return lines.join('\n') + '\n';
}

/** Bundle the reader from source so the benchmark measures the current code. */
async function loadReader() {
  const out = join(mkdtempSync(join(tmpdir(), 'min-ts-parse-')), 'reader.mjs');
  await build({
    entryPoints: [join(here, '..', 'src', 'core', 'reader.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['ohm-js'],
    logLevel: 'warning',
  });
  return import(pathToFileURL(out).href);
}

/** Best of `n` runs, in ms. */
function best(fn, n) {
  let min = Infinity;
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export async function parserRows({ quick } = {}) {
  const { read } = await loadReader();
  const text = generateProgram(quick ? 64 * 1024 : 1 << 20);
  const mb = text.length / 2 ** 20;
  const values = read(text, 'bench.min');
  if (!values.length) throw new Error('the reader read nothing');
  const tRead = best(() => read(text, 'bench.min'), quick ? 1 : 10);
  const json = JSON.stringify(Array.from({ length: 12000 }, (_, k) => ({ name: `item ${k}`, tags: ['a', 'b\n'], n: k * 1.5, ok: k % 2 === 0 })));
  const tJson = best(() => JSON.parse(json), quick ? 1 : 10);
  const readMBs = mb / (tRead / 1000);
  const jsonMBs = json.length / 2 ** 20 / (tJson / 1000);
  const rows = [
    {
      name: `reader, ${mb.toFixed(1)} MB program`,
      value: `${readMBs.toFixed(1)} MB/s`,
      reference: `JSON.parse: ${jsonMBs.toFixed(0)} MB/s`,
      ratio: `${(readMBs / jsonMBs).toFixed(2)}x JSON.parse`,
      target: '>= 2 MB/s',
      ok: readMBs >= 2,
    },
  ];
  // The grammar only runs on syntax errors; a 100 kB program shows its cost.
  const { createRequire } = await import('node:module');
  const ohm = createRequire(import.meta.url)('ohm-js');
  const { readFileSync } = await import('node:fs');
  const g = ohm.grammar(readFileSync(join(here, '..', 'src', 'core', 'min.ohm'), 'utf8'));
  const kb = quick ? 8 : 100;
  const slice = generateProgram(kb * 1024, 7);
  const tOhm = best(() => {
    if (g.match(slice, 'program').failed()) throw new Error('the grammar rejected the benchmark program');
  }, quick ? 1 : 3);
  const ohmMBs = slice.length / 2 ** 20 / (tOhm / 1000);
  rows.push({
    name: `Ohm grammar (syntax errors only), ${kb} kB`,
    value: `${ohmMBs.toFixed(2)} MB/s`,
    reference: `reader: ${readMBs.toFixed(1)} MB/s`,
    ratio: `${(ohmMBs / readMBs).toFixed(3)}x reader`,
    target: '',
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await parserRows()) console.log(`${r.name}: ${r.value} (${r.reference}; ${r.ratio})${r.target ? ` target ${r.target}: ${r.ok ? 'met' : 'missed'}` : ''}`);
}
