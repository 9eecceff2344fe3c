/**
 * HID report descriptor parser (Device Class Definition for HID 1.11, §6.2.2): short items only
 * matter for telephony devices; long items (prefix 0xFE, §6.2.2.3) are skipped. The result is the
 * field layout of every input/output/feature report: bit offset (from the first data byte, after
 * the report-ID byte when reports are numbered), size, count and usages, so drivers can find
 * Hook Switch 0x0B:0x20 or LED Off-Hook 0x08:0x17 without knowing the device (docs/hardware.md §6).
 */
import { HalError } from '../api/index.js';

export type ReportKind = 'input' | 'output' | 'feature';

export interface HidField {
  kind: ReportKind;
  reportId: number;          // 0 when the device does not number its reports
  bitOffset: number;         // of element 0, from the first byte after the report id
  bitSize: number;           // Report Size (§6.2.2.7)
  count: number;             // Report Count
  /** Main item data bits (§6.2.2.5): bit0 Constant, bit1 Variable, bit2 Relative. */
  flags: number;
  isConstant: boolean;
  isArray: boolean;
  /** Extended usages (page << 16 | id): one per element for variables, the selectable set for arrays. */
  usages: number[];
  logicalMin: number;
  logicalMax: number;
}

export interface HidReportMap {
  fields: HidField[];
  /** True when any Report ID item appears: every report then starts with its id byte. */
  numbered: boolean;
  /** Data bytes of report `id` (without the id byte). */
  reportBytes(kind: ReportKind, id: number): number;
}

/** Where one usage lives. For array fields the usage is reported as a value in any element. */
export interface UsageLocation {
  field: HidField;
  /** Bit offset of this usage's element (variables) or of element 0 (arrays). */
  bitOffset: number;
  /** Array fields: the value that selects this usage. */
  arrayValue?: number;
}

// Item types and tags (HID 1.11 §6.2.2.4 Main, §6.2.2.7 Global, §6.2.2.8 Local).
const TYPE_MAIN = 0, TYPE_GLOBAL = 1, TYPE_LOCAL = 2;
const MAIN_INPUT = 0x8, MAIN_OUTPUT = 0x9, MAIN_FEATURE = 0xb, MAIN_COLLECTION = 0xa, MAIN_END_COLLECTION = 0xc;
const G_USAGE_PAGE = 0x0, G_LOGICAL_MIN = 0x1, G_LOGICAL_MAX = 0x2, G_REPORT_SIZE = 0x7, G_REPORT_ID = 0x8,
  G_REPORT_COUNT = 0x9, G_PUSH = 0xa, G_POP = 0xb;
const L_USAGE = 0x0, L_USAGE_MIN = 0x1, L_USAGE_MAX = 0x2;
const LONG_ITEM_PREFIX = 0xfe;
const FLAG_CONSTANT = 0x01, FLAG_VARIABLE = 0x02;
const MAX_USAGES = 4096; // guard against a malformed Usage Min/Max spanning the whole page

interface Globals { page: number; logicalMin: number; logicalMax: number; size: number; count: number; id: number }

function err(msg: string, offset: number): HalError {
  return new HalError('INVALID', `${msg} at byte ${offset}`, {
    device: 'HID report descriptor', operation: 'parse', hint: 'the device sent a malformed descriptor; compare with hid-decode or usbhid-dump',
  });
}

