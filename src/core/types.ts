// Type expressions, as used in operator signatures, `expect` and `type?`:
// base types (`int`, `'sym`, `dict:socket`...), type classes and aliases
// (`typeclass:name`, `typealias:name` symbols) combined with `|`, `&`, `!`.
import { Dict, Flt, isQuotedSym, type Value } from './values.js';

export type TypeExpr =
  | { op: 'name'; name: string }
  | { op: 'not'; e: TypeExpr }
  | { op: 'and' | 'or'; a: TypeExpr; b: TypeExpr };

/** Spellings accepted for the base types. */
// No prototype: a type named `constructor` or `toString` is not an alias.
const ALIASES: Record<string, string | undefined> = Object.assign(Object.create(null) as Record<string, string>, {
  string: 'str',
  boolean: 'bool',
  integer: 'int',
  float: 'flt',
  number: 'num',
  quotation: 'quot',
  dictionary: 'dict',
  any: 'a',
  sym: "'sym",
});

/**
 * The base types as small codes, so that the machine can test an operand
 * inline (see callNative) and every check of a base type goes through `fits`.
 * Other: not a base name (a typed dict, or a type class, tested otherwise).
 */
export const enum Check {
  Any,
  Int,
  Str,
  Quot,
  Num,
  Dict,
  Bool,
  Sym,
  Flt,
  Null,
  Other,
}

const CHECK_CODES = new Map<string, Check>([
  ['a', Check.Any],
  ['int', Check.Int],
  ['str', Check.Str],
  ['quot', Check.Quot],
  ['num', Check.Num],
  ['dict', Check.Dict],
  ['bool', Check.Bool],
  ["'sym", Check.Sym],
  ['flt', Check.Flt],
  ['null', Check.Null],
]);

export const checkCode = (name: string): Check => CHECK_CODES.get(ALIASES[name] ?? name) ?? Check.Other;

const NOT_BASE = (): boolean => false;

/** Does operand v pass the check with this code (`other` for Other)? */
export function fits(code: Check, v: Value, other: (v: Value) => boolean): boolean {
  switch (code) {
    case Check.Any:
      return true;
    case Check.Int:
      return typeof v === 'number';
    case Check.Str:
      return typeof v === 'string';
    case Check.Quot:
      return Array.isArray(v);
    case Check.Num:
      return typeof v === 'number' || v instanceof Flt;
    case Check.Dict:
      return v instanceof Dict;
    case Check.Bool:
      return typeof v === 'boolean';
    case Check.Sym:
      return typeof v === 'string' || isQuotedSym(v);
    case Check.Flt:
      return v instanceof Flt;
    case Check.Null:
      return v === null;
    default:
      return other(v);
  }
}

/** Whether v is of the base type `name` (int, 'sym, dict:socket...); undefined when `name` is not a base type. */
export function fitsBaseType(name: string, v: Value): boolean | undefined {
  const code = checkCode(name);
  if (code !== Check.Other) return fits(code, v, NOT_BASE);
  if (name.startsWith('dict:')) return v instanceof Dict && v.type === name.slice(5);
  return undefined;
}

export const isBaseType = (name: string): boolean => checkCode(name) !== Check.Other || name.startsWith('dict:');

/**
 * Parse `!even|tenminus&fiveplus`. Operators apply left to right, as min does:
 * no precedence, `!` binds to the name it precedes.
 */
const parsed = new Map<string, TypeExpr>();

/** Parse (memoized: signatures are checked on every call of an operator). */
export function parseTypeExpr(src: string): TypeExpr {
  let e = parsed.get(src);
  if (e === undefined) parsed.set(src, (e = parseTypeExprUncached(src)));
  return e;
}

function parseTypeExprUncached(src: string): TypeExpr {
  const tokens = src.split(/([|&])/).filter((t) => t !== '');
  let i = 0;
  const atom = (): TypeExpr => {
    const t = tokens[i++];
    if (t === undefined || t === '|' || t === '&') throw new Error(`Invalid type expression: ${src}`);
    let neg = 0;
    let name = t;
    while (name.startsWith('!')) (neg++, (name = name.slice(1)));
    let e: TypeExpr = { op: 'name', name };
    if (neg % 2) e = { op: 'not', e };
    return e;
  };
  let e = atom();
  while (i < tokens.length) {
    const op = tokens[i++] === '|' ? 'or' : 'and';
    e = { op, a: e, b: atom() };
  }
  return e;
}

/** Whether v is of a type expression whose names are all base types. */
export function fitsBaseExpr(e: TypeExpr, v: Value): boolean {
  switch (e.op) {
    case 'name':
      return fitsBaseType(e.name, v) ?? false;
    case 'not':
      return !fitsBaseExpr(e.e, v);
    case 'and':
      return fitsBaseExpr(e.a, v) && fitsBaseExpr(e.b, v);
    case 'or':
      return fitsBaseExpr(e.a, v) || fitsBaseExpr(e.b, v);
  }
}

/** True when the expression only names base types (checkable without running code). */
export function onlyBase(e: TypeExpr): boolean {
  switch (e.op) {
    case 'name':
      return isBaseType(e.name);
    case 'not':
      return onlyBase(e.e);
    default:
      return onlyBase(e.a) && onlyBase(e.b);
  }
}

/** A predicate for a native signature's input type (base types only), made once per operator. */
export function basePredicate(src: string): (v: Value) => boolean {
  const e = parseTypeExpr(src);
  if (!onlyBase(e)) throw new Error(`Native signatures use base types only: ${src}`);
  if (e.op === 'name') {
    const code = checkCode(e.name);
    if (code !== Check.Other) return (v) => fits(code, v, NOT_BASE);
    // Typed dicts (dict:socket) are checked on every net call: compare the type directly.
    if (e.name.startsWith('dict:')) {
      const type = e.name.slice(5);
      return (v) => v instanceof Dict && v.type === type;
    }
  }
  return (v) => fitsBaseExpr(e, v);
}
