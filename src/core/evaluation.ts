// The evaluation rules, written once: what meeting an item of a quotation
// does, and what applying a symbol's entry does. The machine's loop and
// apply dispatch on these, and so does the code compile.ts generates (at
// compile time for items, at run time for entries), so the two cannot drift
// apart; test/evaluation.test.ts runs every entry kind and item through both.
import { Cmd, Dict, Sym, type Value } from './values.js';
import { EntryKind, type Entry } from './scope.js';

/** What meeting a value in a quotation being evaluated does. */
export const enum ItemAction {
  /** Push it: a number, string, boolean, null, float, quotation or dict that is not a literal. */
  Push = 0,
  /** Look the symbol up and apply what it names. */
  Evaluate = 1,
  /** A `{...}` literal from source: push a fresh copy, so mutation never leaks into the code. */
  CopyLiteral = 2,
  /** A command `[ls]`: run it in the shell and push its output. */
  RunCommand = 3,
}

/** A number, string, boolean or null: pushed as it is, wherever it is met (the most common case, tested first). */
export const isPlain = (v: Value): v is null | boolean | number | string => typeof v !== 'object' || v === null;

export function itemAction(v: Value): ItemAction {
  if (isPlain(v)) return ItemAction.Push;
  if (v instanceof Sym) return ItemAction.Evaluate;
  if (v instanceof Dict) return v.literal ? ItemAction.CopyLiteral : ItemAction.Push;
  if (v instanceof Cmd) return ItemAction.RunCommand;
  return ItemAction.Push;
}

/** What applying a symbol-table entry does. */
export const enum EntryAction {
  /** Call the native operator. */
  CallNative = 0,
  /** Push the stored value as it is. */
  Push = 1,
  /** The stored value is a symbol: evaluate it, as dequoting it would. */
  Evaluate = 2,
  /** The stored value is a dict: push a copy (a literal's records the scope it is pushed in). */
  CopyLiteral = 3,
  /** A lambda: run the stored quotation in a child of the current scope. */
  RunLambda = 4,
  /** The stored value is a command: run it, as every push of one does. */
  RunCommand = 5,
}

export function entryAction(e: Entry): EntryAction {
  if (e.kind === EntryKind.Native) return EntryAction.CallNative;
  const v = e.val;
  // The common case first, kept small: this runs for every symbol evaluated.
  if (isPlain(v)) return EntryAction.Push;
  return storedObject(e.kind, v);
}

/** What applying an entry holding an object (not a number, string, boolean or null) does. */
function storedObject(kind: EntryKind, v: Value): EntryAction {
  switch (kind) {
    case EntryKind.Native:
      return EntryAction.CallNative;
    case EntryKind.Value:
      // A raw value: a quotation is run, anything else pushed (as `define` would).
      if (Array.isArray(v)) return EntryAction.RunLambda;
      break;
    case EntryKind.Quoted:
      // Stored by `define`: the value itself, a quotation included.
      break;
    default: {
      const unknown: never = kind;
      throw new Error(`unknown entry kind ${String(unknown)}`);
    }
  }
  if (v instanceof Sym) return EntryAction.Evaluate;
  if (v instanceof Cmd) return EntryAction.RunCommand;
  // Every stored dict is pushed as a copy (O(1)): the name keeps its own object.
  if (v instanceof Dict) return EntryAction.CopyLiteral;
  return EntryAction.Push;
}

/** The entry kinds there are, so tests can go through all of them. */
export const ENTRY_KINDS = [EntryKind.Native, EntryKind.Value, EntryKind.Quoted] as const;

// Fails to type-check when a kind is added to EntryKind but not to ENTRY_KINDS.
type Missing = Exclude<EntryKind, (typeof ENTRY_KINDS)[number]>;
export const everyKindListed: Missing extends never ? true : never = true;