export function parseReportDescriptor(desc: Uint8Array): HidReportMap {
  const fields: HidField[] = [];
  const offsets = new Map<string, number>();
  let g: Globals = { page: 0, logicalMin: 0, logicalMax: 0, size: 0, count: 0, id: 0 };
  const stack: Globals[] = [];
  let usages: number[] = [];
  let usageMin: number | undefined;
  let depth = 0;
  let numbered = false;
  let i = 0;
  while (i < desc.length) {
    const at = i;
    const prefix = desc[i++]!;
    if (prefix === LONG_ITEM_PREFIX) {
      if (i + 1 >= desc.length) throw err('truncated long item', at);
      i += 2 + desc[i]!; // bDataSize, bLongItemTag, data
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 0x03]!;
    const type = (prefix >> 2) & 0x03;
    const tag = prefix >> 4;
    if (i + size > desc.length) throw err(`item 0x${prefix.toString(16)} needs ${size} data bytes`, at);
    let u = 0;
    for (let k = 0; k < size; k++) u |= desc[i + k]! << (8 * k);
    u >>>= 0;
    const s = size === 1 ? (u << 24) >> 24 : size === 2 ? (u << 16) >> 16 : size === 4 ? u | 0 : 0;
    i += size;
    const ext = (v: number): number => (size === 4 ? v : ((g.page << 16) | (v & 0xffff)) >>> 0);
    if (type === TYPE_GLOBAL) {
      switch (tag) {
        case G_USAGE_PAGE: g.page = u & 0xffff; break;
        case G_LOGICAL_MIN: g.logicalMin = s; break;
        case G_LOGICAL_MAX: g.logicalMax = g.logicalMin >= 0 && s < 0 ? u : s; break; // unsigned max when min >= 0
        case G_REPORT_SIZE: g.size = u; break;
        case G_REPORT_ID:
          if (u === 0 || u > 255) throw err(`Report ID ${u} (must be 1..255, §6.2.2.7)`, at);
          g.id = u; numbered = true; break;
        case G_REPORT_COUNT: g.count = u; break;
        case G_PUSH: stack.push({ ...g }); break;
        case G_POP: { const p = stack.pop(); if (!p) throw err('Pop without Push', at); g = p; break; }
        default: break; // physical/unit items do not affect layout
      }
    } else if (type === TYPE_LOCAL) {
      if (tag === L_USAGE) usages.push(ext(u));
      else if (tag === L_USAGE_MIN) usageMin = ext(u);
      else if (tag === L_USAGE_MAX) {
        if (usageMin === undefined) throw err('Usage Maximum without Usage Minimum', at);
        const max = ext(u);
        if (max < usageMin || max - usageMin > MAX_USAGES) throw err('bad usage range', at);
        for (let v = usageMin; v <= max; v++) usages.push(v);
        usageMin = undefined;
      }
    } else if (type === TYPE_MAIN) {
      if (tag === MAIN_INPUT || tag === MAIN_OUTPUT || tag === MAIN_FEATURE) {
        const kind: ReportKind = tag === MAIN_INPUT ? 'input' : tag === MAIN_OUTPUT ? 'output' : 'feature';
        const key = `${kind}/${g.id}`;
        const bitOffset = offsets.get(key) ?? 0;
        if (g.size * g.count > 0) {
          fields.push({
            kind, reportId: g.id, bitOffset, bitSize: g.size, count: g.count, flags: u,
            isConstant: (u & FLAG_CONSTANT) !== 0, isArray: (u & FLAG_VARIABLE) === 0, usages,
            logicalMin: g.logicalMin, logicalMax: g.logicalMax,
          });
        }
        offsets.set(key, bitOffset + g.size * g.count);
      } else if (tag === MAIN_COLLECTION) depth++;
      else if (tag === MAIN_END_COLLECTION) { if (--depth < 0) throw err('End Collection without Collection', at); }
      usages = []; usageMin = undefined; // local items apply to the next main item only (§6.2.2.8)
    }
  }
  if (depth !== 0) throw err(`${depth} collection(s) not closed`, desc.length);
  return {
    fields, numbered,
    reportBytes: (kind, id) => Math.ceil((offsets.get(`${kind}/${id}`) ?? 0) / 8),
  };
}

/** Finds usage `page:id` in reports of `kind`. */
export function findUsage(map: HidReportMap, kind: ReportKind, page: number, id: number): UsageLocation | undefined {
  const want = ((page << 16) | id) >>> 0;
  for (const f of map.fields) {
    if (f.kind !== kind || f.isConstant) continue;
    const k = f.usages.indexOf(want);
    if (k < 0) continue;
    if (f.isArray) return { field: f, bitOffset: f.bitOffset, arrayValue: f.logicalMin + k };
    // Variables: usage k goes with element k; the last usage repeats for extra elements (§6.2.2.8).
    return { field: f, bitOffset: f.bitOffset + Math.min(k, f.count - 1) * f.bitSize };
  }
  return undefined;
}

/** Reads `size` bits at `offset` (LSB first, HID 1.11 §5.8 little-endian) from report data. */
export function readBits(data: Uint8Array, offset: number, size: number): number {
  let v = 0;
  for (let b = 0; b < size; b++) {
    const bit = offset + b;
    if ((data[bit >> 3]! >> (bit & 7)) & 1) v |= 1 << b;
  }
  return v >>> 0;
}

export function writeBits(data: Uint8Array, offset: number, size: number, value: number): void {
  for (let b = 0; b < size; b++) {
    const bit = offset + b;
    const m = 1 << (bit & 7);
    if ((value >> b) & 1) data[bit >> 3]! |= m; else data[bit >> 3]! &= ~m;
  }
}

/** Values of the selected usages present in an array field of one report (0 = none). */
export function arrayUsages(field: HidField, data: Uint8Array): number[] {
  const out: number[] = [];
  for (let e = 0; e < field.count; e++) {
    const v = readBits(data, field.bitOffset + e * field.bitSize, field.bitSize);
    const k = v - field.logicalMin;
    if (v >= field.logicalMin && v <= field.logicalMax && k < field.usages.length) out.push(field.usages[k]!);
  }
  return out;
}
