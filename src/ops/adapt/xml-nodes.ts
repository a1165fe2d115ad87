// XML nodes in their min form, typed dicts (see xml/node.ts for the model).
import { invalid } from '../../core/errors.js';
import { show, showShort } from '../../core/printer.js';
import { dictGet, makeDict } from '../../core/dict.js';
import { Dict, isStringLike, strOf, type Value } from '../../core/values.js';
import { element, leaf, type XNode } from '../../xml/node.js';

/** The dict of a node: `{{attrs} :attributes (children) :children "tag" :tag ;xml-element}`, or `{"..." :text ;xml-KIND}`. */
export function toDict(n: XNode): Dict {
  if (n.kind === 'element') {
    return makeDict([['attributes', makeDict(n.attrs)], ['children', n.children.map(toDict)], ['tag', n.tag]], 'xml-element');
  }
  return makeDict([['text', n.text]], 'xml-' + n.kind);
}

const LEAVES: readonly string[] = ['xml-text', 'xml-comment', 'xml-cdata', 'xml-entity'];

export const isNodeDict = (v: Value): v is Dict =>
  v instanceof Dict && (v.type === 'xml-element' || LEAVES.includes(v.type ?? ''));

function text(d: Dict, k: string, what: string): string {
  const v = dictGet(d, k);
  if (v === undefined || !isStringLike(v)) {
    throw invalid(`Invalid ${what}: '${k}' must be a string, got ${v === undefined ? 'nothing' : show(v)}`);
  }
  return strOf(v);
}

/**
 * Read a node dict back. Node dicts are ordinary dicts a script may have
 * changed (dset, or built by hand), so the shape is checked here; a missing
 * attributes or children key means none, as in a fresh xelement.
 */
export function fromDict(v: Value): XNode {
  if (!isNodeDict(v)) throw invalid(`Invalid XML node: ${showShort(v)}`);
  const kind = v.type!.slice(4) as XNode['kind'];
  if (kind !== 'element') return leaf(kind, text(v, 'text', `dict:${v.type}`));
  const tag = text(v, 'tag', 'dict:xml-element');
  const attrs: [string, string][] = [];
  const av = dictGet(v, 'attributes');
  if (av !== undefined) {
    if (!(av instanceof Dict)) throw invalid(`Invalid dict:xml-element: 'attributes' must be a dict, got ${showShort(av)}`);
    for (const k of av.scope.names()) {
      const x = dictGet(av, k);
      if (x === undefined) continue;
      if (!isStringLike(x)) throw invalid(`Invalid dict:xml-element: attribute '${k}' must be a string, got ${showShort(x)}`);
      attrs.push([k, strOf(x)]);
    }
  }
  const cv = dictGet(v, 'children');
  if (cv !== undefined && !Array.isArray(cv)) {
    throw invalid(`Invalid dict:xml-element: 'children' must be a quotation, got ${showShort(cv)}`);
  }
  return element(tag, attrs, (cv ?? []).map(fromDict));
}
