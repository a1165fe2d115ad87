// JSON and (minimal) YAML conversion of min values.
import { Cmd, Dict, Flt, Sym, type Value } from './values.js';
import { EntryKind, Scope, valueEntry } from './scope.js';
import { MinError } from './errors.js';
import { showFloat } from './printer.js';

export function fromJson(text: string): Value {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MinError(`Invalid JSON: ${(e as Error).message}`, 'MinInvalidError');
  }
  return fromJs(data);
}

export function fromJs(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') return Number.isInteger(x) ? x : new Flt(x);
  if (Array.isArray(x)) return x.map(fromJs);
  const s = new Scope(null);
  for (const [k, v] of Object.entries(x as object)) s.set(k, valueEntry(fromJs(v)));
  return new Dict(s);
}

export function toJson(v: Value, indent = 2): string {
  return write(v, indent, '');
}

function write(v: Value, indent: number, pad: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Flt) return Number.isFinite(v.v) ? showFloat(v.v) : 'null';
  if (v instanceof Sym) return JSON.stringify(v.name);
  if (v instanceof Cmd) return JSON.stringify(v.text);
  const inner = pad + ' '.repeat(indent);
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((x) => inner + write(x, indent, inner)).join(',' + nl) + nl + pad + ']';
  }
  const d = v as Dict;
  const keys = d.scope.names();
  const parts: string[] = [];
  for (const k of keys) {
    const e = d.scope.get(k)!;
    if (e.kind === EntryKind.Native) continue;
    const val = e.kind === EntryKind.Quoted ? e.val : e.val;
    parts.push(inner + JSON.stringify(k) + sep + write(val, indent, inner));
  }
  if (parts.length === 0) return '{}';
  return '{' + nl + parts.join(',' + nl) + nl + pad + '}';
}

/** YAML for a dict of plain values, one `key: value` line each. */
export function toYaml(v: Value): string {
  if (!(v instanceof Dict)) throw new MinError('to-yaml supports dictionaries only', 'MinInvalidError');
  return v.scope
    .names()
    .map((k) => {
      const e = v.scope.get(k)!;
      const x = e.val;
      return `${k}: ${typeof x === 'string' ? x : JSON.stringify(x instanceof Flt ? x.v : x)}`;
    })
    .join('\n');
}

export function fromYaml(text: string): Value {
  const s = new Scope(null);
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const m = /^\s*([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new MinError(`Unsupported YAML line: ${line}`, 'MinInvalidError');
    let val = m[2]!;
    if (/^".*"$|^'.*'$/.test(val)) val = val.slice(1, -1);
    s.set(m[1]!, valueEntry(val));
  }
  return new Dict(s);
}
