// `save-symbol`, `load-symbol`, `saved-symbols`, `remove-symbol`: symbols kept
// in $HOME/.min_symbols in native min v0.44's format, a pretty-printed JSON
// object from name to the quotation the symbol runs:
//
//   42 :n          ->  "n": [42]                 (a `:` value, wrapped)
//   (dup *) ^sq    ->  "sq": [";sym:dup", ";sym:*"]   (a lambda, its quotation)
//
// This file is the one place where JSON becomes code that runs: it is read
// with live symbols and commands, where every other JSON reader makes them
// inert. A script puts code there only by calling save-symbol itself, and
// save-symbol refuses values holding inert data, so data from a peer cannot
// be laundered into code by saving it and loading it back.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import type { Machine } from './machine.js';
import { MinError, invalid } from './errors.js';
import { EntryKind, valueEntry, type Entry } from './scope.js';
import { Cmd, Dict, Sym, type Value } from './values.js';
import { fromJson, toJson } from './json.js';
import { osReason } from './oserror.js';

const file = (): string => join(process.env.HOME || homedir(), '.min_symbols');

const notFound = (name: string): MinError => new MinError(`Symbol '${name}' not found.`, 'MinUndefinedError');

/** The saved symbols, name -> quotation, in file order (a missing file has none). */
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

/** Replace the file with `all`, atomically: a reader sees the old content or the new, never a part. */
function writeAll(all: Map<string, Value>): void {
  writeAtomically(file(), fileText(all));
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

function writeAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.min_symbols.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or never created.
    }
    throw new MinError(`Unable to write symbols file '${path}': ${osReason(e)}`, 'MinIOError');
  }
}

/** What the file stores for an entry: the quotation evaluating the symbol runs. */
function savedForm(name: string, e: Entry): Value[] {
  if (e.kind === EntryKind.Native) throw invalid(`Symbol '${name}' cannot be serialized.`);
  const v = e.val;
  return e.kind === EntryKind.Value && Array.isArray(v) ? v : [v];
}

/** The first inert symbol or command inside v, if any (dicts may hold themselves: each is visited once). */
function inertIn(v: Value, seen = new Set<Value>()): Sym | Cmd | null {
  if (v instanceof Sym || v instanceof Cmd) return v.inert ? v : null;
  if (Array.isArray(v) || v instanceof Dict) {
    if (seen.has(v)) return null;
    seen.add(v);
    const items = Array.isArray(v) ? v : [...(v.scope.symbols?.values() ?? [])].map((e) => e.val);
    for (const x of items) {
      const found = inertIn(x, seen);
      if (found) return found;
    }
  }
  return null;
}

export const symbolsStore = {
  save(i: Machine, name: string): void {
    const e = i.lookup(name) ?? (name.includes('.') ? i.resolvePath(name) : undefined);
    if (!e) throw notFound(name);
    const form = savedForm(name, e);
    const data = inertIn(form);
    if (data) {
      const what = data instanceof Sym ? `symbol '${data.name}'` : `command [${data.text}]`;
      throw invalid(`Symbol '${name}' holds data read from JSON (${what}), which cannot be saved as code`);
    }
    const all = readAll();
    all.set(name, form);
    writeAll(all);
  },
  load(i: Machine, name: string): void {
    const all = readAll();
    if (!all.has(name)) throw notFound(name);
    const v = all.get(name)!;
    const here = i.ownScope();
    if (here.get(name)?.sealed) throw invalid(`Symbol ${name} is sealed`);
    // Defined as a lambda: calling it runs the saved quotation.
    i.defineHere(name, valueEntry(Array.isArray(v) ? v : [v], EntryKind.Value));
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
