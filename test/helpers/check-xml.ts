// A small strict XML 1.0 well-formedness checker and parser for the JUnit report tests:
// legal characters, names, quoted unique attributes, known entities only, proper nesting,
// one root. Throws on the first problem; returns the element tree with decoded text.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;
const ILLEGAL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Decode entity and character references; any other `&` or a `<` is an error. */
function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`"<" inside ${where}`);
  return raw.replace(/&([^;]*);|&/g, (_match, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare "&" in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (!isXmlChar(code)) throw new Error(`character reference &${ref}; is not a legal XML character`);
    return String.fromCodePoint(code);
  });
}

export function parseXml(xml: string): XmlElement {
  if (ILLEGAL_CHAR.test(xml)) throw new Error('document contains a character XML 1.0 does not allow');
  let i = 0;
  const decl = /^<\?xml\s+version="1\.0"(\s+encoding="UTF-8")?\s*\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.includes(']]>')) throw new Error('"]]>" in text');
    if (stack.length === 0) {
      if (text.trim() !== '') throw new Error(`text outside the root element: "${text.trim().slice(0, 30)}"`);
    } else {
      stack[stack.length - 1]!.text += decode(text, 'text');
    }
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end === -1 || xml.slice(lt + 4, end).includes('--')) throw new Error('bad comment');
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trimEnd();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> does not close <${open?.name ?? '(nothing)'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameMatch = /^[^\s]+/.exec(body);
    const name = nameMatch?.[0] ?? '';
    if (!NAME.test(name)) throw new Error(`bad element name "${name}"`);
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    let rest = body.slice(name.length);
    while (rest.trim() !== '') {
      const m = /^\s+([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (!m) throw new Error(`malformed attribute in <${name}>: "${rest.trim().slice(0, 40)}"`);
      const attr = m[1]!;
      if (!NAME.test(attr)) throw new Error(`bad attribute name "${attr}"`);
      if (attr in el.attrs) throw new Error(`attribute ${attr} repeated in <${name}>`);
      el.attrs[attr] = decode(m[3] ?? m[4] ?? '', `attribute ${attr}`);
      rest = rest.slice(m[0].length);
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` under `el`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
