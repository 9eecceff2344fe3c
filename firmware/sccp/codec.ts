/**
 * Generic SCCP codec: one walker over the message table (messages.ts), no per-message code.
 * PDU = 12-byte little-endian header {u32 length = 4 + body, u32 headerVersion, u32 messageId} + body
 * (docs/sccp.md §1). Layouts are selected by the negotiated protocol version.
 */
import { SccpDecodeError, SccpEncodeError } from './errors.js';
import { messageById, messageByName } from './messages.js';
import type { DecodedFieldsOf, FieldsOf, MessageName } from './messages.js';
import type { FieldSpec, IpAddr, MessageSpec } from './messages-spec.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './messages-ip.js';
import { nameOf } from './enums.js';

/** §1: header is length(4) + headerVersion(4) + messageId(4); length counts messageId + body. */
export const SCCP_HEADER_SIZE = 12;
/** Protocol version used for layout selection when the caller gives none (docs/sccp.md §1 recommendation). */
export const DEFAULT_PROTOCOL_VERSION = 11;

export interface EncodeOptions {
  /** Negotiated protocol version, selects version-gated layouts (default 11). */
  version?: number;
  /** Value written to header bytes 4..7 (default 0, "Basic"). */
  headerVersion?: number;
}

export interface DecodeOptions {
  /** Negotiated protocol version; default: the header version if it is 10..22, else 11. */
  version?: number;
  /** Return unknown ids as { name: 'Unknown', id, fields: { raw } } instead of throwing. */
  allowUnknown?: boolean;
}

/**
 * Enum fields (the table's `{ enum: ... }`) whose value is not in their enum, as "path=value"
 * (e.g. "lampMode=9"): the value still decodes as a number; the trace shows the list.
 */
interface Unknowns { unknownValues?: readonly string[] }

/** A decoded PDU: a union keyed by `name`; narrowing on the name types `fields` from the table. */
export type DecodedMessage =
  | { [N in MessageName]: { id: number; name: N; headerVersion: number; fields: DecodedFieldsOf<N> } & Unknowns }[MessageName]
  | ({ id: number; name: 'Unknown'; headerVersion: number; fields: { raw: Uint8Array } } & Unknowns);

/** A message to encode: name and its table-typed fields (what stations and the CM queue and send). */
export type OutgoingMessage = { [N in MessageName]: { name: N; fields: FieldsOf<N> } }[MessageName];

type Values = Record<string, unknown>;
interface Ctx { msg: string; version: number }

const isActive = (f: FieldSpec, v: number) => (f.minVersion ?? 0) <= v && v <= (f.maxVersion ?? Infinity);

/** Fields active at version v, cut at the tail segments the encoder should write (see Gate.tail). */
function encodeSelection(spec: MessageSpec, vals: Values, v: number): FieldSpec[] {
  const act = spec.fields.filter((f) => isActive(f, v));
  const seg: number[] = [];
  let s = 0;
  let lastGiven = 0;
  for (let i = 0; i < act.length; i++) {
    const f = act[i]!;
    if (f.tail && (f.tail === 'start' || !act[i - 1]?.tail)) s++;
    seg.push(f.tail ? s : 0);
    if (f.tail && f.name && vals[f.name] !== undefined) lastGiven = s;
  }
  const upTo = Math.max(1, lastGiven);
  return act.filter((_, i) => seg[i]! <= upTo);
}

/** Fill count fields (CapabilitiesRes.capCount) from the array length when the caller omitted them. */
function withCounts(specs: readonly FieldSpec[], vals: Values): Values {
  let out = vals;
  for (const f of specs) {
    if (f.kind === 'array' && typeof f.count === 'object' && vals[f.count.field] === undefined) {
      const a = vals[f.name];
      out = { ...out, [f.count.field]: Array.isArray(a) ? a.length : 0 };
    }
  }
  return out;
}

const PRIM_SIZE = { u8: 1, u16: 2, u32: 4 } as const;
const PRIM_MAX = { u8: 0xff, u16: 0xffff, u32: 0xffffffff } as const;

