// Tab completion, as min's shell does it: symbol names for plain words and
// after the sigils that take a symbol, dict members after a dot, file names
// inside a string and environment variables after `$`.
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Runtime } from '../core/runtime.js';
import { byteOrder, EntryKind, type Scope } from '../core/scope.js';
import { Dict } from '../core/values.js';
import { scanEntry } from './entry.js';

export interface Completion {
  /** Replacements for `word`; each starts with `word`. */
  items: string[];
  /** The text before the cursor that the items replace. */
  word: string;
}

export interface CompleteOptions {
  /** Scope whose symbols (and its ancestors') are offered; the global scope by default. */
  scope?: Scope;
  /** Directory relative file names are completed in. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Prefixes after which a symbol name follows (quote, bind, help, save/load, lambdas, define). */
const SYMBOL_SIGILS = "'@#?<>~^:";

const NONE = (word: string): Completion => ({ items: [], word });

/** Completions for `text` with the cursor at `cursor` (text after the cursor is ignored). */
export function complete(text: string, cursor: number, rt: Runtime, o: CompleteOptions = {}): Completion {
  const before = text.slice(0, cursor);
  const scan = scanEntry(before);
  if (scan.stringStart >= 0) return files(before.slice(scan.stringStart + 1), o.cwd ?? process.cwd());
  if (scan.inComment) return NONE('');
  const word = before.slice(scan.wordStart);
  if (word.startsWith('$')) {
    const names = Object.keys(o.env ?? process.env).map((k) => '$' + k);
    return { items: matching(names, word), word };
  }
  const prefix = word.length > 0 && SYMBOL_SIGILS.includes(word[0]!) ? word[0]! : '';
  const name = word.slice(prefix.length);
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const keys = members(rt, name.slice(0, dot), o.scope ?? rt.global);
    const path = prefix + name.slice(0, dot + 1);
    return { items: matching(keys.map((k) => path + k), word), word };
  }
  const names = symbolNames(o.scope ?? rt.global).map((k) => prefix + k);
  return { items: matching(names, word), word };
}

const matching = (all: string[], word: string): string[] => all.filter((s) => s.startsWith(word));

/** Every symbol visible from `scope`, sorted, without repeats. */
export function symbolNames(scope: Scope): string[] {
  const seen = new Set<string>();
  for (let s: Scope | null = scope; s; s = s.parent) for (const k of s.names()) seen.add(k);
  return [...seen].sort(byteOrder);
}

/** The keys of the dict a dot path (`net`, `config.db`) names, if it names one. */
export function members(rt: Runtime, path: string, scope: Scope): string[] {
  const parts = path.split('.');
  let d: Dict | null = dictOf(scope.lookup(parts[0]!)?.val) ?? rt.modules.get(parts[0]!) ?? null;
  for (let k = 1; d && k < parts.length; k++) {
    const e = d.scope.get(parts[k]!);
    d = e && e.kind !== EntryKind.Native ? dictOf(e.val) : null;
  }
  return d ? d.scope.names() : [];
}

/** A dict, or the dict held by a quotation of one item (how `define` may store it). */
function dictOf(v: unknown): Dict | null {
  if (v instanceof Dict) return v;
  if (Array.isArray(v) && v.length === 1 && v[0] instanceof Dict) return v[0];
  return null;
}

/** File and directory names for the partial path typed inside a string. */
function files(partial: string, cwd: string): Completion {
  const slash = partial.lastIndexOf('/');
  const dirPart = partial.slice(0, slash + 1);
  const base = partial.slice(slash + 1);
  let names: string[];
  const dir = resolve(cwd, dirPart || '.');
  try {
    names = readdirSync(dir).sort(byteOrder);
  } catch {
    return NONE(partial);
  }
  const items: string[] = [];
  for (const n of names) {
    if (!n.startsWith(base) || (n.startsWith('.') && !base.startsWith('.'))) continue;
    let isDir = false;
    try {
      isDir = statSync(resolve(dir, n)).isDirectory();
    } catch {
      /* a dangling link: offer it as a file */
    }
    items.push(dirPart + n + (isDir ? '/' : ''));
  }
  // A single file finishes the string too.
  if (items.length === 1 && !items[0]!.endsWith('/')) items[0] += '"';
  return { items, word: partial };
}
