// Running the regular expressions of scripts so that none can hang the
// process. V8's backtracking engine has no match limit of its own (PCRE, which
// native min uses, has one), so a pattern such as ^([a-z]+ ?)*$ on forty
// letters and a `!` would backtrack for hours. Three layers keep every match
// short:
//
// 1. V8's linear-time engine: with --enable-experimental-regexp-engine-on-
//    excessive-backtracks, a pattern that engine can run switches to it after
//    50 000 backtracks, and gets the same result in linear time. It cannot run
//    lookarounds, backreferences, the `i` and `u` flags or counted repetitions
//    beyond a few; whether it can run a pattern is asked of V8 itself, by
//    compiling the pattern with the `l` flag (--enable-experimental-regexp-engine).
// 2. For the other patterns, a RegExp made with a backtrack limit (the V8
//    intrinsic %NewRegExpWithBacktrackLimit, the one way to set a limit from
//    JavaScript). Past the limit, V8 reports "no match", which cannot be told
//    from a real one by the result; but doing BACKTRACK_LIMIT backtracks takes
//    far longer than CERTAIN_MS, so a "no match" that came sooner is certain.
// 3. A "no match" that took longer runs again, without a limit, under a vm
//    timeout (a watchdog thread that interrupts V8): it finishes with the real
//    result or raises a catchable MinLimitError after TIME_LIMIT_MS. The vm
//    call costs about 150 µs, paid only on this slow path.
//
// The flags are set on the first use of a regular expression, not at start-up:
// loading node:v8 costs start-up time (about 4% of Node's own), and the V8 code
// cache bin/min-ts keeps records the flags it was made under (it is rejected
// under others). So before changing them the guard calls bin/min-ts's hook
// (BEFORE_V8_FLAGS), which writes the cache if this run is to write one.
import { v8 } from './builtins.js';
import { Script, createContext, type Context } from 'node:vm';
import { MinError } from '../core/errors.js';

/** The V8 flags regular expressions need; bin/min-ts sets the same list. */
export const REGEX_V8_FLAGS = [
  '--enable-experimental-regexp-engine-on-excessive-backtracks',
  '--enable-experimental-regexp-engine',
];

/**
 * Backtracks before a limited RegExp gives up. PCRE's default match limit is
 * ten million; at V8's fastest (3.5 ns a backtrack measured, 35 ns in the
 * bytecode interpreter that runs a pattern's first match) three million take
 * 10 to 100 ms.
 */
const BACKTRACK_LIMIT = 3_000_000;

/** A failed match faster than this cannot have reached BACKTRACK_LIMIT. */
const CERTAIN_MS = 1;

/** How long one match may run on the slow path before it is an error. */
export const TIME_LIMIT_MS = 600;

/** The global (a Symbol.for key) where bin/min-ts leaves a function to call before V8's flags change. */
export const BEFORE_V8_FLAGS = 'min-ts.before-v8-flags';

type LimitedConstructor = (source: string, flags: string, limit: number) => RegExp;

/**
 * The intrinsic, compiled from a script while --allow-natives-syntax is on,
 * which is switched off again at once (it only changes what parses). null
 * where V8 lacks it.
 */
