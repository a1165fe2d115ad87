// How the shell shows the value on top of the stack after an entry, the way
// min's shell does: one space in front, and quotations or dicts of more than
// one item spread over several lines, one item per line.
import { DECIMAL, show, showEntry, showKey, type PrintOptions } from '../core/printer.js';
import { Dict, type Value } from '../core/values.js';

export function formatResult(v: Value, o: Readonly<PrintOptions> = DECIMAL): string {
  if (Array.isArray(v) && v.length > 1) {
    return [' (', ...v.map((x) => '   ' + show(x, o)), ' )'].join('\n');
  }
  if (v instanceof Dict && v.scope.size > 1) {
    const lines = [' {'];
    for (const k of v.scope.names()) lines.push('   ' + showEntry(v.scope.get(k)!, o) + ' ' + showKey(k));
    if (v.type) lines.push('   ;' + v.type);
    lines.push(' }');
    return lines.join('\n');
  }
  return ' ' + show(v, o);
}
