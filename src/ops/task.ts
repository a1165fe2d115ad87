// The task module.
import type { ModuleDef } from '../lang/registry.js';

export const taskModule: ModuleDef = {
  name: 'task',
  ops: [],
};