/** Writes (buf non-null) or measures (buf null) one struct; returns the offset after it. */
function encFields(specs: readonly FieldSpec[], raw: Values, buf: Buffer | null, off: number, ctx: Ctx, path: string): number {
  const vals = withCounts(specs, raw);
  for (const f of specs) {
    if (!isActive(f, ctx.version)) continue;
    off = encField(f, f.kind === 'pad' ? undefined : vals[f.name], vals, buf, off, ctx, path ? `${path}.${f.name}` : f.name);
  }
  return off;
}

function encField(f: FieldSpec, val: unknown, vals: Values, buf: Buffer | null, off: number, ctx: Ctx, path: string): number {
  const fail = (detail: string) => new SccpEncodeError(ctx.msg, path, detail);
  switch (f.kind) {
    case 'u8': case 'u16': case 'u32': {
      const n = val ?? 0;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > PRIM_MAX[f.kind]) {
        throw fail(`${String(val)} is not an integer 0..${PRIM_MAX[f.kind]} (${f.kind})`);
      }
      if (buf) {
        if (f.kind === 'u8') buf.writeUInt8(n, off);
        else if (f.kind === 'u16') buf.writeUInt16LE(n, off);
        else buf.writeUInt32LE(n, off);
      }
      return off + PRIM_SIZE[f.kind];
    }
    case 'char': {
      const s = val ?? '';
      if (typeof s !== 'string') throw fail(`expected a string, got ${typeof s}`);
      if (s.length > f.size) throw fail(`string of ${s.length} chars does not fit char[${f.size}]: ${JSON.stringify(s)}`);
      for (let i = 0; i < s.length; i++) {
        if (s.charCodeAt(i) > 0xff) throw fail(`character ${JSON.stringify(s[i])} at index ${i} is not latin1`);
      }
      if (buf) buf.write(s, off, 'latin1'); // the rest of the slot stays 0 (Buffer.alloc)
      return off + f.size;
    }
    case 'ipv4': {
      if (buf) {
        const b = parseIpv4(val === undefined ? '0.0.0.0' : val);
        if (!b) throw fail(`${JSON.stringify(val)} is not a dotted IPv4 address`);
        buf.set(b, off);
      }
      return off + 4;
    }
    case 'ipv4or6': {
      // §1: u32 addrType (0 = IPv4, 1 = IPv6) + 16 address bytes, IPv4 in the first 4.
      if (buf) {
        const v = val ?? '0.0.0.0';
        const addr = typeof v === 'string' ? v : (v as IpAddr).address;
        const six = typeof v === 'string' ? v.includes(':') : (v as IpAddr).family === 6;
        const b = six ? parseIpv6(addr) : parseIpv4(addr);
        if (!b) throw fail(`${JSON.stringify(val)} is not an IPv${six ? 6 : 4} address`);
        buf.writeUInt32LE(six ? 1 : 0, off);
        buf.set(b, off + 4);
      }
      return off + 20;
    }
    case 'bytes': {
      const b = val ?? new Uint8Array(0);
      if (!(b instanceof Uint8Array)) throw fail('expected a Uint8Array');
      if (f.size !== 'rest' && b.length > f.size) throw fail(`${b.length} bytes do not fit bytes[${f.size}]`);
      if (buf) buf.set(b, off);
      return off + (f.size === 'rest' ? b.length : f.size);
    }
    case 'pad':
      return off + f.size;
    case 'array': {
      const items = val ?? [];
      if (!Array.isArray(items)) throw fail('expected an array');
      let count: number;
      if (typeof f.count === 'number') count = f.count;
      else {
        count = vals[f.count.field] as number;
        if (count > f.count.max) throw fail(`${f.count.field} = ${count} exceeds the maximum ${f.count.max}`);
      }
      if (items.length > count) throw fail(`${items.length} entries, the layout holds ${count}`);
      for (let i = 0; i < count; i++) {
        const item: unknown = items[i];
        const p = `${path}[${i}]`;
        if (Array.isArray(f.of)) off = encFields(f.of as readonly FieldSpec[], (item ?? {}) as Values, buf, off, ctx, p);
        else off = encField(f.of as FieldSpec, item, {}, buf, off, ctx, p);
      }
      return off;
    }
  }
}

function specFor(name: string): MessageSpec {
  const spec = messageByName(name);
  if (!spec) throw new SccpEncodeError(name, '', 'no such message in the SCCP table');
  return spec;
}

/** A whole PDU: header + body, ready for one socket write. */
export function encodeMessage<N extends MessageName>(name: N, fields?: FieldsOf<N>, opts?: EncodeOptions): Buffer {
  return encodeValues(name, fields ?? {}, opts);
}

