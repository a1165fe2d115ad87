// Start-up: min-ts running an empty script and a 20-line script, against `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `n` rounds of running each command in turn: the times of each command, by
 * round, so that a command's time can be compared with the reference's in
 * the same round (a slow stretch of a shared machine falls on both alike).
 */
function paired(cmds, n = 15) {
  const times = cmds.map(() => []);
  for (let k = 0; k < n; k++) {
    cmds.forEach(([cmd, args], j) => {
      const t0 = performance.now();
      const r = spawnSync(cmd, args, { stdio: 'ignore' });
      const t = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
      times[j].push(t);
    });
  }
  return times;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};

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
  const [node, ...times] = paired([
    [process.execPath, ['-e', '0']],
    [process.execPath, [bin, empty]],
    [process.execPath, [bin, twenty]],
  ], quick ? 1 : 31);
  const rows = [];
  for (const [k, name] of ['empty script', '20-line script'].entries()) {
    // The median of the ratios of paired runs, as the issue measures it.
    const ratio = median(times[k].map((t, round) => t / node[round]));
    rows.push({
      name: `${name} (median of ${node.length} paired runs)`,
      value: `${median(times[k]).toFixed(0)} ms`,
      reference: `node -e 0: ${median(node).toFixed(0)} ms; min ~5 ms`,
      ratio: `${ratio.toFixed(2)}x node`,
      target: '<= 1.05x node',
      ok: ratio <= 1.05,
    });
  }
  return rows;
}
