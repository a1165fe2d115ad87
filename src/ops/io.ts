// The io module.
import type { ModuleDef } from '../lang/registry.js';

export const ioModule: ModuleDef = {
  name: 'io',
  ops: [],
};
