// Start-up: min-ts running an empty script and a 20-line script, against `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The best of `n` runs of each command, taking turns, so that a slow stretch
 * of a shared machine falls on all of them alike.
 */
function best(cmds, n = 15) {
  const min = cmds.map(() => Infinity);
  for (let k = 0; k < n; k++) {
    cmds.forEach(([cmd, args], j) => {
      const t0 = performance.now();
      const r = spawnSync(cmd, args, { stdio: 'ignore' });
      const t = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
      min[j] = Math.min(min[j], t);
    });
  }
  return min;
}

export async function startupRows({ root, quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-bench-'));
  const empty = join(dir, 'empty.min');
  const twenty = join(dir, 'twenty.min');
  writeFileSync(empty, '');
  writeFileSync(
    twenty,
    Array.from({ length: 20 }, (_, k) => `${k} :v${k} v${k} 2 * :w${k} (w${k} 1 +) => pop`).join('\n') + '\n',
  );
  const bin = join(root, 'bin', 'min-ts');
  const [node, ...times] = best([
    [process.execPath, ['-e', '0']],
    [process.execPath, [bin, empty]],
    [process.execPath, [bin, twenty]],
  ], quick ? 1 : 15);
  const rows = [];
  for (const [k, name] of ['empty script', '20-line script'].entries()) {
    const t = times[k];
    rows.push({
      name,
      value: `${t.toFixed(0)} ms`,
      reference: `node -e 0: ${node.toFixed(0)} ms; min ~5 ms`,
      ratio: `${(t / node).toFixed(2)}x node`,
      target: '<= 1.5x node',
      ok: t / node <= 1.5,
    });
  }
  return rows;
}
