// Checking values against type expressions that may name type classes and
// type aliases (min code), for `operator` signatures, `expect` and `type?`.
import type { OpContext } from './context.js';
import type { Run } from './control.js';
import { fitsBaseType, parseTypeExpr, type TypeExpr } from './types.js';
import { EntryKind } from './scope.js';
import { MinError, TypeMismatch } from './errors.js';
import { Sym, typeName, type Value } from './values.js';

/** Generic type variables of one operator call: name -> expression, then the bound type. */
export type Generics = Map<string, { expr: string; bound: string | null }>;

export function* checkType(i: OpContext, v: Value, src: string, generics?: Generics): Run<boolean> {
  return yield* check(i, v, parseTypeExpr(src), generics);
}

function* check(i: OpContext, v: Value, e: TypeExpr, generics?: Generics): Run<boolean> {
  switch (e.op) {
    case 'not':
      return !(yield* check(i, v, e.e, generics));
    case 'and':
      return (yield* check(i, v, e.a, generics)) && (yield* check(i, v, e.b, generics));
    case 'or':
      return (yield* check(i, v, e.a, generics)) || (yield* check(i, v, e.b, generics));
  }
  const name = e.name;
  const g = generics?.get(name);
  if (g) {
    if (g.bound) return fitsBaseType(g.bound, v) ?? (yield* checkType(i, v, g.bound));
    const ok = yield* checkType(i, v, g.expr);
    if (ok) g.bound = typeName(v);
    return ok;
  }
  const base = fitsBaseType(name, v);
  if (base !== undefined) return base;
  const alias = i.lookup('typealias:' + name);
  if (alias && alias.kind !== EntryKind.Native) {
    const expr = Array.isArray(alias.val) ? String(alias.val[0]) : String(alias.val);
    return yield* checkType(i, v, expr, generics);
  }
  if (i.lookup('typeclass:' + name)) {
    const saved = i.swapStack([v]);
    try {
      try {
        yield [new Sym('typeclass:' + name)];
      } catch (e) {
        // A value the class cannot even take (wrong input type) is not of the class.
        if (e instanceof TypeMismatch) return false;
        throw e;
      }
      const r = i.stack[i.stack.length - 1];
      if (typeof r !== 'boolean') throw new MinError(`Type class ${name} did not return a boolean value`, 'MinInvalidError');
      return r;
    } finally {
      i.swapStack(saved);
    }
  }
  throw new MinError(`Unknown type: ${name}`, 'MinInvalidError');
}
