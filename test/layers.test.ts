// The layers of src/ (see docs/internals.md) and the rules between them,
// checked on the import graph the TypeScript compiler reads from the
// sources: which folder may import which, the names lib may take from core,
// and no import cycle among modules (type-only imports aside, since they
// vanish from the JavaScript).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

interface Import {
  from: string;
  to: string;
  /** Erased from the JavaScript: `import type`, or only type specifiers. */
  typeOnly: boolean;
  names: string[];
}

function* walk(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (f.endsWith('.ts')) yield p;
  }
}

/** The file a relative specifier names, as a path relative to src/. */
function target(file: string, spec: string): string {
  return relative(src, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const from = relative(src, file);
  const out: Import[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      const clause = st.importClause;
      const names: string[] = [];
      let allTypes = clause === undefined ? false : clause.isTypeOnly;
      if (clause && !clause.isTypeOnly) {
        if (clause.name) names.push('default');
        const b = clause.namedBindings;
        if (b && ts.isNamespaceImport(b)) names.push('*');
        if (b && ts.isNamedImports(b)) {
          for (const e of b.elements) names.push((e.propertyName ?? e.name).text);
          allTypes = !clause.name && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
        }
      } else if (clause) {
        const b = clause.namedBindings;
        if (b && ts.isNamedImports(b)) for (const e of b.elements) names.push((e.propertyName ?? e.name).text);
      }
      out.push({ from, to: target(file, spec), typeOnly: allTypes, names });
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      const names = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      out.push({ from, to: target(file, spec), typeOnly: st.isTypeOnly, names });
    }
  }
  // `import('./x.js')` in a type position is an import too.
  const visit = (n: ts.Node): void => {
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      const spec = n.argument.literal.text;
      if (spec.startsWith('.')) out.push({ from, to: target(file, spec), typeOnly: true, names: [] });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The layer of a file: its folder under src/, or `entry` for the files at the top. */
const layerOf = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : 'entry');

/**
 * What each layer may import, by layer or by single file. core is the
 * language and needs nothing above it; lib is host code that knows min
 * values only (and the limits, which raise min errors); net, http and xml
 * are host code that knows min errors only; ops is where the two meet.
 */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  lib: ['lib', 'core/values.ts', 'core/errors.ts', 'core/limits.ts'],
  net: ['net', 'lib', 'core/errors.ts'],
  http: ['http', 'net', 'lib', 'core/errors.ts'],
  xml: ['xml', 'lib', 'core/errors.ts'],
  ops: ['ops', 'core', 'lib', 'net', 'http', 'xml'],
  repl: ['repl', 'ops', 'core', 'lib'],
  entry: ['entry', 'repl', 'ops', 'core', 'lib'],
};

/** Names lib may not take from core/values.ts: a dict is a symbol table, which is core's. */
const LIB_FORBIDDEN_NAMES = ['Dict', 'copyLiteral', '*'];

const files = [...walk(src)];
const imports = files.flatMap(importsOf);

function allowed(i: Import): boolean {
  const rules = ALLOWED[layerOf(i.from)] ?? [];
  return rules.some((r) => (r.endsWith('.ts') ? i.to === r : layerOf(i.to) === r));
}

describe('layers', () => {
  it('every file is in a known layer', () => {
    const unknown = files.map((f) => relative(src, f)).filter((f) => !(layerOf(f) in ALLOWED));
    expect(unknown).toEqual([]);
  });

  it('imports go only where the layer rules allow', () => {
    const bad = imports.filter((i) => !allowed(i)).map((i) => `${i.from} -> ${i.to}`);
    expect(bad).toEqual([]);
  });

  it('lib takes values and errors from core, never dicts', () => {
    const bad = imports
      .filter((i) => layerOf(i.from) === 'lib' && i.to === 'core/values.ts')
      .flatMap((i) => i.names.filter((n) => LIB_FORBIDDEN_NAMES.includes(n)).map((n) => `${i.from} imports ${n}`));
    expect(bad).toEqual([]);
  });

  it('there is no import cycle (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) if (!i.typeOnly) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    expect(cycles(graph)).toEqual([]);
  });

  it('the checker sees the imports it checks', () => {
    // Guards the checks above against passing on an empty graph.
    expect(imports.some((i) => i.from === 'core/machine.ts' && i.to === 'core/values.ts')).toBe(true);
    expect(imports.some((i) => i.from === 'ops/net.ts' && i.typeOnly === false)).toBe(true);
  });
});

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return found;
}
