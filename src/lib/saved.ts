// `save-symbol` and friends: symbol values kept in ~/.min_symbols, a JSON
// object of name -> the value written as min source (see ops/global.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { MinError } from '../core/errors.js';

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

const notSaved = (name: string): MinError => new MinError(`Symbol ${name} has not been saved`, 'MinUndefinedError');

export const symbolsStore = {
  /** Keep `text` (a saved value, as min source with its kind prefix) under `name`. */
  save(name: string, text: string): void {
    const all = loadAll();
    all[name] = text;
    saveAll(all);
  },
  /** The text saved under `name`. */
  load(name: string): string {
    const text = loadAll()[name];
    if (text === undefined) throw notSaved(name);
    return text;
  },
  list(): string[] {
    return Object.keys(loadAll()).sort();
  },
  remove(name: string): void {
    const all = loadAll();
    if (!(name in all)) throw notSaved(name);
    delete all[name];
    saveAll(all);
  },
};
