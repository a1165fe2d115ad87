// The XML node model: min (after Nim's xmltree) has five kinds of node, an
// element and four leaves (text, comments, CDATA sections and entities, an
// entity's text being its name, as in `&name;`). Their min form, typed dicts,
// is made and read in ops/adapt/xml-nodes.ts.

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
