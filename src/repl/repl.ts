// The interactive shell (see issue 6). Placeholder until the REPL lands.
export async function startRepl(_o: { dev: boolean; plain: boolean }): Promise<number> {
  process.stderr.write('min-ts: the interactive shell is not available yet; run a file or use -e\n');
  return 1;
}
