// The str module.
import type { ModuleDef } from '../lang/registry.js';

export const strModule: ModuleDef = {
  name: 'str',
  ops: [],
};
