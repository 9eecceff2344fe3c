/**
 * The three templates a CM hands a station after registration (docs/sccp.md §3): the button
 * template (which physical button is a line, a speed dial ...), the softkey template (label and
 * event code per key) and the softkey sets (which template keys appear in which slot for a call
 * state). Each may arrive in several pieces (offset/count/total), so entries are stored by
 * absolute index. Pure data: no I/O, no timers.
 */
import type { SoftkeySlot } from '../station/signalling.js';
import { ButtonDefinition } from './enums.js';
import type { ReceivedFieldsOf } from './messages.js';

/** Slots per softkey set: u8 softKeyTemplateIndex[16] (docs/sccp.md §3, SoftKeySetRes). */
export const SLOTS_PER_SET = 16;

export interface TemplateKey { label: string; event: number }

/** Array sizes of one message (docs/sccp.md §3): buttons[42], softKeys[32], softKeySets[16]. */
const BUTTONS_PER_MESSAGE = 42;
const KEYS_PER_MESSAGE = 32;
const SETS_PER_MESSAGE = 16;
/**
 * Our bound on a whole template, checked against every wire total/offset before use: a 7975 with
 * three 7916 modules has 8 + 3 × 48 = 152 buttons; softKeyTemplateIndex is a u8, so at most 255 keys;
 * SelectSoftKeys chooses among the sets, and CMs send ≤ 16 (docs/security.md §6).
 */
const MAX_BUTTONS = 256;
const MAX_KEYS = 255;
const MAX_SETS = 64;

/** A template piece whose offset/count/total does not fit the message or the bound: names all three. */
export class TemplateRangeError extends Error {
  constructor(message: string, offset: number, count: number, total: number, perMessage: number, max: number) {
    super(`SCCP ${message}: offset ${offset}, count ${count}, total ${total} out of range ` +
      `(count ≤ ${perMessage} per message, offset + count ≤ total ≤ ${max}); piece ignored`);
    this.name = 'TemplateRangeError';
  }
}

function checkRange(message: string, offset: number, count: number, total: number, perMessage: number, max: number): void {
  const ok = [offset, count, total].every((v) => Number.isInteger(v) && v >= 0) &&
    count <= perMessage && total <= max && offset + count <= total;
  if (!ok) throw new TemplateRangeError(message, offset, count, total, perMessage, max);
}

/** Fields may be missing (partial bodies, tests); numbers default to 0, strings to ''. */
const num = (v: number | undefined): number => v ?? 0;

export class StationTemplates {
  /** Line instances from the button template, in button order. */
  lines: number[] = [];
  speedDials: number[] = [];
  /** True once a ButtonTemplate covering totalButtonCount has been seen in this session. */
  buttonsComplete = false;
  private readonly buttons: Array<{ instance: number; definition: number }> = [];
  private readonly keys: TemplateKey[] = [];
  /** sets[setIndex][slot] = 1-based template index, 0 = empty slot. */
  private readonly sets: number[][] = [];

  /** Forget everything (a new registration may bring another template). */
  reset(): void {
    this.lines = []; this.speedDials = []; this.buttonsComplete = false;
    this.buttons.length = 0; this.keys.length = 0; this.sets.length = 0;
  }

  /** ButtonTemplate 0x0097: buttonOffset, buttonCount, totalButtonCount, buttons[42]. */
  applyButtonTemplate(f: ReceivedFieldsOf<'ButtonTemplate'>): void {
    const offset = num(f.buttonOffset);
    const count = num(f.buttonCount);
    const total = num(f.totalButtonCount);
    checkRange('ButtonTemplate', offset, count, total, BUTTONS_PER_MESSAGE, MAX_BUTTONS);
    const defs = f.buttons ?? [];
    for (let i = 0; i < Math.min(count, defs.length); i++) {
      this.buttons[offset + i] = { instance: num(defs[i]?.instanceNumber), definition: num(defs[i]?.buttonDefinition) };
    }
    // Dense up to MAX_BUTTONS (checked above), so this walk is bounded whatever the wire said.
    const present = this.buttons.filter((b) => b !== undefined);
    this.lines = present.filter((b) => b.definition === ButtonDefinition.Line).map((b) => b.instance);
    // BLF speed dial behaves like a speed dial for status requests (docs/sccp.md §4).
    this.speedDials = present
      .filter((b) => b.definition === ButtonDefinition.SpeedDial || b.definition === ButtonDefinition.BLFSpeedDial)
      .map((b) => b.instance);
    this.buttonsComplete = offset + count >= total;
  }

  /** SoftKeyTemplateRes 0x0108: softKeyOffset, softKeyCount, softKeys[32] {softKeyLabel, softKeyEvent}. */
  applySoftKeyTemplate(f: ReceivedFieldsOf<'SoftKeyTemplateRes'>, decodeLabel: (raw: string) => string): void {
    const offset = num(f.softKeyOffset);
    const count = num(f.softKeyCount);
    checkRange('SoftKeyTemplateRes', offset, count, num(f.totalSoftKeyCount), KEYS_PER_MESSAGE, MAX_KEYS);
    const defs = f.softKeys ?? [];
    for (let i = 0; i < Math.min(count, defs.length); i++) {
      this.keys[offset + i] = { label: decodeLabel(defs[i]?.softKeyLabel ?? ''), event: num(defs[i]?.softKeyEvent) };
    }
  }

  /** SoftKeySetRes 0x0109: softKeySetOffset, softKeySetCount, softKeySets[16] {softKeyTemplateIndex[16], ...}. */
  applySoftKeySets(f: ReceivedFieldsOf<'SoftKeySetRes'>): void {
    const offset = num(f.softKeySetOffset);
    const count = num(f.softKeySetCount);
    checkRange('SoftKeySetRes', offset, count, num(f.totalSoftKeySetCount), SETS_PER_MESSAGE, MAX_SETS);
    const defs = f.softKeySets ?? [];
    for (let i = 0; i < Math.min(count, defs.length); i++) {
      this.sets[offset + i] = (defs[i]?.softKeyTemplateIndex ?? []).map((v) => num(v));
    }
  }

  get haveSoftKeys(): boolean { return this.keys.length > 0 && this.sets.length > 0; }

  /**
   * Slots of set `setIndex` with labels and event codes from the template; slot i is enabled when
   * bit i of validKeyMask is set (SelectSoftKeys, docs/sccp.md §3). Trailing empty slots are cut.
   */
  resolve(setIndex: number, validKeyMask: number): SoftkeySlot[] {
    const set = this.sets[setIndex] ?? [];
    let last = -1;
    for (let i = 0; i < Math.min(set.length, SLOTS_PER_SET); i++) if ((set[i] ?? 0) !== 0) last = i;
    const out: SoftkeySlot[] = [];
    for (let i = 0; i <= last; i++) {
      const key = this.keys[(set[i] ?? 0) - 1]; // templateIndex is 1-based, 0 = empty
      const bit = (validKeyMask >>> i) & 1;
      out.push(key ? { label: key.label, event: key.event, enabled: bit === 1 } : { label: '', event: 0, enabled: false });
    }
    return out;
  }
}
