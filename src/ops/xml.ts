// The xml module: XML/HTML text to node dicts and back, node constructors,
// escaping and CSS selector queries. The node model is in src/xml/node.ts.
import { op, type ModuleDef } from '../core/registry.js';
import { invalid } from '../core/errors.js';
import { showShort } from '../core/printer.js';
import { strOf, type Dict, type Value } from '../core/values.js';
import { element, leaf, type LeafKind } from '../xml/node.js';
import { fromDict, toDict } from './adapt/xml-nodes.js';
import { parseXml } from '../xml/parse-xml.js';
import { parseHtml } from '../xml/parse-html.js';
import { entityName, toXml, xescape } from '../xml/serialize.js';
import { query } from '../xml/query.js';
import { entityToUtf8 } from '../xml/entity.js';

const make = (kind: LeafKind) => (_i: unknown, s: Value) => toDict(leaf(kind, strOf(s)));

async function queryOp(el: Dict, sel: Value, all: boolean): Promise<Dict[]> {
  const root = fromDict(el);
  if (root.kind !== 'element') throw invalid(`Invalid XML element: ${showShort(el)}`);
  return (await query(root, strOf(sel), all)).map(toDict);
}

export const xmlModule: ModuleDef = {
  name: 'xml',
  ops: [
    op('from-xml', "'sym ==> dict:xml-element", 'Parses the XML string sym (one root element; a declaration, doctype and comments may surround it) into an xml-element dict. Whitespace-only text is dropped; entities other than the five XML ones become xml-entity nodes.', async (_i, s: Value) =>
      toDict(await parseXml(strOf(s))),
    ),
    op('from-html', "'sym ==> dict:xml-element", 'Parses the HTML string sym into an xml-element dict: the html element of a whole document, otherwise a "document" element wrapping the fragment.', async (_i, s: Value) =>
      toDict(await parseHtml(strOf(s))),
    ),
    op('to-xml', 'dict ==> str', 'Serializes an XML node dict (xml-element, xml-text, xml-comment, xml-cdata or xml-entity) as XML, escaping text and attribute values.', (_i, d: Dict) =>
      toXml(fromDict(d)),
    ),
    op('xcdata', "'sym ==> dict:xml-cdata", 'An xml-cdata dict holding the text sym.', make('cdata')),
    op('xcomment', "'sym ==> dict:xml-comment", 'An xml-comment dict holding the text sym.', make('comment')),
    op('xelement', "'sym ==> dict:xml-element", 'An empty xml-element dict (no attributes, no children) with tag sym.', (_i, s: Value) =>
      toDict(element(strOf(s))),
    ),
    op('xentity', "'sym ==> dict:xml-entity", 'An xml-entity dict for the entity sym, given by name ("gt") or as written ("&gt;").', (_i, s: Value) =>
      toDict(leaf('entity', entityName(strOf(s)))),
    ),
    op('xescape', "'sym ==> str", 'sym with <, >, &, \' and " replaced by XML entities.', (_i, s: Value) => xescape(strOf(s))),
    op('xentity2utf8', 'dict:xml-entity ==> str', 'The character(s) the entity stands for (HTML entity names and numeric references).', (_i, d: Dict) => {
      const n = fromDict(d);
      return entityToUtf8(n.kind === 'entity' ? n.text : '');
    }),
    op('xquery', "dict:xml-element 'sym ==> dict:xml-element", 'The first element (the given one or a descendant) matching the CSS selector sym; an error when none does.', async (_i, el: Dict, sel: Value) => {
      const [first] = await queryOp(el, sel, false);
      if (first === undefined) throw invalid(`No element matches the selector '${strOf(sel)}'`);
      return first;
    }),
    op('xqueryall', "dict:xml-element 'sym ==> quot", 'Every element (the given one and its descendants, in document order) matching the CSS selector sym.', (_i, el: Dict, sel: Value) =>
      queryOp(el, sel, true),
    ),
    op('xtext', "'sym ==> dict:xml-text", 'An xml-text dict holding the text sym.', make('text')),
  ],
};
