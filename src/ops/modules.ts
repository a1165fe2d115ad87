// Assembles the language: every standard module's operators become global
// symbols (min v0.44 imports them all), each module is also a `;module` dict
// so dot notation (`net.socket`) works, and the sigils are wired to the
// symbols they stand for.
import { Runtime, type RuntimeOptions } from '../core/runtime.js';
import { nativeOp, type ModuleDef, type NativeOp } from '../core/registry.js';
import { nativeEntry, Scope, valueEntry, type Entry } from '../core/scope.js';
import { LazyTable, type EntrySource } from '../core/lazy-table.js';
import { Dict } from '../core/values.js';
import { read } from '../core/reader.js';
import { globalModule } from './global.js';
import { stackModule } from './stack.js';
import { seqModule } from './seq.js';
import { strModule } from './str.js';
import { logicModule } from './logic.js';
import { numModule } from './num.js';
import { dictModule } from './dict.js';
import { ioModule } from './io.js';
import { sysModule } from './sys.js';
import { fsModule } from './fs.js';
import { timeModule } from './time.js';
import { netModule } from './net.js';
import { taskModule } from './task.js';
import { mathModule } from './math.js';
import { cryptoModule } from './crypto.js';
import { httpModule } from './http.js';
import { dstoreModule } from './dstore.js';
import { xmlModule } from './xml.js';

export const MODULES: ModuleDef[] = [
  globalModule,
  stackModule,
  seqModule,
  strModule,
  logicModule,
  numModule,
  dictModule,
  ioModule,
  sysModule,
  fsModule,
  timeModule,
  netModule,
  taskModule,
  mathModule,
  cryptoModule,
  httpModule,
  dstoreModule,
  xmlModule,
];

/**
 * Each module's operators by name, made once per process on its first use
 * (runtimes share the NativeOps). An alias may name an operator of its own
 * module or of one listed before it.
 */
const tables = new Map<ModuleDef, Map<string, NativeOp>>();

function tableOf(m: ModuleDef): Map<string, NativeOp> {
  let ops = tables.get(m);
  if (ops) return ops;
  ops = new Map();
  for (const d of m.ops) if (!d.alias) ops.set(d.name, nativeOp(d, m.name));
  for (const d of m.ops) {
    if (!d.alias) continue;
    const target = ops.get(d.alias) ?? earlierOp(m, d.alias);
    if (!target) throw new Error(`alias ${d.name} -> unknown ${d.alias}`);
    ops.set(d.name, target);
  }
  tables.set(m, ops);
  return ops;
}

function earlierOp(m: ModuleDef, name: string): NativeOp | undefined {
  for (const before of MODULES) {
    if (before === m) return undefined;
    const o = tableOf(before).get(name);
    if (o) return o;
  }
  return undefined;
}

/** The names a module defines, in its table's order (operators, then aliases). */
function* moduleNames(m: ModuleDef): Iterable<string> {
  for (const d of m.ops) if (!d.alias) yield d.name;
  for (const d of m.ops) if (d.alias) yield d.name;
}

/**
 * The module each global operator name comes from: the last one listing it,
 * as min imports them in order. Its keys are in the global table's order (a
 * name keeps the place where it was first listed).
 */
let providers: Map<string, ModuleDef> | null = null;

function providerMap(): Map<string, ModuleDef> {
  if (providers === null) {
    providers = new Map();
    for (const m of MODULES) for (const n of moduleNames(m)) providers.set(n, m);
  }
  return providers;
}

/** Every native operator by name (for help and the REPL's completion). */
export function allOps(): Map<string, NativeOp> {
  const all = new Map<string, NativeOp>();
  for (const m of MODULES) for (const [k, o] of tableOf(m)) all.set(k, o);
  return all;
}

/** A module's own table (its dict, for dot notation): its operators' entries, made on first use. */
function moduleSource(m: ModuleDef): EntrySource {
  return {
    entry: (name) => {
      const o = tableOf(m).get(name);
      return o === undefined ? undefined : nativeEntry(o);
    },
    names: () => moduleNames(m),
  };
}

/**
 * The global scope's standard entries: every operator (the last module
 * listing a name gives it), then every module's dict under its name (sealed,
 * unless an operator has that name), then the shell prompt, a min program
 * users may redefine (unsealed).
 */
function globalSource(rt: Runtime): EntrySource {
  const moduleEntry = (name: string): Entry | undefined => {
    const d = rt.modules.get(name);
    return d === undefined ? undefined : { ...valueEntry(d), sealed: true };
  };
  return {
    entry: (name) => {
      if (name === 'prompt') return valueEntry(read('"[$1]$$ " (.) => %'));
      const m = providerMap().get(name);
      if (m !== undefined) return nativeEntry(tableOf(m).get(name)!);
      return moduleEntry(name);
    },
    *names() {
      const ops = providerMap();
      yield* ops.keys();
      for (const name of rt.modules.keys()) if (!ops.has(name)) yield name;
      if (!ops.has('prompt') && !rt.modules.has('prompt')) yield 'prompt';
    },
  };
}

export function createRuntime(o: RuntimeOptions = {}): Runtime {
  const rt = new Runtime(o);
  for (const module of MODULES) {
    for (const [ch, target] of Object.entries(module.sigils ?? {})) rt.sigils.set(ch, target);
    if (module.name !== 'global') rt.modules.set(module.name, Dict.live(tableScope(moduleSource(module))));
  }
  // Command literals run through the sys module's system-output.
  rt.commandOp = tableOf(sysModule).get('system-output') ?? null;
  rt.global.symbols = new LazyTable(globalSource(rt));
  return rt;
}

/** A parentless scope over a lazily made table. */
function tableScope(source: EntrySource): Scope {
  const s = new Scope(null);
  s.symbols = new LazyTable(source);
  return s;
}
