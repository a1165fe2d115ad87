// Assembles the language: every standard module's operators become global
// symbols (min v0.44 imports them all), each module is also a `;module` dict
// so dot notation (`net.socket`) works, and the sigils are wired to the
// symbols they stand for.
import { Runtime, type RuntimeOptions } from '../lang/runtime.js';
import { compileOp, type ModuleDef, type NativeOp } from '../lang/registry.js';
import { nativeEntry, Scope } from '../lang/scope.js';
import { Dict } from '../lang/values.js';
import { read } from '../lang/reader.js';
import { printOptions } from '../lang/printer.js';
import { resetRandom } from '../lang/random.js';
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

interface Compiled {
  module: ModuleDef;
  ops: Map<string, NativeOp>;
}

let compiled: Compiled[] | null = null;

/** Compile every table once per process; runtimes share the NativeOps. */
function compileAll(): Compiled[] {
  if (compiled) return compiled;
  const done: Compiled[] = [];
  for (const m of MODULES) {
    const ops = new Map<string, NativeOp>();
    for (const d of m.ops) if (!d.alias) ops.set(d.name, compileOp(d, m.name));
    for (const d of m.ops) {
      if (!d.alias) continue;
      // An alias may name an operator of this module or of one listed before it.
      const target = ops.get(d.alias) ?? findOp(done, d.alias);
      if (!target) throw new Error(`alias ${d.name} -> unknown ${d.alias}`);
      ops.set(d.name, target);
    }
    done.push({ module: m, ops });
  }
  compiled = done;
  return compiled;

  function findOp(list: Compiled[], name: string): NativeOp | undefined {
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
  for (const c of compileAll()) for (const [k, o] of c.ops) all.set(k, o);
  return all;
}

export function createRuntime(o: RuntimeOptions = {}): Runtime {
  const rt = new Runtime(o);
  printOptions.base = 'dec'; // process-wide: one program's `base` must not leak into the next
  resetRandom(); // nor its random numbers: every program starts from Nim's fixed state
  const g = rt.global;
  for (const { module, ops } of compileAll()) {
    const ms = new Scope(null);
    for (const [name, op] of ops) {
      g.set(name, nativeEntry(op));
      ms.set(name, nativeEntry(op));
    }
    for (const [ch, target] of Object.entries(module.sigils ?? {})) rt.sigils.set(ch, target);
    if (module.name !== 'global') {
      const d = new Dict(ms, 'module');
      rt.modules.set(module.name, d);
    }
  }
  for (const [name, d] of rt.modules) {
    if (!g.get(name)) g.set(name, { kind: 1, val: d, op: null, sealed: true });
  }
  // The shell prompt is a min program users may redefine (it is unsealed).
  g.set('prompt', { kind: 1, val: read('"[$1]$$ " (.) => %'), op: null, sealed: false });
  return rt;
}
