// `min-ts help NAME` for a name that is neither an operator, a sigil nor a
// module: say so, and name the nearest ones.
import type { Machine } from './core/machine.js';
import { didYouMean, namesInScope, nearestNames } from './core/suggest.js';

export function unknownHelp(m: Machine, name: string): string {
  const near = nearestNames(name, [...namesInScope(m.scope), ...m.rt.modules.keys()]);
  return `min-ts: no help for ${name}: it is not an operator, a sigil or a module${didYouMean(near)}`;
}
