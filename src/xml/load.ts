// The parsing and selector libraries are imported on first use only: most
// programs never touch XML, and loading these costs start-up time. The
// specifiers are variables so esbuild leaves the loading to Node (the
// packages are resolved from node_modules, like ohm-js and ws).
import { requireModule } from '../lib/builtins.js';

type Htmlparser2 = typeof import('htmlparser2');
type Domhandler = typeof import('domhandler');
type CssSelect = typeof import('css-select');
type Saxes = typeof import('saxes');
type Entities = typeof import('entities');

const names = {
  htmlparser2: 'htmlparser2',
  domhandler: 'domhandler',
  cssSelect: 'css-select',
  saxes: 'saxes',
  entities: 'entities',
};

// Loaded with require (Node 20.19 and later require ES modules too): the CLI
// bundle is CommonJS run from a V8 code cache, where import() is unavailable.
// Node caches each module after its first load.
const load = <T>(name: string): Promise<T> => new Promise<T>((resolve) => resolve(requireModule(name) as T));

export const htmlparser2 = (): Promise<Htmlparser2> => load(names.htmlparser2);
export const domhandler = (): Promise<Domhandler> => load(names.domhandler);
export const cssSelect = (): Promise<CssSelect> => load(names.cssSelect);
export const saxes = (): Promise<Saxes> => load(names.saxes);
export const entities = (): Promise<Entities> => load(names.entities);
