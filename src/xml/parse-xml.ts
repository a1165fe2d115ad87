// from-xml: a strict XML parser (saxes), so malformed input is an error
// rather than a silently repaired tree. As Nim's parser does by default,
// whitespace-only text between tags is not kept, and an entity other than
// the five XML ones (e.g. &nbsp;) becomes an xml-entity node.
import { invalid } from '../core/errors.js';
import { element, leaf, type XElement, type XNode } from './node.js';
import { saxes } from './load.js';

// Unknown entities are handed to the text as MARK name MARK: U+FFFF cannot
// occur in XML text, so the marks can only come from here.
const MARK = '\uffff';
const ENTITY_MARKS = new RegExp(`${MARK}([^${MARK}]*)${MARK}`, 'g');

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', apos: "'", quot: '"' };

// Other names are left undefined, so saxes still reports a malformed reference.
const NAME = /^[\p{L}_:][\p{L}\p{N}_:.\-\u00b7]*$/u;

const entities = new Proxy(XML_ENTITIES, {
  get: (t, name) => {
    if (typeof name !== 'string') return undefined;
    if (Object.hasOwn(t, name)) return t[name];
    return NAME.test(name) ? MARK + name + MARK : undefined;
  },
});

/** Text with entity marks, as text and entity nodes (empty text dropped). */
function splitEntities(text: string, out: XNode[]): void {
  let last = 0;
  for (const m of text.matchAll(ENTITY_MARKS)) {
    if (m.index > last) out.push(leaf('text', text.slice(last, m.index)));
    out.push(leaf('entity', m[1]!));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(leaf('text', text.slice(last)));
}

// An attribute value is a plain string in the model, so an unknown entity
// stays there as written.
const attrValue = (v: string): string => v.replace(ENTITY_MARKS, '&$1;');

export async function parseXml(src: string): Promise<XElement> {
  const { SaxesParser } = await saxes();
  const p = new SaxesParser({ position: true });
  p.ENTITIES = entities;
  const stack: XElement[] = [];
  let root: XElement | null = null;
  let error: string | null = null;
  const top = (): XElement | undefined => stack[stack.length - 1];
  p.on('error', (e) => {
    error ??= e.message;
  });
  p.on('opentag', (t) => {
    const el = element(t.name, Object.entries(t.attributes).map(([k, v]) => [k, attrValue(v as string)]));
    const parent = top();
    if (parent) parent.children.push(el);
    else root ??= el;
    if (!t.isSelfClosing) stack.push(el);
  });
  p.on('closetag', (t) => {
    if (!t.isSelfClosing) stack.pop();
  });
  p.on('text', (t) => {
    const parent = top();
    if (parent && t.trim() !== '') splitEntities(t, parent.children);
  });
  p.on('cdata', (t) => top()?.children.push(leaf('cdata', t)));
  p.on('comment', (t) => top()?.children.push(leaf('comment', t)));
  try {
    p.write(src).close();
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  }
  if (error !== null) {
    const m = /^(\d+):(\d+): (.*?)\.?$/s.exec(error);
    // saxes counts columns from 0 past the character it stopped at, which is
    // that character's column counted from 1.
    throw invalid(m ? `Invalid XML at line ${m[1]}, column ${m[2]}: ${m[3]}` : `Invalid XML: ${error}`);
  }
  if (root === null) throw invalid('Invalid XML: no root element');
  return root;
}
