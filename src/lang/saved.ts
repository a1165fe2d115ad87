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
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { MinError, invalid } from './errors.js';
import { Dict, type Value } from './values.js';
import { fromJson, toJson } from './json.js';
import { osReason } from './oserror.js';

const file = (): string => join(process.env.HOME || homedir(), '.min_symbols');

const notFound = (name: string): MinError => new MinError(`Symbol '${name}' not found.`, 'MinUndefinedError');

/** The saved symbols, name -> value, in file order (a missing file has none). */
function readAll(): Map<string, Value> {
  const path = file();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new MinError(`Unable to read symbols file '${path}': ${osReason(e)}`, 'MinIOError');
  }
  let data: Value;
  try {
    data = fromJson(text, true);
  } catch (e) {
    throw invalid(`Invalid symbols file '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(data instanceof Dict)) throw invalid(`Invalid symbols file '${path}': not a JSON object`);
  const all = new Map<string, Value>();
  for (const [name, e] of data.scope.symbols ?? []) all.set(name, e.val);
  return all;
}

/**
 * The file's JSON, names in the order they were first saved (min dicts, and
 * so toJson, order their keys). Each value is indented one level by
 * indenting its lines: JSON text has no line break inside a string.
 */
function fileText(all: Map<string, Value>): string {
  if (all.size === 0) return '{}';
  const entries = [...all].map(([name, v]) => `  ${toJson(name)}: ${toJson(v).replaceAll('\n', '\n  ')}`);
  return `{\n${entries.join(',\n')}\n}`;
}

/** Replace the file: a temporary file in the same directory, flushed, renamed over it. */
function writeAll(all: Map<string, Value>): void {
  const path = file();
  const temp = join(dirname(path), `.min_symbols.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, fileText(all));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed, or never created.
    }
    throw new MinError(`Unable to write symbols file '${path}': ${osReason(e)}`, 'MinIOError');
  }
}

// Synchronous, as in min: one save is one read-modify-write that no other
// task can interleave with.
export const symbolsStore = {
  /** Keep `value` (the quotation the symbol runs) under `name`, in place if it is there already. */
  save(name: string, value: Value): void {
    const all = readAll();
    all.set(name, value);
    writeAll(all);
  },
  /** The value saved under `name`. */
  load(name: string): Value {
    const all = readAll();
    if (!all.has(name)) throw notFound(name);
    return all.get(name)!;
  },
  list(): string[] {
    return [...readAll().keys()];
  },
  remove(name: string): void {
    const all = readAll();
    if (!all.delete(name)) throw notFound(name);
    writeAll(all);
  },
};
