/**
 * Tolerant pre-normaliser for SSCP datagrams. AddPac's own examples (seed 001) are not well-formed
 * XML; this scanner repairs exactly three things and refuses everything else, so that the strict
 * XML parser behind it (fast-xml-parser, entity expansion off) only ever sees well-formed input.
 *
 * Allowed repairs (docs/sscp.md §3.2):
 *  R1 unquoted attribute value  `name=SpeedDial` → `name="SpeedDial"` (value chars [A-Za-z0-9._:+#*@-] only)
 *  R2 mismatched end tag of a child of <SSCP> whose name starts with the open element's name
 *     (`<SpeedDial ...> </SpeedDialNumber>` → `</SpeedDial>`); never for <SSCP> itself
 *  R3 a stray `</xml>` after </SSCP> is dropped
 *
 * Refused outright: DOCTYPE / ENTITY / CDATA / processing instructions other than the leading XML
 * declaration, text content, attributes without a value, duplicate attributes, undefined entity
 * references, more than one root, and anything exceeding the caps below.
 */

export interface SscpLimits {
  /** Nesting depth including <SSCP>; SSCP needs 2 (SSCP > child). */
  maxDepth: number;
  maxAttributes: number;
  maxElements: number;
  maxAttrValue: number;
}

/** Caps (docs/sscp.md §3.3): 2 levels are used; 4 leaves room for extension without recursion bombs. */
export const DEFAULT_LIMITS: SscpLimits = { maxDepth: 4, maxAttributes: 16, maxElements: 64, maxAttrValue: 256 };

export class SscpSyntaxError extends Error {
  constructor(readonly what: string, readonly charOffset: number, readonly element?: string) {
    super(what);
    this.name = 'SscpSyntaxError';
  }
}

