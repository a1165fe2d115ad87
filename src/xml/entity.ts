// xentity2utf8: the character(s) an entity stands for, looked up in HTML's
// entity table as Nim's entityToUtf8 does, so &nbsp; or &copy; work too.
import { invalid } from '../core/errors.js';
import { entityName } from './serialize.js';
import { entities } from './load.js';

export async function entityToUtf8(text: string): Promise<string> {
  const name = entityName(text);
  if (!/^(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+)$/.test(name)) {
    throw invalid(`Invalid XML entity '${text}'`);
  }
  const ref = '&' + name + ';';
  // Strict: the whole reference must name one entity (no legacy &amp prefix).
  const out = (await entities()).decodeHTMLStrict(ref);
  if (out === ref) throw invalid(`Unknown XML entity '${text}'`);
  return out;
}