function limitedConstructor(setFlagsFromString: (flags: string) => void): LimitedConstructor | null {
  try {
    setFlagsFromString('--allow-natives-syntax');
    const make = new Script('(function (source, flags, limit) { return %NewRegExpWithBacktrackLimit(source, flags, limit); })').runInThisContext() as LimitedConstructor;
    return make('a', '', 1) instanceof RegExp ? make : null;
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
}

/** The limited constructor once the flags are set; undefined until the first regular expression. */
let makeLimited: LimitedConstructor | null | undefined;

/** Sets the V8 flags regular expressions need, once, and pushes the limited constructor (null: none). */
function prepare(): LimitedConstructor | null {
  if (makeLimited !== undefined) return makeLimited;
  const before = (globalThis as Record<symbol, unknown>)[Symbol.for(BEFORE_V8_FLAGS)];
  if (typeof before === 'function') before();
  const { setFlagsFromString } = v8();
  for (const flag of REGEX_V8_FLAGS) setFlagsFromString(flag);
  makeLimited = limitedConstructor(setFlagsFromString);
  return makeLimited;
}

/** What the matching code needs of a RegExp: a guarded one behaves the same. */
export interface RegExpLike {
  lastIndex: number;
  readonly unicode: boolean;
  exec(s: string): RegExpExecArray | null;
  test(s: string): boolean;
}

/** Whether V8's linear-time engine can run source with flags (so a fallback protects it). */
export function runsInLinearTime(source: string, flags: string): boolean {
  prepare();
  try {
    new RegExp(source, flags + 'l');
    return true;
  } catch {
    return false;
  }
}

/**
 * A RegExp for source/flags that cannot hang: the plain RegExp when the
 * linear-time engine can take over from it, a guarded one otherwise. With
 * `forEndless`, the source of the same pattern for subjects that do not end
 * with a newline (where PCRE's `$` is JavaScript's `$`, with no lookahead),
 * which the linear-time engine may be able to run when the full form cannot.
 */
export function guardedRegExp(pattern: string, source: string, flags: string, forEndless: string | null): RegExpLike {
  const makeLimited = prepare();
  const exact = new RegExp(source, flags);
  if (runsInLinearTime(source, flags)) return exact;
  const plain = forEndless !== null && runsInLinearTime(forEndless, flags) ? new RegExp(forEndless, flags) : null;
  if (makeLimited === null) return plain === null ? exact : new Guarded(pattern, plain, exact, exact);
  return new Guarded(pattern, plain, makeLimited(source, flags, BACKTRACK_LIMIT), exact);
}

class Guarded implements RegExpLike {
  lastIndex = 0;
  readonly unicode: boolean;

  constructor(
    private readonly pattern: string,
    /** For subjects not ending with "\n": runs in linear time. */
    private readonly endless: RegExp | null,
    private readonly limited: RegExp,
    private readonly unlimited: RegExp,
  ) {
    this.unicode = unlimited.unicode;
  }

  exec(s: string): RegExpExecArray | null {
    const from = this.lastIndex;
    if (this.endless !== null && s.charCodeAt(s.length - 1) !== 10) return this.run(this.endless, s, from);
    const started = performance.now();
    const m = this.run(this.limited, s, from);
    if (m !== null || this.limited === this.unlimited || performance.now() - started < CERTAIN_MS) return m;
    return this.runTimed(s, from);
  }

  // As exec, without making the match array where only the answer is wanted.
  test(s: string): boolean {
    const from = this.lastIndex;
    if (this.endless !== null && s.charCodeAt(s.length - 1) !== 10) return this.runTest(this.endless, s, from);
    const started = performance.now();
    if (this.runTest(this.limited, s, from)) return true;
    if (this.limited === this.unlimited || performance.now() - started < CERTAIN_MS) return false;
    return this.runTimed(s, from) !== null;
  }

  private runTest(re: RegExp, s: string, from: number): boolean {
    re.lastIndex = from;
    const found = re.test(s);
    this.lastIndex = re.lastIndex;
    return found;
  }

  private run(re: RegExp, s: string, from: number): RegExpExecArray | null {
    re.lastIndex = from;
    const m = re.exec(s);
    this.lastIndex = re.lastIndex;
    return m;
  }

  /** The slow path: the unlimited RegExp, interrupted after TIME_LIMIT_MS. */
  private runTimed(s: string, from: number): RegExpExecArray | null {
    let m: RegExpExecArray | null = null;
    const box = (sandbox ??= createContext({ job: null }));
    box.job = () => {
      m = this.run(this.unlimited, s, from);
    };
    try {
      runJob.runInContext(box, { timeout: TIME_LIMIT_MS });
    } catch (e) {
      this.lastIndex = 0;
      if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw tooSlow(this.pattern, s);
      throw e;
    } finally {
      box.job = null;
    }
    return m;
  }
}

let sandbox: Context | null = null;
const runJob = new Script('job()');

function tooSlow(pattern: string, s: string): MinError {
  return new MinError(
    `regular expression time limit exceeded: /${pattern}/ backtracked for more than ${TIME_LIMIT_MS} ms on a string of ${s.length} characters`,
    'MinLimitError',
  );
}

/** Whether regular expressions run with a backtrack limit here (false only where V8 lacks the intrinsic). */
export const backtrackLimited = (): boolean => prepare() !== null;