export interface Normalised {
  xml: string;
  repairs: string[];
  /** Char offset of each start tag, keyed "SSCP" for the root and "Name#k" for the k-th <Name> child. */
  offsets: Map<string, number>;
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const UNQUOTED = /[A-Za-z0-9._:+#*@-]+/y;
const ENTITY = /^&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/;

function isWs(c: string): boolean { return c === ' ' || c === '\t' || c === '\n' || c === '\r'; }

function readName(s: string, pos: number): string | undefined {
  NAME.lastIndex = pos;
  const m = NAME.exec(s);
  return m ? m[0] : undefined;
}

function checkEntities(v: string, at: number, el: string): void {
  for (let i = v.indexOf('&'); i >= 0; i = v.indexOf('&', i + 1)) {
    if (!ENTITY.test(v.slice(i, i + 12))) {
      throw new SscpSyntaxError(`undefined entity reference in attribute value of <${el}> ` +
        '(only &lt; &gt; &amp; &quot; &apos; and &#N; are allowed, entity expansion is off)', at + i, el);
    }
  }
}

export function normalise(src: string, limits: SscpLimits = DEFAULT_LIMITS): Normalised {
  const out: string[] = [];
  const repairs: string[] = [];
  const offsets = new Map<string, number>();
  const childCount = new Map<string, number>();
  const stack: string[] = [];
  let rootDone = false;
  let elements = 0;
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;   // UTF-8 BOM (Unicode §23.8) is ignored

  while (pos < src.length) {
    const lt = src.indexOf('<', pos);
    const text = src.slice(pos, lt < 0 ? src.length : lt);
    for (let i = 0; i < text.length; i++) {
      if (!isWs(text[i]!)) {
        throw new SscpSyntaxError(`unexpected text ${JSON.stringify(text.trim().slice(0, 20))}` +
          (stack.length ? ` inside <${stack[stack.length - 1]}>` : ' outside <SSCP>') +
          ' (SSCP carries data in attributes only)', pos + i, stack[stack.length - 1]);
      }
    }
    if (lt < 0) break;
    out.push(text);
    pos = lt;

    if (src.startsWith('<?', pos)) {
      const end = src.indexOf('?>', pos);
      if (end < 0) throw new SscpSyntaxError('unterminated processing instruction', pos);
      const pi = src.slice(pos, end + 2);
      if (!/^<\?xml\s/.test(pi) || out.join('').trim() !== '' || elements > 0) {
        throw new SscpSyntaxError(`processing instruction ${JSON.stringify(pi.slice(0, 20))} not allowed ` +
          '(only a leading <?xml version="1.0" encoding="utf-8"?>)', pos);
      }
      const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(pi);
      if (enc && enc[1]!.toLowerCase() !== 'utf-8') {
        throw new SscpSyntaxError(`encoding "${enc[1]}" not supported (expected utf-8)`, pos);
      }
      out.push(pi);
      pos = end + 2;
      continue;
    }
    if (src.startsWith('<!--', pos)) {
      const end = src.indexOf('-->', pos + 4);
      if (end < 0) throw new SscpSyntaxError('unterminated comment', pos);
      pos = end + 3;                        // comments are dropped
      continue;
    }
    if (src.startsWith('<!', pos)) {
      const what = /^<!(DOCTYPE|ENTITY|\[CDATA\[)?/i.exec(src.slice(pos, pos + 12))![1] ?? 'declaration';
      throw new SscpSyntaxError(`<!${what.toUpperCase()}> not allowed in SSCP ` +
        '(no DTD, no entity declarations, no CDATA; entity expansion is off)', pos);
    }
    if (src.startsWith('</', pos)) {
      const name = readName(src, pos + 2);
      if (!name) throw new SscpSyntaxError('malformed end tag', pos);
      let p = pos + 2 + name.length;
      while (p < src.length && isWs(src[p]!)) p++;
      if (src[p] !== '>') throw new SscpSyntaxError(`malformed end tag </${name}`, pos, name);
      const open = stack[stack.length - 1];
      if (open === undefined) {
        if (rootDone && name === 'xml') {                                   // R3
          repairs.push(`R3 dropped stray </xml> at offset ${pos}`);
          pos = p + 1;
          continue;
        }
        throw new SscpSyntaxError(`end tag </${name}> without an open element`, pos, name);
      }
      if (name !== open) {
        if (stack.length > 1 && name.startsWith(open)) {                    // R2
          repairs.push(`R2 end tag </${name}> repaired to </${open}> at offset ${pos}`);
        } else {
          throw new SscpSyntaxError(`end tag </${name}> does not match <${open}>`, pos, name);
        }
      }
      out.push(`</${open}>`);
      stack.pop();
      if (stack.length === 0) rootDone = true;
      pos = p + 1;
      continue;
    }

    // start tag
    const name = readName(src, pos + 1);
    if (!name) throw new SscpSyntaxError('malformed start tag', pos);
    if (rootDone) throw new SscpSyntaxError(`<${name}> after </SSCP> (one SSCP message per datagram)`, pos, name);
    if (stack.length === 0 && name !== 'SSCP') {
      throw new SscpSyntaxError(`root element <${name}> is not <SSCP>`, pos, name);
    }
    if (stack.length + 1 > limits.maxDepth) {
      throw new SscpSyntaxError(`element <${name}> nested deeper than ${limits.maxDepth} levels`, pos, name);
    }
    if (++elements > limits.maxElements) {
      throw new SscpSyntaxError(`more than ${limits.maxElements} elements`, pos, name);
    }
    if (stack.length === 0) offsets.set('SSCP', pos);
    else if (stack.length === 1) {
      const k = childCount.get(name) ?? 0;
      childCount.set(name, k + 1);
      offsets.set(`${name}#${k}`, pos);
    }
    const tagStart = pos;
    let p = pos + 1 + name.length;
    const parts: string[] = [`<${name}`];
    const seen = new Set<string>();
    for (;;) {
      const before = p;
      while (p < src.length && isWs(src[p]!)) p++;
      if (p >= src.length) throw new SscpSyntaxError(`unterminated start tag <${name}`, tagStart, name);
      if (src[p] === '>' || src.startsWith('/>', p)) break;
      if (p === before) throw new SscpSyntaxError(`expected whitespace before attribute in <${name}>`, p, name);
      const attr = readName(src, p);
      if (!attr) throw new SscpSyntaxError(`malformed attribute in <${name}>`, p, name);
      if (seen.has(attr)) throw new SscpSyntaxError(`duplicate attribute ${attr} in <${name}>`, p, name);
      seen.add(attr);
      if (seen.size > limits.maxAttributes) {
        throw new SscpSyntaxError(`more than ${limits.maxAttributes} attributes in <${name}>`, p, name);
      }
      p += attr.length;
      while (p < src.length && isWs(src[p]!)) p++;
      if (src[p] !== '=') throw new SscpSyntaxError(`attribute ${attr} of <${name}> has no value`, p, name);
      p++;
      while (p < src.length && isWs(src[p]!)) p++;
      let value: string;
      const q = src[p];
      if (q === '"' || q === "'") {
        const end = src.indexOf(q, p + 1);
        if (end < 0) throw new SscpSyntaxError(`unterminated value of ${attr} in <${name}>`, p, name);
        value = src.slice(p + 1, end);
        if (value.includes('<')) throw new SscpSyntaxError(`'<' in value of ${attr} in <${name}>`, p, name);
        checkEntities(value, p + 1, name);
        p = end + 1;
      } else {
        UNQUOTED.lastIndex = p;
        const m = UNQUOTED.exec(src);
        if (!m) {
          throw new SscpSyntaxError(`value of ${attr} in <${name}> is neither quoted nor ` +
            'an unquoted token [A-Za-z0-9._:+#*@-]', p, name);
        }
        value = m[0];
        repairs.push(`R1 quoted ${name}@${attr}=${value} at offset ${p}`);
        p += value.length;
        const next = src[p];
        if (next !== undefined && !isWs(next) && next !== '>' && !src.startsWith('/>', p)) {
          throw new SscpSyntaxError(`unquoted value of ${attr} in <${name}> runs into ${JSON.stringify(next)} ` +
            '(quote it; unquoted values are tokens [A-Za-z0-9._:+#*@-])', p, name);
        }
      }
      if (value.length > limits.maxAttrValue) {
        throw new SscpSyntaxError(`value of ${attr} in <${name}> longer than ${limits.maxAttrValue}`, p, name);
      }
      parts.push(` ${attr}=${q === "'" ? `'${value}'` : `"${value}"`}`);
    }
    const selfClose = src[p] === '/';
    parts.push(selfClose ? '/>' : '>');
    out.push(parts.join(''));
    pos = p + (selfClose ? 2 : 1);
    if (!selfClose) stack.push(name);
    else if (stack.length === 0) rootDone = true;
  }
  if (stack.length > 0) {
    throw new SscpSyntaxError(`unterminated <${stack[stack.length - 1]}> at end of datagram`, src.length,
      stack[stack.length - 1]);
  }
  if (!rootDone) throw new SscpSyntaxError('no <SSCP> element in datagram', 0);
  return { xml: out.join(''), repairs, offsets };
}