/** encodeMessage for a queued { name, fields } message (the union OutgoingMessage). */
export function encodeOutgoing(m: OutgoingMessage, opts?: EncodeOptions): Buffer {
  return encodeValues(m.name, m.fields, opts);
}

function encodeValues(name: MessageName, vals: Values, opts?: EncodeOptions): Buffer {
  const spec = specFor(name);
  const ctx: Ctx = { msg: name, version: opts?.version ?? DEFAULT_PROTOCOL_VERSION };
  const sel = encodeSelection(spec, vals, ctx.version);
  const size = encFields(sel, vals, null, 0, ctx, '');
  const buf = Buffer.alloc(SCCP_HEADER_SIZE + size);
  buf.writeUInt32LE(4 + size, 0); // §1: length = messageId (4) + body
  buf.writeUInt32LE(opts?.headerVersion ?? 0, 4);
  buf.writeUInt32LE(spec.id, 8);
  encFields(sel, vals, buf.subarray(SCCP_HEADER_SIZE), 0, ctx, '');
  return buf;
}

// ---------------- decoding ----------------

interface DCtx { msg: string; version: number; body: Buffer; end: number; unknown: string[] }

function need(ctx: DCtx, off: number, n: number, path: string): void {
  if (off + n > ctx.end) {
    throw new SccpDecodeError(ctx.msg, path, SCCP_HEADER_SIZE + off,
      `needs ${n} bytes, only ${ctx.end - off} left in a ${ctx.end}-byte body`);
  }
}

/** Minimum size of a field (0 for variable ones); tail segments consist of fixed-size fields. */
function fixedSize(f: FieldSpec): number {
  switch (f.kind) {
    case 'u8': case 'u16': case 'u32': return PRIM_SIZE[f.kind];
    case 'char': case 'pad': return f.size;
    case 'ipv4': return 4;
    case 'ipv4or6': return 20;
    case 'bytes': return f.size === 'rest' ? 0 : f.size;
    case 'array': {
      if (typeof f.count !== 'number') return 0;
      const el = Array.isArray(f.of) ? (f.of as readonly FieldSpec[]).reduce((a, g) => a + fixedSize(g), 0) : fixedSize(f.of as FieldSpec);
      return f.count * el;
    }
  }
}

function decFields(specs: readonly FieldSpec[], ctx: DCtx, off: number, out: Values, path: string, top: boolean): number {
  const act = specs.filter((f) => isActive(f, ctx.version));
  for (let i = 0; i < act.length; i++) {
    const f = act[i]!;
    if (top && f.tail && (f.tail === 'start' || !act[i - 1]?.tail)) {
      let seg = fixedSize(f);
      for (let j = i + 1; j < act.length && act[j]!.tail === 'more'; j++) seg += fixedSize(act[j]!);
      if (ctx.end - off < seg) return off; // optional tail absent: ignore what is left
    }
    const p = path ? `${path}.${f.name}` : f.name;
    off = decField(f, ctx, off, out, p);
  }
  return off;
}

