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

/**
 * Attributes are collected in a plain object, where one named `__proto__`
 * would vanish; this handler gives it back as an ordinary own property.
 */
function keepingProtoAttribute(dh: Dh): InstanceType<Dh['DomHandler']> {
  let proto: string | undefined;
  const handler = new dh.DomHandler();
  const open = handler.onopentag.bind(handler);
  return Object.assign(handler, {
    onattribute(name: string, value: string): void {
      if (name === '__proto__') proto ??= value;
    },
    onopentag(name: string, attribs: Record<string, string>): void {
      if (proto !== undefined) {
        Object.defineProperty(attribs, '__proto__', { value: proto, enumerable: true, writable: true, configurable: true });
        proto = undefined;
      }
      open(name, attribs);
    },
  });
}

export async function parseHtml(src: string): Promise<XElement> {
  const [{ Parser }, dh] = await Promise.all([htmlparser2(), domhandler()]);
  const handler = keepingProtoAttribute(dh);
  new Parser(handler).end(src);
  const nodes = handler.root
    .children.map((c) => convert(dh, c))
    .filter((c): c is XNode => c !== null);
  const significant = nodes.filter((n) => n.kind !== 'comment' && !(n.kind === 'text' && n.text.trim() === ''));
  const only = significant.length === 1 ? significant[0]! : null;
  if (only?.kind === 'element' && only.tag === 'html') return only;
  return element('document', [], nodes);
}
