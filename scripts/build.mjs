// Bundles the CLI into one file: one file loads faster than a module graph,
// which keeps start-up close to bare Node. ohm-js and ws stay external and are
// loaded lazily (only on a syntax error / a WebSocket socket).
//
// The CLI bundle is CommonJS so that bin/min-ts can run it from a V8 code
// cache (vm.Script cachedData; Node 20 has no code cache for ES modules):
// compiling the bundle was about a third of start-up. The library bundle,
// for benchmarks and embedding, stays an ES module.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['ohm-js', 'ws'],
  sourcemap: false,
  minify: true,
  keepNames: false,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    format: 'cjs',
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/min-ts.cjs',
    // The sources use import.meta.url (createRequire, finding min.ohm), only
    // once a program needs it: the URL is made then (making it costs start-up).
    define: { 'import.meta.url': '__minImportMeta.url' },
    banner: { js: 'var __minImportMeta={get url(){return require("url").pathToFileURL(__filename).href}};' },
  }),
  build({ ...common, format: 'esm', entryPoints: ['src/index.ts'], outfile: 'dist/lib.js' }),
]);