function decField(f: FieldSpec, ctx: DCtx, off: number, out: Values, path: string): number {
  const b = ctx.body;
  const key = f.name;
  switch (f.kind) {
    case 'u8': case 'u16': case 'u32': {
      const size = PRIM_SIZE[f.kind];
      need(ctx, off, size, path);
      const v = size === 1 ? b.readUInt8(off) : size === 2 ? b.readUInt16LE(off) : b.readUInt32LE(off);
      if (f.enum && nameOf(f.enum, v) === undefined) ctx.unknown.push(`${path}=${v}`);
      out[key] = v;
      return off + size;
    }
    case 'char': {
      need(ctx, off, f.size, path);
      const nul = b.indexOf(0, off);
      const stop = nul < 0 || nul > off + f.size ? off + f.size : nul;
      out[key] = b.toString('latin1', off, stop);
      return off + f.size;
    }
    case 'ipv4': need(ctx, off, 4, path); out[key] = formatIpv4(b, off); return off + 4;
    case 'ipv4or6': {
      need(ctx, off, 20, path);
      const type = b.readUInt32LE(off); // §1: 0 = v4, 1 = v6, 2 = v4+v6 (v4 used)
      if (type > 2) throw new SccpDecodeError(ctx.msg, path, SCCP_HEADER_SIZE + off, `addrType ${type} is not 0, 1 or 2`);
      out[key] = type === 1 ? { family: 6, address: formatIpv6(b, off + 4) } : { family: 4, address: formatIpv4(b, off + 4) };
      return off + 20;
    }
    case 'bytes': {
      const n = f.size === 'rest' ? ctx.end - off : f.size;
      need(ctx, off, n, path);
      out[key] = new Uint8Array(b.subarray(off, off + n)); // plain copy: never aliases the PDU
      return off + n;
    }
    case 'pad': need(ctx, off, f.size, path); return off + f.size;
    case 'array': {
      let count: number;
      if (typeof f.count === 'number') count = f.count;
      else {
        count = out[f.count.field] as number;
        if (count > f.count.max) {
          throw new SccpDecodeError(ctx.msg, path, SCCP_HEADER_SIZE + off, `${f.count.field} = ${count} exceeds the maximum ${f.count.max}`);
        }
      }
      const items: unknown[] = [];
      for (let i = 0; i < count; i++) {
        const p = `${path}[${i}]`;
        if (Array.isArray(f.of)) {
          const o: Values = {};
          off = decFields(f.of as readonly FieldSpec[], ctx, off, o, p, false);
          items.push(o);
        } else {
          const o: Values = {};
          off = decField({ ...(f.of as FieldSpec), name: 'v' } as FieldSpec, ctx, off, o, p);
          items.push(o['v']);
        }
      }
      out[key] = items;
      return off;
    }
  }
}

function versionFor(hdr: number, opts?: DecodeOptions): number {
  if (opts?.version !== undefined) return opts.version;
  return hdr >= 0x0a && hdr <= 0x16 ? hdr : DEFAULT_PROTOCOL_VERSION; // §1: 0x0A..0x16 = v10..v22
}

/** Decode one whole PDU (as yielded by SccpFramer). Trailing bytes after the layout are ignored. */
export function decodeMessage(pdu: Uint8Array, opts?: DecodeOptions): DecodedMessage {
  if (pdu.length < SCCP_HEADER_SIZE) {
    throw new SccpDecodeError('(header)', 'messageId', 0, `PDU of ${pdu.length} bytes is shorter than the 12-byte header`);
  }
  const buf = Buffer.from(pdu.buffer, pdu.byteOffset, pdu.byteLength);
  const len = buf.readUInt32LE(0);
  const hdr = buf.readUInt32LE(4);
  const id = buf.readUInt32LE(8);
  const spec = messageById(id);
  const msgName = spec?.name ?? `id 0x${id.toString(16).padStart(4, '0')}`;
  if (len < 4 || len + 8 > buf.length) {
    throw new SccpDecodeError(msgName, 'length', 0, `length field ${len} does not match a ${buf.length}-byte PDU (needs 4..${buf.length - 8})`);
  }
  const body = buf.subarray(SCCP_HEADER_SIZE, len + 8);
  if (!spec) {
    if (opts?.allowUnknown) return { id, name: 'Unknown', headerVersion: hdr, fields: { raw: new Uint8Array(body) } };
    throw new SccpDecodeError(msgName, '', 8, 'unknown message id (pass allowUnknown to accept it)');
  }
  const out: Values = {};
  const unknown: string[] = [];
  decFields(spec.fields, { msg: spec.name, version: versionFor(hdr, opts), body, end: body.length, unknown }, 0, out, '', true);
  const m = { id, name: spec.name, headerVersion: hdr, fields: out, ...(unknown.length ? { unknownValues: unknown } : {}) };
  return m as DecodedMessage; // the walker followed spec.fields, so `out` has the shape DecodedFieldsOf<name> describes
}

/** Trace fields of a decoded message: its fields, plus `unknownValues` when an enum field held a value outside its enum. */
export function traceFields(m: DecodedMessage): Readonly<Record<string, unknown>> {
  return m.unknownValues ? { ...m.fields, unknownValues: m.unknownValues.join(',') } : m.fields;
}

/** Dotted/colon text of an address field value (ipv4 string or ipv4or6 object). */
export function ipString(v: string | IpAddr | undefined): string {
  return v === undefined ? '' : typeof v === 'string' ? v : v.address;
}
