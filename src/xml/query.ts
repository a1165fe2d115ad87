// xquery/xqueryall: CSS selectors (css-select) over a node. The node is
// rebuilt as a domhandler tree under a document, so the node itself can
// match as well as its descendants (`:root` is the node). Names are
// compared case-sensitively, as XML requires. Matches come back as new
// dicts, as in min, not as the dicts inside the queried tree.
import type { AnyNode, ChildNode, Element, ParentNode } from 'domhandler';
import { invalid } from '../core/errors.js';
import type { XElement, XNode } from './node.js';
import { entityName } from './serialize.js';
import { cssSelect, domhandler } from './load.js';

type Dh = typeof import('domhandler');

function build(dh: Dh, n: XNode, back: Map<Element, XElement>): ChildNode {
  switch (n.kind) {
    case 'text':
      return new dh.Text(n.text);
    case 'entity':
      return new dh.Text('&' + entityName(n.text) + ';');
    case 'comment':
      return new dh.Comment(n.text);
    case 'cdata':
      return new dh.CDATA([new dh.Text(n.text)]);
  }
  const el = new dh.Element(n.tag, Object.fromEntries(n.attrs));
  adopt(el, n.children.map((c) => build(dh, c, back)));
  back.set(el, n);
  return el;
}

function adopt(parent: ParentNode, children: ChildNode[]): void {
  parent.children = children;
  children.forEach((c, i) => {
    c.parent = parent;
    c.prev = children[i - 1] ?? null;
    c.next = children[i + 1] ?? null;
  });
}

export async function query(root: XElement, selector: string, all: boolean): Promise<XElement[]> {
  const [dh, css] = await Promise.all([domhandler(), cssSelect()]);
  const back = new Map<Element, XElement>();
  const doc = new dh.Document([]);
  adopt(doc, [build(dh, root, back)]);
  let found: AnyNode[];
  try {
    const opts = { xmlMode: true };
    found = all ? css.selectAll(selector, doc, opts) : [css.selectOne(selector, doc, opts) ?? []].flat();
  } catch (e) {
    throw invalid(`Invalid CSS selector '${selector}': ${e instanceof Error ? e.message : String(e)}`);
  }
  // Selectors match elements only, and every element here came from `root`.
  return found.map((e) => back.get(e as Element)!);
}
