// The call trace of an uncaught error as lines of text. A deep recursion
// leaves millions of frames, most of them the same few calls over and over:
// a run of repeats is shown once and counted, and the whole trace is cut
// after a screenful.
import { CountedCalls, type TraceEntry } from './errors.js';
import type { Sym } from './values.js';

/** Frame lines shown at most; the rest are counted. */
const MAX_LINES = 24;
/** The longest cycle of calls recognised as one repeating unit (f -> if -> f -> if is a cycle of 2). */
const MAX_CYCLE = 6;
/** A cycle is folded once it comes round this many times. */
const MIN_REPEATS = 3;

const frameLine = (s: Sym): string => `  at ${s.src?.file ?? '<eval>'}(${s.line},${s.column}) [${s.name}]`;

const framesIn = (entries: TraceEntry[]): number => entries.reduce((n, e) => n + (e instanceof CountedCalls ? e.count : 1), 0);

/** How often the `cycle` calls starting at `at` follow each other unchanged. */
function repeats(trace: TraceEntry[], at: number, cycle: number): number {
  let n = 1;
  for (let next = at + cycle; next + cycle <= trace.length; next += cycle, n++) {
    for (let k = 0; k < cycle; k++) if (trace[next + k] !== trace[at + k] || trace[at + k] instanceof CountedCalls) return n;
  }
  return n;
}

/** The trace (innermost call first) as indented lines. */
export function traceLines(trace: TraceEntry[]): string[] {
  const lines: string[] = [];
  let shown = 0;
  for (let at = 0; at < trace.length; ) {
    if (shown >= MAX_LINES) {
      lines.push(`  ... ${framesIn(trace.slice(at))} more`);
      break;
    }
    const entry = trace[at]!;
    if (entry instanceof CountedCalls) {
      lines.push(entry.sym === null ? `  ... ${entry.count} more tail calls` : `  ... ${entry.count} more (the call above, repeated)`);
      at++;
      continue;
    }
    let folded = false;
    for (let cycle = 1; cycle <= MAX_CYCLE && !folded; cycle++) {
      const n = repeats(trace, at, cycle);
      if (n < MIN_REPEATS) continue;
      for (let k = 0; k < cycle; k++) lines.push(frameLine(trace[at + k] as Sym));
      lines.push(`  ... ${(n - 1) * cycle} more (${cycle === 1 ? 'the call above' : `the ${cycle} calls above`}, repeated)`);
      shown += cycle + 1;
      at += n * cycle;
      folded = true;
    }
    if (folded) continue;
    lines.push(frameLine(entry));
    shown++;
    at++;
  }
  return lines;
}
