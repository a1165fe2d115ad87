// from-html: htmlparser2's forgiving HTML parser (implied end tags, void
// elements, entities decoded, names lowercased). A whole document (an <html>
// element, perhaps after a doctype, comments and whitespace) comes back as
// that element; anything else is a fragment and is wrapped in <document>.
import type { ChildNode } from 'domhandler';
import { element, leaf, type XElement, type XNode } from './node.js';
import { domhandler, htmlparser2 } from './load.js';

type Dh = typeof import('domhandler');

function convert(dh: Dh, n: ChildNode): XNode | null {
  if (dh.isTag(n)) {
    const kids = n.children.map((c) => convert(dh, c)).filter((c): c is XNode => c !== null);
    return element(n.name, Object.entries(n.attribs), kids);
  }
  if (dh.isText(n)) return leaf('text', n.data);
  if (dh.isComment(n)) return leaf('comment', n.data);
  if (dh.isCDATA(n)) return leaf('cdata', n.children.map((c) => (dh.isText(c) ? c.data : '')).join(''));
  return null; // doctype and processing instructions have no node kind in min
}

export async function parseHtml(src: string): Promise<XElement> {
  const [{ parseDocument }, dh] = await Promise.all([htmlparser2(), domhandler()]);
  const nodes = parseDocument(src)
    .children.map((c) => convert(dh, c))
    .filter((c): c is XNode => c !== null);
  const significant = nodes.filter((n) => n.kind !== 'comment' && !(n.kind === 'text' && n.text.trim() === ''));
  const only = significant.length === 1 ? significant[0]! : null;
  if (only?.kind === 'element' && only.tag === 'html') return only;
  return element('document', [], nodes);
}
