// `save-symbol` and friends: symbol values kept in ~/.min_symbols as min source.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { OpContext } from '../core/context.js';
import { MinError } from '../core/errors.js';
import { EntryKind, valueEntry } from '../core/scope.js';
import { show } from '../core/printer.js';
import { read } from '../core/reader.js';

const file = (): string => join(process.env.HOME ?? homedir(), '.min_symbols');

function loadAll(): Record<string, string> {
  if (!existsSync(file())) return {};
  try {
    return JSON.parse(readFileSync(file(), 'utf8')) as Record<string, string>;
  } catch {
    throw new MinError(`Invalid symbols file: ${file()}`, 'MinIOError');
  }
}

const saveAll = (all: Record<string, string>): void => writeFileSync(file(), JSON.stringify(all, null, 2));

export const symbolsStore = {
  save(i: OpContext, name: string): void {
    const e = i.lookup(name);
    if (!e) throw new MinError(`Undefined symbol: ${name}`, 'MinUndefinedError');
    if (e.kind === EntryKind.Native) throw new MinError(`Cannot save native symbol ${name}`, 'MinInvalidError');
    const all = loadAll();
    all[name] = (e.kind === EntryKind.Quoted ? 'q:' : 'v:') + show(e.val);
    saveAll(all);
  },
  load(i: OpContext, name: string): void {
    const src = loadAll()[name];
    if (src === undefined) throw new MinError(`Symbol ${name} has not been saved`, 'MinUndefinedError');
    const [v] = read(src.slice(2));
    i.define(name, valueEntry(v ?? null, src.startsWith('q:') ? EntryKind.Quoted : EntryKind.Value));
  },
  list(): string[] {
    return Object.keys(loadAll()).sort();
  },
  remove(name: string): void {
    const all = loadAll();
    if (!(name in all)) throw new MinError(`Symbol ${name} has not been saved`, 'MinUndefinedError');
    delete all[name];
    saveAll(all);
  },
};
