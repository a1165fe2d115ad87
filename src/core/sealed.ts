// The error for redefining a sealed symbol, saying what the symbol is and
// what to do instead: most often a program picked a name a module already
// uses (`3 :base`), and does not know that `base` is num's.
import { MinError } from './errors.js';
import { EntryKind, type Entry } from './scope.js';
import { Dict } from './values.js';

function reason(name: string, e: Entry): string {
  const instead = /^[A-Za-z][\w-]*$/.test(name) ? `pick another name (such as my-${name})` : 'pick another name';
  if (e.kind === EntryKind.Native && e.op?.module) {
    return `it is a built-in operator of module ${e.op.module}; ${instead}, or unseal it first with '${name} unseal-symbol`;
  }
  if (e.val instanceof Dict && e.val.type === 'module') return `it is the module ${name}; ${instead}`;
  return `it was sealed with seal-symbol; ${instead}, or unseal it first with '${name} unseal-symbol`;
}

export const sealedSymbol = (name: string, e: Entry): MinError => new MinError(`Symbol ${name} is sealed: ${reason(name, e)}`, 'MinInvalidError');
