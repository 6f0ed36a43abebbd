// Reading a badge as a client would: parsed as XML (xml2js, which rss-parser brings along; it has
// no types of its own), its accessible name, its text and the colours it paints.

import { createRequire } from 'node:module';

interface XmlNode {
  $?: Record<string, string>;
  _?: string;
  [child: string]: unknown;
}

const { parseStringPromise } = createRequire(import.meta.url)('xml2js') as {
  parseStringPromise(xml: string, options: { explicitChildren?: boolean; preserveChildrenOrder?: boolean }): Promise<{ svg: XmlNode }>;
};

export interface ParsedBadge {
  /** The <title>: what a screen reader says for the image. */
  title: string;
  ariaLabel: string | undefined;
  /** Every visible text run, in document order. */
  texts: string[];
  /** The fill of every <rect>. */
  rectFills: string[];
  /** The colour of the last visible text run, the message (badge-maker's groups default it to white). */
  messageFill: string;
}

/** Visits every element below `node`; `hidden` is true inside an aria-hidden group (the text shadows). */
function walk(node: XmlNode, hidden: boolean, visit: (name: string, node: XmlNode | string, hidden: boolean) => void): void {
  for (const [name, value] of Object.entries(node)) {
    if (name === '$' || name === '_') continue;
    for (const child of value as (XmlNode | string)[]) {
      const childHidden = hidden || (typeof child === 'object' && child.$?.['aria-hidden'] === 'true');
      visit(name, child, childHidden);
      if (typeof child === 'object') walk(child, childHidden, visit);
    }
  }
}

/** Parses the SVG as XML; rejects when it is not well-formed. */
export async function parseBadge(svg: string): Promise<ParsedBadge> {
  const { svg: root } = await parseStringPromise(svg, {});
  const texts: string[] = [];
  const rectFills: string[] = [];
  let messageFill = '#fff';
  let title = '';
  walk(root, false, (name, node, hidden) => {
    const text = typeof node === 'string' ? node : node._;
    if (name === 'title') title = text ?? '';
    if (name === 'text' && !hidden && text !== undefined) {
      texts.push(text);
      messageFill = (typeof node === 'object' && node.$?.fill) || '#fff';
    }
    if (name === 'rect' && typeof node === 'object' && node.$?.fill) rectFills.push(node.$.fill);
  });
  return { title, ariaLabel: root.$?.['aria-label'], texts, rectFills, messageFill };
}
