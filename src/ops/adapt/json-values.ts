// What lib/json.ts needs from core to convert min values: dicts made and
// read the way dset and dget do, and floats written as min writes them.
import type { JsonValues } from '../../lib/json.js';
import { dictPairs, makeDict } from '../../core/dict.js';
import { showFloat } from '../../core/printer.js';
import { Dict } from '../../core/values.js';

export const jsonValues: JsonValues = {
  makeDict: (pairs) => makeDict(pairs),
  dictPairs: (v) => (v instanceof Dict ? dictPairs(v) : null),
  showFloat,
};
