// Assembles the language: every standard module's operators become global
// symbols (min v0.44 imports them all), each module is also a `;module` dict
// so dot notation (`net.socket`) works, and the sigils are wired to the
// symbols they stand for.
import { Runtime, type RuntimeOptions } from '../core/runtime.js';
import { nativeOp, type ModuleDef, type NativeOp } from '../core/registry.js';
import { nativeEntry, Scope, valueEntry } from '../core/scope.js';
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

/** A module's table, its operators made once per process. */
interface ModuleTable {
  module: ModuleDef;
  ops: Map<string, NativeOp>;
}

let tables: ModuleTable[] | null = null;

/** Every module's table, made once per process; runtimes share the NativeOps. */
function moduleTables(): ModuleTable[] {
  if (tables) return tables;
  const done: ModuleTable[] = [];
  for (const m of MODULES) {
    const ops = new Map<string, NativeOp>();
    for (const d of m.ops) if (!d.alias) ops.set(d.name, nativeOp(d, m.name));
    for (const d of m.ops) {
      if (!d.alias) continue;
      // An alias may name an operator of this module or of one listed before it.
      const target = ops.get(d.alias) ?? findOp(done, d.alias);
      if (!target) throw new Error(`alias ${d.name} -> unknown ${d.alias}`);
      ops.set(d.name, target);
    }
    done.push({ module: m, ops });
  }
  tables = done;
  return tables;

  function findOp(list: ModuleTable[], name: string): NativeOp | undefined {
    for (const c of list) {
      const o = c.ops.get(name);
      if (o) return o;
    }
    return undefined;
  }
}

/** Every native operator by name (for help and the REPL's completion). */
export function allOps(): Map<string, NativeOp> {
  const all = new Map<string, NativeOp>();
  for (const c of moduleTables()) for (const [k, o] of c.ops) all.set(k, o);
  return all;
}

export function createRuntime(o: RuntimeOptions = {}): Runtime {
  const rt = new Runtime(o);
  const g = rt.global;
  for (const { module, ops } of moduleTables()) {
    const ms = new Scope(null);
    for (const [name, op] of ops) {
      g.set(name, nativeEntry(op));
      ms.set(name, nativeEntry(op));
    }
    for (const [ch, target] of Object.entries(module.sigils ?? {})) rt.sigils.set(ch, target);
    // Command literals run through the sys module's system-output.
    if (module.name === 'sys') rt.commandOp = ops.get('system-output') ?? null;
    if (module.name !== 'global') {
      const d = Dict.live(ms);
      rt.modules.set(module.name, d);
    }
  }
  for (const [name, d] of rt.modules) {
    if (!g.get(name)) g.set(name, { ...valueEntry(d), sealed: true });
  }
  // The shell prompt is a min program users may redefine (it is unsealed).
  g.set('prompt', valueEntry(read('"[$1]$$ " (.) => %')));
  return rt;
}
