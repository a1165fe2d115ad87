// Bundles the CLI into one ESM file: one file loads faster than a module graph,
// which keeps start-up close to bare Node. ohm-js and ws stay external and are
// imported lazily (only on a syntax error / a WebSocket socket).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ohm-js', 'ws'],
  sourcemap: false,
  minify: true,
  keepNames: false,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/min-ts.js' }),
  // The same code as a library, for benchmarks and embedding.
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/lib.js' }),
]);
