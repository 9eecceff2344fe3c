/**
 * The three templates a CM hands a station after registration (docs/sccp.md §3): the button
 * template (which physical button is a line, a speed dial ...), the softkey template (label and
 * event code per key) and the softkey sets (which template keys appear in which slot for a call
 * state). Each may arrive in several pieces (offset/count/total), so entries are stored by
 * absolute index. Pure data: no I/O, no timers.
 */
import type { SoftkeySlot } from '../station/signalling.js';

/** ButtonTemplate.buttonDefinition values = stimulus numbers (docs/sccp.md §4). */
export const BUTTON_SPEEDDIAL = 0x02;
export const BUTTON_LINE = 0x09;
/** 0x15 BLF speed dial behaves like a speed dial for status requests (docs/sccp.md §4). */
export const BUTTON_BLF_SPEEDDIAL = 0x15;

/** Slots per softkey set: u8 softKeyTemplateIndex[16] (docs/sccp.md §3, SoftKeySetRes). */
export const SLOTS_PER_SET = 16;

export interface TemplateKey { label: string; event: number }

type Fields = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): Fields[] => (Array.isArray(v) ? (v as Fields[]) : []);

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
  applyButtonTemplate(f: Fields): void {
    const offset = num(f.buttonOffset);
    const count = num(f.buttonCount);
    const total = num(f.totalButtonCount);
    const defs = arr(f.buttons);
    for (let i = 0; i < Math.min(count, defs.length); i++) {
      this.buttons[offset + i] = { instance: num(defs[i]?.instanceNumber), definition: num(defs[i]?.buttonDefinition) };
    }
    const present = this.buttons.filter((b) => b !== undefined);
    this.lines = present.filter((b) => b.definition === BUTTON_LINE).map((b) => b.instance);
    this.speedDials = present
      .filter((b) => b.definition === BUTTON_SPEEDDIAL || b.definition === BUTTON_BLF_SPEEDDIAL)
      .map((b) => b.instance);
    this.buttonsComplete = offset + count >= total;
  }

  /** SoftKeyTemplateRes 0x0108: softKeyOffset, softKeyCount, softKeys[32] {softKeyLabel, softKeyEvent}. */
  applySoftKeyTemplate(f: Fields, decodeLabel: (raw: string) => string): void {
    const offset = num(f.softKeyOffset);
    const count = num(f.softKeyCount);
    const defs = arr(f.softKeys);
    for (let i = 0; i < Math.min(count, defs.length); i++) {
      this.keys[offset + i] = { label: decodeLabel(str(defs[i]?.softKeyLabel)), event: num(defs[i]?.softKeyEvent) };
    }
  }

  /** SoftKeySetRes 0x0109: softKeySetOffset, softKeySetCount, softKeySets[16] {softKeyTemplateIndex[16], ...}. */
  applySoftKeySets(f: Fields): void {
    const offset = num(f.softKeySetOffset);
    const count = num(f.softKeySetCount);
    const defs = arr(f.softKeySets);
    for (let i = 0; i < Math.min(count, defs.length); i++) {
      const idx = defs[i]?.softKeyTemplateIndex;
      this.sets[offset + i] = Array.isArray(idx) ? idx.map(num) : [];
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
