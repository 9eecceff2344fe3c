/**
 * SSCP codec: one XML document per UDP datagram (docs/sscp.md §3). Decoding = size cap →
 * tolerant normaliser (normalise.ts) → fast-xml-parser with entity expansion off → table-driven
 * mapping onto messages.ts. Encoding emits well-formed XML in table order.
 */
import { isIP } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import {
  SOFTKEY_EVENTS, SOFTKEY_EVENT_MAX, SSCP_BY_NAME, type SscpTyped, type SscpAttrSpec, type SscpElementSpec, type SscpFields, type SscpMessageSpec, type SscpScalar,
} from './messages.js';
import { DEFAULT_LIMITS, normalise, SscpSyntaxError, type SscpLimits } from './normalise.js';

/** Default datagram cap: 1500-byte Ethernet MTU − 40 (IPv6) − 8 (UDP) − headroom for tunnels/VPN. */
export const SSCP_MAX_DATAGRAM = 1400;

export interface SscpEnvelope {
  /** Sender's sequence number (1, 2, ...) for reliable messages; absent = unreliable. */
  seq?: number;
  /** On an Ack: the seq being acknowledged. */
  ack?: number;
  /** Sender session id (hex); a new sid resets the receiver's duplicate window. */
  sid?: string;
  /** Device id of the phone (e.g. "SEP00155D012345"); the CM echoes it. */
  device?: string;
}

export interface SscpMessage extends SscpEnvelope { name: string; fields: SscpFields }
export interface SscpDecoded extends SscpMessage { num: number; repairs: string[] }
/** A decoded message typed from the table (messages.ts SscpTyped), with its envelope. */
export type SscpReceived = SscpTyped & SscpEnvelope & { num: number; repairs: string[] };

/**
 * The typed view of a decoded message. decodeSscp accepted only the table's elements and
 * attributes, each checked against its type, so the fields have the shape SscpFieldsOf<name> says.
 */
export function typedSscp(m: SscpDecoded): SscpReceived {
  return m as unknown as SscpReceived;
}

export interface SscpCodecOptions { maxDatagram?: number; limits?: SscpLimits }

export class SscpDecodeError extends Error {
  constructor(
    readonly what: string,
    /** Message name if known by then. */
    readonly messageName: string | undefined,
    /** Element/attribute path, e.g. "SSCP/SpeedDial@number". */
    readonly path: string,
    /** Byte offset in the datagram. */
    readonly offset: number,
  ) {
    super(`SSCP decode${messageName ? ` ${messageName}` : ''}: ${what} [${path} at byte ${offset}]`);
    this.name = 'SscpDecodeError';
  }
}

