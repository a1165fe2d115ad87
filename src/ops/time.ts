// The time module.
import type { ModuleDef } from '../lang/registry.js';

export const timeModule: ModuleDef = {
  name: 'time',
  ops: [],
};
