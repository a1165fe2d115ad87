// The dict module.
import type { ModuleDef } from '../lang/registry.js';

export const dictModule: ModuleDef = {
  name: 'dict',
  ops: [],
};
