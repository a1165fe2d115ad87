// The limits that keep a program, or the data a peer sends it, from taking
// the process down. V8 ends the process outright ("invalid size error",
// "heap out of memory") when an array grows past what it can hold or the heap
// fills up; these limits stop well before that with a MinLimitError a script
// can catch. They are documented in docs/language.md ("Limits").
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { LIMIT_ERROR, MAX_DICT, MAX_ITEMS, MAX_STRING, MinError, dictLimit, itemsLimit, limitError, stringLimit } from './errors.js';

// The limits every layer may name (they are also what turning a host error
// into a min error needs, so they live with MinError in errors.ts).
export { LIMIT_ERROR, MAX_DICT, MAX_ITEMS, MAX_STRING, dictLimit, itemsLimit, stringLimit };

// node:v8 is loaded on the first look at the heap, not at start-up (it costs
// about 4% of Node's own start-up; an empty program never needs it).
// The require function itself is made then too (it costs about as much).
let required: NodeJS.Require | null = null;
const v8 = (): typeof import('node:v8') => (required ??= createRequire(import.meta.url))('node:v8');
const getHeapStatistics = (): import('node:v8').HeapInfo => v8().getHeapStatistics();

/** Items the stack may hold. */
export const MAX_STACK = 10_000_000;
/**
 * Arrays and objects nested in one another that `from-json` reads (and
 * `to-json` writes): Nim's json module, which native min uses, stops past
 * its DepthLimit of 1000 counted from 0.
 */
export const MAX_JSON_DEPTH = 1001;
/**
 * Characters of a regular expression. PCRE, which native min uses, cannot
 * compile much more (its compiled form is limited to 64 KiB); past it V8
 * needs gigabytes to compile a pattern, or refuses it.
 */
export const MAX_PATTERN = 65536;
/**
 * Share of V8's heap the program's live data may fill. V8 gives up before the
 * heap is quite full (when collections free too little near the limit), and
 * the limit counts the young generation, which old data cannot use.
 */
export const HEAP_SHARE = 0.75;



export const stackLimit = (): MinError => limitError(`stack limit exceeded: more than ${MAX_STACK} items on the stack`);



export const patternLimit = (): MinError => limitError(`regular expression limit exceeded: a pattern of more than ${MAX_PATTERN} characters`);


export const jsonDepthLimit = (): MinError => limitError(`JSON nesting limit exceeded: more than ${MAX_JSON_DEPTH} arrays and objects inside one another`);

/** Before building a quotation of n items: within the quotation limit, and room for it in the heap. */
export function checkItems(n: number, what: string): void {
  if (n > MAX_ITEMS) throw itemsLimit(what);
  reserve(n * 8);
}

/** Before building a string of n characters: within the string limit, and room for it in the heap. */
export function checkString(n: number, what: string): void {
  if (n > MAX_STRING) throw stringLimit(what);
  reserve(n * 2);
}

// ---- the heap ----------------------------------------------------------------

/**
 * The last line of defence: the heap. V8 counts garbage it has not collected
 * yet as used, so a heap that looks full is collected first (with a gc
 * function exposed for this one purpose) and only the live data counts.
 */
let collect: (() => void) | null | undefined;

function gc(): void {
  if (collect === undefined) {
    try {
      v8().setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

const MIB = 1024 * 1024;

/**
 * V8's heap limit counts the young generation (three semi-spaces of 16 MiB on
 * 64-bit), which data that lives on cannot use: what is left is the old
 * generation, the size `--max-old-space-size` sets, where V8 runs out.
 */
const YOUNG = 48 * MIB;

const oldGeneration = (heapLimit: number): number => Math.max(heapLimit - YOUNG, heapLimit / 2);

export function memoryLimit(): MinError {
  const old = oldGeneration(getHeapStatistics().heap_size_limit);
  return limitError(
    `memory limit exceeded: the program's data would fill more than ${Math.round((old * HEAP_SHARE) / MIB)} MiB ` +
      `(${Math.round(HEAP_SHARE * 100)}% of the ${Math.round(old / MIB)} MiB heap)`,
  );
}

/** Whether `extra` more bytes fit in the heap beside what it holds. */
function fits(extra: number): boolean {
  const h = getHeapStatistics();
  return h.used_heap_size + extra <= oldGeneration(h.heap_size_limit) * HEAP_SHARE;
}

/** Throw a memory limit error unless `extra` more bytes fit, after collecting garbage if need be. */
export function checkHeap(extra = 0): void {
  if (fits(extra)) return;
  gc();
  if (!fits(extra)) throw memoryLimit();
}

/**
 * An allocation of more than a 256th of the heap is checked against it before
 * it is made; smaller ones are added up, and the heap looked at when they
 * reach a 64th of it. Both scale with the heap, which `--max-old-space-size`
 * sets.
 */
// Until the heap's size is needed (reading it loads node:v8, which an empty
// program never needs), the thresholds are far below any heap's: crossing
// one reads the size, and the real thresholds apply from then on.
let large = 64 * 1024;
let checkEvery = 256 * 1024;
let scaled = false;
let unchecked = 0;

function scale(): void {
  const max = getHeapStatistics().heap_size_limit;
  large = max / 256;
  checkEvery = max / 64;
  scaled = true;
}

/**
 * Before building something of about `bytes` bytes. Together with the
 * machine's look at the heap every few thousand steps (which catches many
 * small allocations), this bounds what can be allocated unseen, so the heap
 * never fills up before a check.
 */
export function reserve(bytes: number): void {
  if (bytes >= large) {
    if (!scaled) {
      scale();
      return reserve(bytes);
    }
    return checkHeap(bytes);
  }
  unchecked += bytes;
  if (unchecked >= checkEvery) {
    if (!scaled) {
      scale();
      if (unchecked < checkEvery) return;
    }
    unchecked = 0;
    checkHeap();
  }
}

/**
 * For a loop that builds a quotation item by item from data (split, the
 * matches of a regex, JSON arrays): call with the new size after each push.
 * The quotation limit is exact; the heap is looked at every 65536 items.
 */
export function grew(size: number, what: string): void {
  if (size > MAX_ITEMS) throw itemsLimit(what);
  if ((size & 0xffff) === 0) checkHeap();
}

/** s.split(sep) for text from data: more than the quotation limit of parts is an error, not a V8 crash. */
export function splitAtMost(s: string, sep: string | RegExp, what: string): string[] {
  const parts = s.split(sep, MAX_ITEMS + 1);
  if (parts.length > MAX_ITEMS) throw itemsLimit(what);
  return parts;
}
