// The seq module.
import type { ModuleDef } from '../lang/registry.js';

export const seqModule: ModuleDef = {
  name: 'seq',
  ops: [],
};
