// to-xml and xescape. The layout follows Nim's xmltree (which min prints
// with): an element whose children are all elements or comments has each
// child on its own line, indented by two spaces; an empty element is
// `<tag />`. Unlike Nim, an element holding text is written inline
// throughout, so indentation never adds to its content, and a comment is
// written as is: from-xml of to-xml gives the same tree back.
import type { XNode } from './node.js';

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

export const xescape = (s: string): string => s.replace(/[<>&"']/g, (c) => ENTITIES[c]!);

// Attribute values are always written in double quotes.
const escapeAttr = (s: string): string => s.replace(/[<>&"]/g, (c) => ENTITIES[c]!);

/** An entity's name, also when written with its & and ; (as xentity accepts). */
export const entityName = (text: string): string => text.replace(/^&/, '').replace(/;$/, '');

const inline = (n: XNode): boolean => n.kind === 'text' || n.kind === 'entity' || n.kind === 'cdata';

function write(n: XNode, indent: number | null, out: string[]): void {
  switch (n.kind) {
    case 'text':
      out.push(xescape(n.text));
      return;
    case 'entity':
      out.push('&', entityName(n.text), ';');
      return;
    case 'comment':
      out.push('<!--', n.text, '-->');
      return;
    case 'cdata':
      // "]]>" would end the section: split it across two sections.
      out.push('<![CDATA[', n.text.replaceAll(']]>', ']]]]><![CDATA[>'), ']]>');
      return;
  }
  out.push('<', n.tag);
  for (const [k, v] of n.attrs) out.push(' ', k, '="', escapeAttr(v), '"');
  if (n.children.length === 0) {
    out.push(' />');
    return;
  }
  out.push('>');
  if (indent === null || n.children.some(inline)) {
    for (const c of n.children) write(c, null, out);
  } else {
    const pad = '\n' + ' '.repeat(indent + 2);
    for (const c of n.children) {
      out.push(pad);
      write(c, indent + 2, out);
    }
    out.push('\n', ' '.repeat(indent));
  }
  out.push('</', n.tag, '>');
}

export function toXml(n: XNode): string {
  const out: string[] = [];
  write(n, 0, out);
  return out.join('');
}
