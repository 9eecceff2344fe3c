/**
 * Reading a CiscoIPPhoneDirectory answer (docs/directory.md §1, §2), trusting nothing in it:
 * bytes → text (UTF-8, or ISO-8859-1 when the answer says so) → no DTD or entity declarations →
 * well-formedness (XMLValidator) → fast-xml-parser with entity expansion off → one root named
 * CiscoIPPhoneDirectory → every DirectoryEntry's Name, Telephone and (our extension) Presence
 * checked. Only the five predefined entities and character references are decoded, here.
 * fast-xml-parser is loaded on the first search, so an SCCP phone without a directory never loads it.
 */
import { PRESENCES, type DirectoryEntry, type Presence } from '../station/signalling.js';

/** A directory that could not be used: `url` and what was wrong with it. */
export class DirectoryError extends Error {
  constructor(readonly url: string, readonly what: string) {
    super(`directory ${url}: ${what}`);
    this.name = 'DirectoryError';
  }
}

/** A phone shows at most 32 DirectoryEntry items (docs/directory.md §1); further ones are dropped. */
export const MAX_ENTRIES = 32;
/** Longest Name kept: the format allows 32 characters; a server that sends up to twice that is tolerated. */
export const MAX_NAME = 64;
/** Telephone: what a phone can dial, up to 32 characters (docs/directory.md §1). */
const DIALABLE = /^\+?[0-9*#]{1,32}$/;
/** Separators people write in numbers, dropped before dialling: space - . ( ) */
const SEPARATORS = /[\s\-.()]/g;
const PRESENCE_TOKEN = /^[a-z][a-z-]{0,31}$/;

type Node = Record<string, unknown>;

type XmlLib = Pick<typeof import('fast-xml-parser'), 'XMLParser' | 'XMLValidator'>;
let xml: Promise<XmlLib> | undefined;

/** The entries of a CiscoIPPhoneDirectory (`bytes` as received; `charset` from the Content-Type). */
export async function parseCiscoDirectory(bytes: Uint8Array, url: string, charset?: string): Promise<DirectoryEntry[]> {
  return parseCiscoDirectoryWith(await (xml ??= import('fast-xml-parser')), bytes, url, charset);
}

/** parseCiscoDirectory with the XML library at hand (the fuzz target's synchronous form). */
export function parseCiscoDirectoryWith(lib: XmlLib, bytes: Uint8Array, url: string, charset?: string): DirectoryEntry[] {
  const fail = (what: string): never => { throw new DirectoryError(url, what); };
  const text = decodeText(bytes, charset, fail);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) fail('a DTD or entity declaration, which a directory has no use for (refused)');
  let doc: Node;
  try {
    const valid = lib.XMLValidator.validate(text);
    if (valid !== true) fail(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
    const parser = new lib.XMLParser({
      ignoreAttributes: true, processEntities: false, htmlEntities: false, parseTagValue: false, trimValues: true,
      ignoreDeclaration: true, ignorePiTags: true, isArray: () => true,
    });
    doc = parser.parse(text) as Node;
  } catch (e) {
    // The validator passes some broken input (an unclosed <?pi) that the parser then throws on (found by fuzzing).
    if (e instanceof DirectoryError) throw e;
    return fail(`not well-formed XML: ${(e as Error).message}`);
  }
  const roots = Object.keys(doc);
  if (roots.length !== 1 || (doc[roots[0]!] as unknown[]).length !== 1) fail(`${roots.length === 0 ? 'no' : 'more than one'} root element`);
  if (roots[0] !== 'CiscoIPPhoneDirectory') fail(`root element <${roots[0]!.slice(0, 40)}>, expected <CiscoIPPhoneDirectory>`);
  const root = (doc['CiscoIPPhoneDirectory'] as unknown[])[0];
  if (typeof root === 'string') return []; // <CiscoIPPhoneDirectory/> or only text: no entries
  const items = ((root as Node)['DirectoryEntry'] as unknown[] | undefined) ?? [];
  return items.slice(0, MAX_ENTRIES).map((item, i) => entry(item, i + 1, fail));
}

function entry(item: unknown, n: number, fail: (what: string) => never): DirectoryEntry {
  const where = `DirectoryEntry ${n}`;
  if (typeof item !== 'object' || item === null) fail(`${where}: no Name or Telephone`);
  const e = item as Node;
  const name = textChild(e, 'Name', where, fail) ?? '';
  if ([...name].length > MAX_NAME) fail(`${where}: Name of ${[...name].length} characters, at most ${MAX_NAME}`);
  const tel = textChild(e, 'Telephone', where, fail);
  if (tel === undefined) fail(`${where}${name ? ` (${name})` : ''}: no Telephone`);
  const number = tel!.replace(SEPARATORS, '');
  if (!DIALABLE.test(number)) fail(`${where}${name ? ` (${name})` : ''}: Telephone "${tel!.slice(0, 40)}" is not a number to dial (digits, * #, a leading +; at most 32)`);
  const p = textChild(e, 'Presence', where, fail);
  let presence: Presence = 'unknown';
  if (p !== undefined) {
    if (!PRESENCE_TOKEN.test(p)) fail(`${where}: Presence "${p.slice(0, 40)}" is not a presence word`);
    // A word of a later server that this phone does not know reads as 'unknown' (docs/directory.md §2).
    presence = (PRESENCES as readonly string[]).includes(p) ? p as Presence : 'unknown';
  }
  return { name: name || number, number, presence };
}

/** The text of `e`'s only child `<tag>` (undefined when there is none), entities decoded. */
function textChild(e: Node, tag: string, where: string, fail: (what: string) => never): string | undefined {
  const v = e[tag] as unknown[] | undefined;
  if (v === undefined) return undefined;
  if (v.length !== 1) fail(`${where}: ${v.length} <${tag}> elements, expected one`);
  if (typeof v[0] !== 'string') fail(`${where}: <${tag}> holds elements, expected text`);
  const s = unescapeXml(v[0] as string, `${where} <${tag}>`, fail);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) fail(`${where}: <${tag}> holds control characters`);
  return s.replace(/\s+/g, ' ').trim();
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references (XML 1.0 §4.1, §4.6); any other & is an error. */
function unescapeXml(v: string, where: string, fail: (what: string) => never): string {
  if (!v.includes('&')) return v;
  return v.replace(/&([^;&\s]{0,12});?/g, (m, ref: string) => {
    if (!m.endsWith(';')) fail(`${where}: a bare "&" (write &amp;)`);
    if (NAMED[ref] !== undefined) return NAMED[ref]!;
    const cp = /^#x([0-9a-fA-F]{1,6})$/.exec(ref) ? parseInt(ref.slice(2), 16) : /^#([0-9]{1,7})$/.test(ref) ? Number(ref.slice(1)) : NaN;
    // XML 1.0 §2.2 Char: no NUL, no surrogates, nothing past U+10FFFF.
    if (Number.isNaN(cp)) fail(`${where}: unknown entity &${ref.slice(0, 12)}; (only &lt; &gt; &amp; &quot; &apos; and &#N;)`);
    if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) fail(`${where}: &${ref}; is not a character`);
    return String.fromCodePoint(cp);
  });
}

/** UTF-8 (the default, strict), or ISO-8859-1 when the Content-Type or the XML declaration names it. */
function decodeText(bytes: Uint8Array, charset: string | undefined, fail: (what: string) => never): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 100));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  const cs = charset ?? declared ?? 'utf-8';
  if (cs === 'iso-8859-1' || cs === 'latin1' || cs === 'us-ascii') return new TextDecoder('latin1').decode(bytes);
  if (cs !== 'utf-8' && cs !== 'utf8') fail(`charset "${cs.slice(0, 20)}", expected UTF-8 or ISO-8859-1`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch { return fail('text is not valid UTF-8'); }
}
