// The fs module.
import type { ModuleDef } from '../lang/registry.js';

export const fsModule: ModuleDef = {
  name: 'fs',
  ops: [],
};