export class SscpEncodeError extends Error {
  constructor(readonly messageName: string, readonly path: string, what: string) {
    super(`SSCP encode ${messageName}: ${what} [${path}]`);
    this.name = 'SscpEncodeError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false, htmlEntities: false,
  parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: true, ignorePiTags: true,
  allowBooleanAttributes: false, trimValues: true,
  isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

const ENVELOPE_ATTRS = new Set(['name', 'id', 'seq', 'ack', 'sid', 'device', 'ver']);
const UINT = /^[0-9]{1,10}$/;
const DIGITS = /^[0-9*#A-D+]{0,32}$/;    // dial string: DTMF symbols (ITU-T Q.23) plus '+' (E.164)
const CALLID = /^[0-9]{1,16}$/;
const SID = /^[0-9a-f]{1,16}$/;

function unescapeXml(v: string): string {
  if (!v.includes('&')) return v;
  return v.replace(/&(lt|gt|amp|quot|apos|#x[0-9A-Fa-f]+|#[0-9]+);/g, (_m, e: string) => {
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    // XML 1.0 §2.2 Char production: no NUL, no surrogates, ≤ U+10FFFF
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new RangeError(`&${e};`);
    return String.fromCodePoint(cp);
  });
}

export function escapeXml(v: string): string {
  return v.replace(/[&<>"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`);
}

/** Checks one value against its type; returns an error text or the typed value. */
function typeValue(spec: SscpAttrSpec, raw: string): SscpScalar | string[] {
  const t = spec.type;
  if (typeof t === 'object') {
    return t.enum.includes(raw) ? raw : [`expected one of ${t.enum.join('|')}, got ${JSON.stringify(raw)}`];
  }
  switch (t) {
    case 'uint': {
      const max = spec.max ?? 0xffffffff;
      if (!UINT.test(raw) || Number(raw) > max) return [`expected an integer 0..${max}, got ${JSON.stringify(raw)}`];
      return Number(raw);
    }
    case 'text': {
      const max = spec.max ?? 128;
      return raw.length <= max ? raw : [`text longer than ${max} characters`];
    }
    case 'digits': return DIGITS.test(raw) ? raw : [`expected a dial string [0-9*#A-D+]{0,32}, got ${JSON.stringify(raw)}`];
    case 'callid': return CALLID.test(raw) ? raw : [`expected a decimal call id (1-16 digits), got ${JSON.stringify(raw)}`];
    case 'bool':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return [`expected true|false|1|0, got ${JSON.stringify(raw)}`];
    case 'ip': return isIP(raw) ? raw : [`expected an IPv4 or IPv6 address, got ${JSON.stringify(raw)}`];
  }
}

type Node = Record<string, unknown>;

export function decodeSscp(datagram: Buffer | string, opts: SscpCodecOptions = {}): SscpDecoded {
  const max = opts.maxDatagram ?? SSCP_MAX_DATAGRAM;
  const size = typeof datagram === 'string' ? Buffer.byteLength(datagram) : datagram.length;
  if (size > max) throw new SscpDecodeError(`datagram of ${size} bytes exceeds ${max}`, undefined, 'SSCP', max);
  const src = typeof datagram === 'string' ? datagram : datagram.toString('utf8');
  if (src.includes('\uFFFD')) throw new SscpDecodeError('datagram is not valid UTF-8', undefined, 'SSCP', 0);
  const byteAt = (charOff: number): number => Buffer.byteLength(src.slice(0, charOff));

  let norm;
  try {
    norm = normalise(src, opts.limits ?? DEFAULT_LIMITS);
  } catch (e) {
    if (e instanceof SscpSyntaxError) {
      throw new SscpDecodeError(e.what, undefined, e.element && e.element !== 'SSCP' ? `SSCP/${e.element}` : 'SSCP', byteAt(e.charOffset));
    }
    throw e;
  }
  let tree: Node;
  try {
    tree = parser.parse(norm.xml, true) as Node;
  } catch (e) {
    throw new SscpDecodeError(`not well-formed XML after repairs: ${(e as Error).message}`, undefined, 'SSCP', 0);
  }
  const first = (tree.SSCP as unknown[] | undefined)?.[0];
  const rootOff = byteAt(norm.offsets.get('SSCP') ?? 0);
  if (first === undefined) throw new SscpDecodeError('no <SSCP> element', undefined, 'SSCP', rootOff);
  const root: Node = typeof first === 'object' && first !== null ? first as Node : {};

  const fail = (what: string, msgName: string | undefined, path: string, key?: string): never => {
    throw new SscpDecodeError(what, msgName, path, key ? byteAt(norm.offsets.get(key) ?? 0) : rootOff);
  };
  const attr = (node: Node, a: string): string | undefined => {
    const v = node[`@${a}`];
    if (v === undefined) return undefined;
    try {
      return unescapeXml(String(v));
    } catch {
      return fail(`invalid character reference in attribute ${a}`, undefined, `SSCP@${a}`);
    }
  };

  for (const k of Object.keys(root)) {
    if (k.startsWith('@') && !ENVELOPE_ATTRS.has(k.slice(1))) {
      fail(`unknown attribute ${k.slice(1)} on <SSCP> (expected ${[...ENVELOPE_ATTRS].join(', ')})`, undefined, `SSCP@${k.slice(1)}`);
    }
  }
  const name = attr(root, 'name');
  if (name === undefined) return fail('missing attribute name on <SSCP> (the message name)', undefined, 'SSCP@name');
  const spec = SSCP_BY_NAME.get(name);
  if (!spec) return fail(`unknown message name ${JSON.stringify(name)}`, undefined, 'SSCP@name');
  const envNum = (a: string): number | undefined => {
    const v = attr(root, a);
    if (v === undefined) return undefined;
    if (!UINT.test(v)) fail(`attribute ${a} must be an unsigned integer, got ${JSON.stringify(v)}`, name, `SSCP@${a}`);
    return Number(v);
  };
  const num = envNum('id');
  if (num !== undefined && num !== spec.num) fail(`id ${num} does not match name ${name} (${spec.num})`, name, 'SSCP@id');
  const msg: SscpDecoded = { name, num: spec.num, fields: {}, repairs: norm.repairs };
  const seq = envNum('seq');
  if (seq !== undefined) msg.seq = seq;
  const ack = envNum('ack');
  if (ack !== undefined) msg.ack = ack;
  const sid = attr(root, 'sid');
  if (sid !== undefined) {
    if (!SID.test(sid)) fail('attribute sid must be 1-16 lowercase hex digits', name, 'SSCP@sid');
    msg.sid = sid;
  }
  const device = attr(root, 'device');
  if (device !== undefined) {
    if (device.length > 64) fail('attribute device longer than 64 characters', name, 'SSCP@device');
    msg.device = device;
  }

  const byElement = new Map(spec.elements.map((e) => [e.element, e]));
  for (const k of Object.keys(root)) {
    if (k.startsWith('@')) continue;
    if (k === '#text') fail('unexpected text inside <SSCP>', name, 'SSCP');
    if (!byElement.has(k)) {
      const expected = spec.elements.map((e) => `<${e.element}>`).join(', ') || 'no child elements';
      fail(`unexpected element <${k}> in ${name} (expected ${expected})`, name, `SSCP/${k}`, `${k}#0`);
    }
  }
  for (const el of spec.elements) {
    const nodes = (root[el.element] as unknown[] | undefined) ?? [];
    const path = `SSCP/${el.element}`;
    if (nodes.length === 0) {
      if (!el.optional && !el.list) {
        fail(`missing element <${el.element}> (expected attributes ${el.attrs.map((a) => a.attr).join(', ')})`, name, path);
      }
      if (el.list) msg.fields[el.list.field] = [];
      continue;
    }
    if (!el.list && nodes.length > 1) fail(`element <${el.element}> repeated ${nodes.length} times`, name, path, `${el.element}#1`);
    if (el.list && nodes.length > el.list.max) fail(`more than ${el.list.max} <${el.element}> elements`, name, path, `${el.element}#0`);
    const items: Array<Record<string, SscpScalar>> = [];
    nodes.forEach((n, i) => {
      const node: Node = typeof n === 'object' && n !== null ? n as Node : {};
      const key = `${el.element}#${i}`;
      const into: Record<string, SscpScalar> = el.list ? {} : msg.fields as Record<string, SscpScalar>;
      for (const k of Object.keys(node)) {
        if (!k.startsWith('@')) fail(`unexpected ${k === '#text' ? 'text' : `element <${k}>`} inside <${el.element}>`, name, path, key);
        else if (!el.attrs.some((a) => a.attr === k.slice(1))) {
          fail(`unknown attribute ${k.slice(1)} on <${el.element}> (expected ${el.attrs.map((a) => a.attr).join(', ')})`,
            name, `${path}@${k.slice(1)}`, key);
        }
      }
      for (const a of el.attrs) {
        const raw = attr(node, a.attr);
        if (raw === undefined) {
          if (!a.optional) fail(`missing attribute ${a.attr} on <${el.element}>`, name, `${path}@${a.attr}`, key);
          continue;
        }
        const v = typeValue(a, raw);
        if (Array.isArray(v)) fail(v[0]!, name, `${path}@${a.attr}`, key);
        else into[a.field] = v;
      }
      const ip = into[el.attrs.find((a) => a.type === 'ip')?.field ?? ''];
      const fam = into[el.attrs.find((a) => a.attr === 'family')?.field ?? ''];
      if (typeof ip === 'string' && fam !== undefined && String(isIP(ip)) !== fam) {
        fail(`family ${fam} does not match address ${ip}`, name, `${path}@family`, key);
      }
      if (el.list) items.push(into);
    });
    if (el.list) msg.fields[el.list.field] = items;
  }
  if (name === 'SoftKeyEvent') {
    const ev = msg.fields.event as number, evName = msg.fields.eventName;
    // seed 001 softKeyEvent table: ids 1..21 (22 DND, 23 iDivert, 24 CallBack: deskphone extensions), {0, NULL} terminates it
    if (ev < 1) fail(`soft key event id 0 is the table terminator (expected 1..${SOFTKEY_EVENT_MAX})`, name, 'SSCP/Event@id', 'Event#0');
    if (evName !== undefined && evName !== SOFTKEY_EVENTS[ev]) {
      fail(`event name ${JSON.stringify(evName)} does not match id ${ev} (expected "${SOFTKEY_EVENTS[ev]}")`,
        name, 'SSCP/Event@name', 'Event#0');
    }
  }
  return msg;
}

function encodeElement(spec: SscpMessageSpec, el: SscpElementSpec, vals: Record<string, unknown>, path: string): string | undefined {
  if (el.optional && el.attrs.every((a) => vals[a.field] === undefined)) return undefined;
  const parts: string[] = [];
  for (const a of el.attrs) {
    const v = vals[a.field];
    if (v === undefined) {
      if (!a.optional) throw new SscpEncodeError(spec.name, `${path}@${a.attr}`, `missing field ${a.field}`);
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new SscpEncodeError(spec.name, `${path}@${a.attr}`, `field ${a.field} must be a scalar`);
    }
    const raw = String(v);
    const typed = typeValue(a, raw);
    if (Array.isArray(typed)) throw new SscpEncodeError(spec.name, `${path}@${a.attr}`, `field ${a.field}: ${typed[0]}`);
    parts.push(` ${a.attr}="${escapeXml(raw)}"`);
  }
  return `<${el.element}${parts.join('')}/>`;
}

/** Encodes a message as a well-formed UTF-8 XML document; throws SscpEncodeError on bad fields or size. */
export function encodeSscp(msg: SscpMessage, opts: { maxDatagram?: number } = {}): Buffer {
  const spec = SSCP_BY_NAME.get(msg.name);
  if (!spec) throw new SscpEncodeError(msg.name, 'SSCP@name', 'unknown message name');
  let head = `<SSCP name="${spec.name}" id="${spec.num}"`;
  if (msg.seq !== undefined) head += ` seq="${msg.seq >>> 0}"`;
  if (msg.ack !== undefined) head += ` ack="${msg.ack >>> 0}"`;
  if (msg.sid !== undefined) {
    if (!SID.test(msg.sid)) throw new SscpEncodeError(spec.name, 'SSCP@sid', 'sid must be 1-16 lowercase hex digits');
    head += ` sid="${msg.sid}"`;
  }
  if (msg.device !== undefined) head += ` device="${escapeXml(msg.device)}"`;
  const body: string[] = [];
  for (const el of spec.elements) {
    const path = `SSCP/${el.element}`;
    if (el.list) {
      const items = msg.fields[el.list.field] ?? [];
      if (!Array.isArray(items)) throw new SscpEncodeError(spec.name, path, `field ${el.list.field} must be an array`);
      if (items.length > el.list.max) throw new SscpEncodeError(spec.name, path, `more than ${el.list.max} items`);
      items.forEach((it, i) => body.push(encodeElement(spec, el, it, `${path}[${i}]`)!));
      continue;
    }
    const xml = encodeElement(spec, el, msg.fields, path);
    if (xml !== undefined) body.push(xml);
  }
  const known = new Set(spec.elements.flatMap((e) => e.list ? [e.list.field] : e.attrs.map((a) => a.field)));
  for (const k of Object.keys(msg.fields)) {
    if (!known.has(k)) throw new SscpEncodeError(spec.name, `fields.${k}`, `unknown field (expected ${[...known].join(', ')})`);
  }
  const xml = '<?xml version="1.0" encoding="utf-8"?>\n' +
    (body.length ? `${head}>\n${body.map((b) => `  ${b}\n`).join('')}</SSCP>\n` : `${head}/>\n`);
  const buf = Buffer.from(xml, 'utf8');
  const max = opts.maxDatagram ?? SSCP_MAX_DATAGRAM;
  if (buf.length > max) throw new SscpEncodeError(spec.name, 'SSCP', `encoded size ${buf.length} bytes exceeds ${max}`);
  return buf;
}
