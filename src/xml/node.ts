// The XML node model and its min form. min (after Nim's xmltree) has five
// kinds of node, each a typed dict: an element is
// `{{attrs} :attributes (children) :children "tag" :tag ;xml-element}`; text,
// comments, CDATA sections and entities are `{"..." :text ;xml-KIND}` (an
// entity's text is its name, as in `&name;`).
import { invalid } from '../core/errors.js';
import { show } from '../core/printer.js';
import { EntryKind, Scope, valueEntry } from '../core/scope.js';
import { Dict, isStringLike, strOf, type Value } from '../core/values.js';

export type LeafKind = 'text' | 'comment' | 'cdata' | 'entity';

export interface XElement {
  kind: 'element';
  tag: string;
  attrs: [string, string][];
  children: XNode[];
}

export interface XLeaf {
  kind: LeafKind;
  text: string;
}

export type XNode = XElement | XLeaf;

export const element = (tag: string, attrs: [string, string][] = [], children: XNode[] = []): XElement => ({
  kind: 'element',
  tag,
  attrs,
  children,
});

export const leaf = (kind: LeafKind, text: string): XLeaf => ({ kind, text });

export function toDict(n: XNode): Dict {
  const s = new Scope(null);
  if (n.kind === 'element') {
    const a = new Scope(null);
    for (const [k, v] of n.attrs) a.set(k, valueEntry(v));
    s.set('attributes', valueEntry(new Dict(a)));
    s.set('children', valueEntry(n.children.map(toDict)));
    s.set('tag', valueEntry(n.tag));
  } else {
    s.set('text', valueEntry(n.text));
  }
  return new Dict(s, 'xml-' + n.kind);
}

const LEAVES: readonly string[] = ['xml-text', 'xml-comment', 'xml-cdata', 'xml-entity'];

export const isNodeDict = (v: Value): v is Dict =>
  v instanceof Dict && (v.type === 'xml-element' || LEAVES.includes(v.type ?? ''));

/** The value of key `k` as dget would give it (undefined when absent). */
function get(d: Dict, k: string): Value | undefined {
  const e = d.scope.get(k);
  if (e === undefined || e.kind === EntryKind.Native) return undefined;
  return e.kind === EntryKind.Quoted ? [e.val] : e.val;
}

function text(d: Dict, k: string, what: string): string {
  const v = get(d, k);
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
  if (!isNodeDict(v)) throw invalid(`Invalid XML node: ${show(v)}`);
  const kind = v.type!.slice(4) as XNode['kind'];
  if (kind !== 'element') return leaf(kind, text(v, 'text', `dict:${v.type}`));
  const tag = text(v, 'tag', 'dict:xml-element');
  const attrs: [string, string][] = [];
  const av = get(v, 'attributes');
  if (av !== undefined) {
    if (!(av instanceof Dict)) throw invalid(`Invalid dict:xml-element: 'attributes' must be a dict, got ${show(av)}`);
    for (const k of av.scope.names()) {
      const x = get(av, k);
      if (x === undefined) continue;
      if (!isStringLike(x)) throw invalid(`Invalid dict:xml-element: attribute '${k}' must be a string, got ${show(x)}`);
      attrs.push([k, strOf(x)]);
    }
  }
  const cv = get(v, 'children');
  if (cv !== undefined && !Array.isArray(cv)) {
    throw invalid(`Invalid dict:xml-element: 'children' must be a quotation, got ${show(cv)}`);
  }
  return element(tag, attrs, (cv ?? []).map(fromDict));
}
