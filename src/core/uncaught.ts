// How an error nobody caught is reported (by the command line, the shell and
// a failing task): one line naming the place, the symbol, the kind and the
// message, then the min call trace, innermost call first.
import type { MinError } from './errors.js';
import { traceLines } from './trace.js';

/** `FILE(LINE,COLUMN) [symbol] KIND: message`; the parts an error lacks are left out. */
export function uncaughtLine(e: MinError): string {
  const where = e.filename ? `${e.filename}(${e.line},${e.column}) ` : '';
  const symbol = e.symbol ? `[${e.symbol}] ` : '';
  return `${where}${symbol}${e.kind}: ${e.message}`;
}

/** The error line followed by the call trace. */
export function describeUncaught(e: MinError): string {
  return [uncaughtLine(e), ...traceLines(e.trace)].join('\n');
}
