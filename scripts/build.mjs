// Bundles the CLI into one ESM file: one file loads faster than a module graph,
// which keeps start-up close to bare Node. ohm-js and ws stay external and are
// imported lazily (only on a syntax error / a WebSocket socket).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/min-ts.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ohm-js', 'ws'],
  loader: { '.ohm': 'text' },
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
});
