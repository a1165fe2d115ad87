// `help`, `symbol-help` and `sigil-help`: signatures and descriptions of
// native operators, and of min-defined ones from their doc comments.
import type { OpContext } from './context.js';
import { EntryKind, type Entry } from './scope.js';
import { Dict } from './values.js';
import { makeDict } from './dict.js';
import { MinError } from './errors.js';
import { prepareOp } from './registry.js';
import { writtenSignatures } from './operator.js';

interface HelpInfo {
  name: string;
  kind: 'symbol' | 'sigil';
  signature: string;
  description: string;
}

function info(i: OpContext, name: string, sigil: boolean): HelpInfo | null {
  let e: Entry | undefined;
  let kind: 'symbol' | 'sigil' = 'symbol';
  if (sigil) {
    e = i.sigilFor(name, i.scope);
    kind = 'sigil';
  } else {
    e = i.resolve(name);
  }
  if (!e) return null;
  if (e.kind === EntryKind.Native) {
    const op = prepareOp(e.op!);
    const written = writtenSignatures.get(op);
    const sig = written ?? (sigil ? `${name}str ==> ${op.outTypes.join(' ')}`.trim() : op.sig);
    const target = sigil && op.name !== name ? ` (sigil for ${op.name})` : '';
    return { name, kind, signature: sig, description: (e.doc ?? op.doc) + target };
  }
  return { name, kind, signature: '', description: e.doc ?? '' };
}

/** The help text of a symbol or sigil (an error when the name is neither). */
export function helpText(i: OpContext, name: string): string {
  const text = findHelpText(i, name);
  if (text === null) throw new MinError(`No help available for ${name}: undefined symbol`, 'MinUndefinedError');
  return text;
}

/**
 * A module's operators with their signatures, aligned in two columns, or
 * null when `name` does not stand for a module here (a program may have
 * given the name another meaning).
 */
function moduleHelpText(i: OpContext, name: string): string | null {
  const module = i.rt.modules.get(name);
  const e = i.resolve(name);
  if (module === undefined || e === undefined || e.kind === EntryKind.Native || e.val !== module) return null;
  const ops: [string, string][] = [];
  for (const [opName, entry] of module.scope.symbols ?? []) {
    if (entry.kind === EntryKind.Native) ops.push([opName, prepareOp(entry.op!).sig]);
  }
  ops.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.min(24, Math.max(...ops.map(([n]) => n.length)));
  const lines = [`module ${name}: ${ops.length} operators (also as ${name}.NAME)`];
  for (const [opName, sig] of ops) lines.push(`  ${opName.padEnd(width)}  ${sig}`);
  return lines.join('\n');
}

/** The help text of a module, symbol or sigil, or null when the name is none of them. */
export function findHelpText(i: OpContext, name: string): string | null {
  const listing = moduleHelpText(i, name);
  if (listing !== null) return listing;
  const h = info(i, name, false) ?? info(i, name, true);
  if (!h) return null;
  const lines = [`${h.kind === 'sigil' ? 'sigil ' : ''}${h.name}`];
  if (h.signature) lines.push(`  ${h.signature}`);
  if (h.description) lines.push(...h.description.split('\n').map((l) => `  ${l}`));
  return lines.join('\n');
}

export function helpDict(i: OpContext, name: string, sigil: boolean): Dict | null {
  const h = info(i, name, sigil);
  if (!h) return null;
  return makeDict(
    [
      ['name', h.name],
      ['kind', h.kind],
      ['signature', h.signature],
      ['description', h.description],
    ],
    'help',
  );
}
