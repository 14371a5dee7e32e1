/**
 * A small XML well-formedness reader for tests (no XML library is a dependency): checks the
 * declaration, balanced and properly nested tags, quoted attributes, known entities, and
 * returns the elements so a test can count testcases and failures.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(text: string, where: string): string {
  const stray = text.replace(ENTITY, '').indexOf('&');
  if (stray >= 0) throw new Error(`bare "&" in ${where}`);
  if (text.includes('<')) throw new Error(`bare "<" in ${where}`);
  return text.replace(ENTITY, (_m, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(source);
  if (decl) i = decl[0].length;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textPart = source.slice(i, lt < 0 ? source.length : lt);
    stack[stack.length - 1]!.text += decode(textPart, `text at ${i}`);
    if (lt < 0) break;
    if (source.startsWith('</', lt)) {
      const end = source.indexOf('>', lt);
      const name = source.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`closing </${name}> does not match <${open?.name}> at ${lt}`);
      i = end + 1;
      continue;
    }
    const end = source.indexOf('>', lt);
    if (end < 0) throw new Error(`unterminated tag at ${lt}`);
    let body = source.slice(lt + 1, end);
    const selfClosing = body.endsWith('/');
    if (selfClosing) body = body.slice(0, -1);
    const name = NAME.exec(body)?.[0];
    if (!name) throw new Error(`bad tag name at ${lt}`);
    const attributes: Record<string, string> = {};
    let rest = body.slice(name.length);
    const attr = /^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/;
    for (let m = attr.exec(rest); m; m = attr.exec(rest)) {
      if (m[1]! in attributes) throw new Error(`duplicate attribute ${m[1]} at ${lt}`);
      attributes[m[1]!] = decode(m[2]!, `attribute ${m[1]}`);
      rest = rest.slice(m[0].length);
    }
    if (rest.trim() !== '') throw new Error(`malformed attributes in <${name}> at ${lt}: ${rest}`);
    const el: XmlElement = { name, attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClosing) stack.push(el);
    i = end + 1;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.text.trim() !== '') throw new Error('text outside the root element');
  if (root.children.length !== 1) throw new Error(`expected one root element, found ${root.children.length}`);
  return root.children[0]!;
}

export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
