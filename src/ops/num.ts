// The num module.
import type { ModuleDef } from '../lang/registry.js';

export const numModule: ModuleDef = {
  name: 'num',
  ops: [],
};
