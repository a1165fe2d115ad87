// The saved-symbols file, $HOME/.min_symbols, in native min v0.44's format:
// a pretty-printed JSON object from each name to the quotation the symbol
// runs (what is stored, and how it is defined again, is global.ts's part):
//
//   42 :n          ->  "n": [42]                        (a `:` value, wrapped)
//   (dup *) ^sq    ->  "sq": [";sym:dup", ";sym:*"]     (a lambda, its quotation)
//
// This file is the one place where JSON becomes code that runs: it is read
// with live symbols and commands, where every other JSON reader makes them
// inert. Each change replaces the whole file atomically.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { os } from './builtins.js';
import { MinError, invalid } from '../core/errors.js';
import type { Value } from '../core/values.js';
import { fromJsonObject, toJson, type JsonValues } from './json.js';
import { osReason } from './oserror.js';
import { writeFileAtomicSync } from './atomic-write.js';

const file = (): string => join(process.env.HOME || os().homedir(), '.min_symbols');

const notFound = (name: string): MinError => new MinError(`Symbol '${name}' not found.`, 'MinUndefinedError');

/** The saved symbols, name -> value, in file order (a missing file has none). */
function readAll(values: JsonValues): Map<string, Value> {
  const path = file();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new MinError(`Unable to read symbols file '${path}': ${osReason(e)}`, 'IOError');
  }
  let pairs: [string, Value][] | null;
  try {
    pairs = fromJsonObject(text, values, true);
  } catch (e) {
    throw invalid(`Invalid symbols file '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
  if (pairs === null) throw invalid(`Invalid symbols file '${path}': not a JSON object`);
  return new Map(pairs);
}

/**
 * The file's JSON, names in the order they were first saved (min dicts, and
 * so toJson, order their keys). Each value is indented one level by
 * indenting its lines: JSON text has no line break inside a string.
 */
function fileText(all: Map<string, Value>, values: JsonValues): string {
  if (all.size === 0) return '{}';
  const entries = [...all].map(([name, v]) => `  ${toJson(name, values)}: ${toJson(v, values).replaceAll('\n', '\n  ')}`);
  return `{\n${entries.join(',\n')}\n}`;
}

/** Replace the file atomically (see atomic-write.ts). */
function writeAll(all: Map<string, Value>, values: JsonValues): void {
  const path = file();
  try {
    writeFileAtomicSync(path, fileText(all, values));
  } catch (e) {
    throw new MinError(`Unable to write symbols file '${path}': ${osReason(e)}`, 'IOError');
  }
}

/**
 * The file's operations. Synchronous, as in min: one save is one
 * read-modify-write that no other task can interleave with. `values` says
 * how JSON makes and reads min dicts (see json.ts).
 */
export class SymbolsFile {
  constructor(private readonly values: JsonValues) {}

  /** Keep `value` (the quotation the symbol runs) under `name`, in place if it is there already. */
  save(name: string, value: Value): void {
    const all = readAll(this.values);
    all.set(name, value);
    writeAll(all, this.values);
  }

  /** The value saved under `name`. */
  load(name: string): Value {
    const all = readAll(this.values);
    if (!all.has(name)) throw notFound(name);
    return all.get(name)!;
  }

  list(): string[] {
    return [...readAll(this.values).keys()];
  }

  remove(name: string): void {
    const all = readAll(this.values);
    if (!all.delete(name)) throw notFound(name);
    writeAll(all, this.values);
  }
}
