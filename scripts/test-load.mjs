// Runs the test suite beside CPU burners, as a shared and busy CI machine runs it (issue 19):
// a test that passes only on an idle machine fails here. The burners are killed however the
// run ends, and they also end themselves if this script is killed outright.
//
//   npm run test:load                           two burners, `npm test` once
//   npm run test:load -- --runs 5               five runs in a row, stopping at the first failure
//   npm run test:load -- --burners 3 test/net   three burners, `vitest run test/net` (after a build)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function parseArgs(argv) {
  const o = { runs: 1, burners: 2, vitestArgs: [] };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--runs' || a === '--burners') {
      const n = Number(argv[++k]);
      if (!Number.isInteger(n) || n < (a === '--runs' ? 1 : 0)) usage(`${a} needs a whole number`);
      o[a.slice(2)] = n;
    } else if (a === '--help' || a === '-h') usage();
    else o.vitestArgs.push(a);
  }
  return o;
}

function usage(problem) {
  if (problem) console.error(`test-load: ${problem}`);
  console.error('usage: npm run test:load -- [--runs N] [--burners N] [vitest arguments...]');
  process.exit(problem ? 2 : 0);
}

const opts = parseArgs(process.argv.slice(2));

// A burner spins without end. Every few hundred million turns it checks that this script is
// still its parent: if the script was killed (even with SIGKILL) the burner was handed to
// another parent, and it stops instead of eating the machine.
const burnerCode = `const parent = ${process.pid}; for (let k = 1; ; k++) if (k % 2e8 === 0 && process.ppid !== parent) process.exit(0);`;
const burners = [];
let current = null;

function stopAll() {
  for (const b of burners.splice(0)) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
  if (current && current.exitCode === null && current.signalCode === null) current.kill('SIGTERM');
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopAll();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[signal]);
  });
}

/** Runs a command with the terminal's streams; resolves with its exit code. */
function runCommand(command, args) {
  return new Promise((resolve) => {
    current = spawn(command, args, { cwd: root, stdio: 'inherit' });
    current.on('error', (e) => {
      console.error(`test-load: cannot run ${command}: ${e.message}`);
      resolve(127);
    });
    current.on('exit', (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// npm sets npm_execpath when it runs this script; run its test script the same way.
const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const runSuite = async () => {
  if (opts.vitestArgs.length === 0) return runCommand(npm[0], [...npm[1], 'test']);
  return runCommand(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...opts.vitestArgs]);
};

for (let k = 0; k < opts.burners; k++) {
  burners.push(spawn(process.execPath, ['-e', burnerCode], { stdio: 'ignore' }));
}
console.log(`test-load: ${opts.burners} CPU burner(s) started (pids ${burners.map((b) => b.pid).join(' ') || 'none'})`);

if (opts.vitestArgs.length > 0) {
  const built = await runCommand(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  if (built !== 0) process.exit(built);
}

const seconds = [];
let failed = 0;
for (let run = 1; run <= opts.runs; run++) {
  const start = Date.now();
  const code = await runSuite();
  seconds.push((Date.now() - start) / 1000);
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`test-load: run ${run}/${opts.runs} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.at(-1).toFixed(1)} s (load average ${load})`);
  if (code !== 0) {
    failed = code;
    break;
  }
}
stopAll();
const total = seconds.reduce((a, b) => a + b, 0);
console.log(`test-load: ${seconds.length - (failed ? 1 : 0)} of ${opts.runs} run(s) passed beside ${opts.burners} burner(s); ` +
  `${seconds.map((s) => s.toFixed(1)).join(', ')} s (mean ${(total / seconds.length).toFixed(1)} s)`);
process.exit(failed);
