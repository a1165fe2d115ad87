// The net module.
import type { ModuleDef } from '../lang/registry.js';

export const netModule: ModuleDef = {
  name: 'net',
  ops: [],
};
