/**
 * A small XML parser with the slice of the DOM that Phaser's loaders read (`getElementsByTagName`,
 * `getAttribute`, `textContent`, `childNodes`, `documentElement`): Node and workers have no
 * DOMParser, and headless copies load XML files (xml, atlasXML, bitmap fonts). The shim installs
 * {@link MiniDOMParser} as `DOMParser` where there is none. No DTDs, namespaces are kept in names;
 * malformed input gives a document holding a `parsererror` element, as browsers do.
 */

/** A text (or CDATA) node. */
export class MiniText {
  readonly nodeType = 3;
  readonly nodeName = '#text';
  parentNode: MiniElement | null = null;
  constructor(public nodeValue: string) {}
  get textContent(): string {
    return this.nodeValue;
  }
}

/** An attribute, as `element.attributes[i]` and `element.attributes.<name>` give it (Phaser's AtlasXML reads the latter). */
export interface MiniAttr {
  name: string;
  value: string;
}

/** Element attributes: in document order, and by name as a NamedNodeMap gives them. */
type MiniAttrs = MiniAttr[] & Record<string, MiniAttr | undefined>;

/** An element: its name, attributes in document order and children. */
export class MiniElement {
  readonly nodeType = 1;
  readonly attributes = [] as unknown as MiniAttrs;
  readonly childNodes: (MiniElement | MiniText)[] = [];
  parentNode: MiniElement | null = null;
  constructor(readonly nodeName: string) {}
  get tagName(): string {
    return this.nodeName;
  }
  get localName(): string {
    return this.nodeName.slice(this.nodeName.indexOf(':') + 1);
  }
  get children(): MiniElement[] {
    return this.childNodes.filter((c): c is MiniElement => c instanceof MiniElement);
  }
  get firstChild(): MiniElement | MiniText | null {
    return this.childNodes[0] ?? null;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  getAttribute(name: string): string | null {
    return this.attributes.find((a) => a.name === name)?.value ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.some((a) => a.name === name);
  }
  setAttribute(name: string, value: string): void {
    const a = this.attributes.find((x) => x.name === name);
    if (a) {
      a.value = String(value);
      return;
    }
    const attr = { name, value: String(value) };
    this.attributes.push(attr);
    // By name too, unless the name is one of the list's own members (length, push, ...).
    if (!(name in this.attributes)) this.attributes[name] = attr;
  }
  /** Descendants named `name` (or all, for '*'), in document order. */
  getElementsByTagName(name: string): MiniElement[] {
    const found: MiniElement[] = [];
    const walk = (el: MiniElement): void => {
      for (const c of el.childNodes) {
        if (!(c instanceof MiniElement)) continue;
        if (name === '*' || c.nodeName === name) found.push(c);
        walk(c);
      }
    };
    walk(this);
    return found;
  }
}

/** A parsed document: its one root element. */
export class MiniDocument extends MiniElement {
  constructor(readonly documentElement: MiniElement | null) {
    super('#document');
    if (documentElement) {
      this.childNodes.push(documentElement);
    }
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

/** Parses `text`; throws with the offset of the first error. */
export function parseXml(text: string): MiniDocument {
  const stack: MiniElement[] = [new MiniElement('#root')];
  const append = (node: MiniElement | MiniText): void => {
    const parent = stack[stack.length - 1]!;
    node.parentNode = parent;
    parent.childNodes.push(node);
  };
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  const attr = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? text.length : lt;
    if (end > i) {
      const value = text.slice(i, end);
      if (stack.length > 1) append(new MiniText(decode(value)));
      else if (value.trim()) throw new Error(`text outside the root element at offset ${i}`);
    }
    if (lt < 0) break;
    if (text.startsWith('<?', lt) || text.startsWith('<!DOCTYPE', lt)) {
      const close = text.indexOf('>', lt);
      if (close < 0) throw new Error(`unclosed declaration at offset ${lt}`);
      i = close + 1;
    } else if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt);
      if (close < 0) throw new Error(`unclosed comment at offset ${lt}`);
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt);
      if (close < 0) throw new Error(`unclosed CDATA at offset ${lt}`);
      append(new MiniText(text.slice(lt + 9, close)));
      i = close + 3;
    } else {
      tag.lastIndex = lt;
      const m = tag.exec(text);
      if (!m) throw new Error(`malformed tag at offset ${lt}`);
      const [, closing, name, attrs, selfClosing] = m;
      if (closing) {
        const open = stack.pop()!;
        if (open.nodeName !== name) throw new Error(`</${name}> closes <${open.nodeName}> at offset ${lt}`);
      } else {
        const el = new MiniElement(name!);
        for (const a of attrs!.matchAll(attr)) el.setAttribute(a[1]!, decode(a[2] ?? a[3] ?? ''));
        if (stack.length === 1 && stack[0]!.children.length > 0) throw new Error(`a second root element <${name}> at offset ${lt}`);
        append(el);
        if (!selfClosing) stack.push(el);
      }
      i = tag.lastIndex;
    }
  }
  if (stack.length > 1) throw new Error(`<${stack[stack.length - 1]!.nodeName}> is never closed`);
  const root = stack[0]!.children[0];
  if (!root) throw new Error('no root element');
  root.parentNode = null;
  return new MiniDocument(root);
}

/** `DOMParser` where there is none: `parseFromString` of XML, a `parsererror` document when malformed. */
export class MiniDOMParser {
  parseFromString(text: string, _type?: string): MiniDocument {
    try {
      return parseXml(text);
    } catch (err) {
      const error = new MiniElement('parsererror');
      error.childNodes.push(new MiniText((err as Error).message));
      return new MiniDocument(error);
    }
  }
}
