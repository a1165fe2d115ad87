// The sys module.
import type { ModuleDef } from '../lang/registry.js';

export const sysModule: ModuleDef = {
  name: 'sys',
  ops: [],
};
