// The logic module.
import type { ModuleDef } from '../lang/registry.js';

export const logicModule: ModuleDef = {
  name: 'logic',
  ops: [],
};
