/**
 * The templates the CM hands a station after registration (docs/sccp.md §3 ButtonTemplate,
 * SoftKeyTemplateRes, SoftKeySetRes): which button is a line or a speed dial, the soft-key
 * template (label + event code) and the soft-key sets per call state (docs/features.md §2).
 */
import { SoftKeyEvent, SoftKeySet } from '../../firmware/sccp/enums.js';
import { LABEL_PREFIX } from '../../firmware/sccp/labels.js';
import type { DeviceConfig } from '../config.js';
import type { SoftKeySetName } from '../station.js';
import { setKeys } from '../softkey-sets.js';

/** Soft-key set numbers = softKeySetIndex (docs/sccp.md §4 "Soft key sets", firmware/sccp/enums.ts). */
export const SET_INDEX: Readonly<Record<SoftKeySetName, number>> = {
  OnHook: SoftKeySet.OnHook, Connected: SoftKeySet.Connected, OnHold: SoftKeySet.OnHold, RingIn: SoftKeySet.RingIn,
  OffHook: SoftKeySet.OffHook, ConnectedTransferable: SoftKeySet.ConnectedTransferable,
  DigitsFollowing: SoftKeySet.DigitsFollowing, ConnectedConference: SoftKeySet.ConnectedConference,
  RingOut: SoftKeySet.RingOut, OffHookWithFeatures: SoftKeySet.OffHookWithFeatures,
};

/**
 * The 22-key template, chan_skinny-like: template index i+1 carries event code i+1
 * (docs/sccp.md §4 "Soft key events"). Keys 1..18 use the station's localised phrase
 * "\x80"+code (same numbering as the events, as Asterisk sends); the 3 Asterisk additions have
 * no phrase code, so they get short plain labels (≤ 7 characters, like the phrase texts).
 * RmLstC (template index 22) carries its phrase code 0x39 as event, as CUCM does (docs/sccp.md §4).
 */
export const SOFTKEY_TEMPLATE: ReadonlyArray<{ name: string; label: string; event: number }> = [
  'Redial', 'NewCall', 'Hold', 'Transfer', 'CFwdAll', 'CFwdBusy', 'CFwdNoAnswer', 'BackSpace', 'EndCall', 'Resume',
  'Answer', 'Info', 'Confrn', 'Park', 'Join', 'MeetMe', 'PickUp', 'GPickUp',
].map((name, i) => ({ name, label: String.fromCharCode(LABEL_PREFIX, i + 1), event: i + 1 }))
  .concat([{ name: 'DND', label: 'DND', event: 19 }, { name: 'iDivert', label: 'iDivert', event: 20 },
    { name: 'Dial', label: 'Dial', event: 21 },
    { name: 'RmLstC', label: String.fromCharCode(LABEL_PREFIX, SoftKeyEvent.RmLstC), event: SoftKeyEvent.RmLstC },

    // Ours, not Asterisk's: callback at busy (docs/sccp.md §4 "Soft key events", docs/features.md §2).
    { name: 'CallBack', label: 'CallBack', event: SoftKeyEvent.CallBack }]);

/** SoftKeySetRes holds 16 sets of 16 slots (docs/sccp.md §3). */
const SETS = 16;
const SLOTS = 16;
/** Asterisk puts softKeyInfoIndex = 300 + templateIndex (docs/sccp.md §3 SoftKeySetRes). */
const INFO_INDEX_BASE = 300;

export interface DeviceSets { sets: number[][]; masks: number[] }

/** Template indexes (1-based) per set for a device, with its config overrides applied. */
export function deviceSets(dev: Pick<DeviceConfig, 'softkeys'>): DeviceSets {
  const sets: number[][] = [];
  const masks: number[] = [];
  for (let s = 0; s < SETS; s++) { sets.push([]); masks.push(0); }
  for (const [name, idx] of Object.entries(SET_INDEX) as [SoftKeySetName, number][]) {
    const keys = setKeys(dev, name);
    const row = keys.map((k) => SOFTKEY_TEMPLATE.findIndex((t) => t.name === k) + 1).filter((i) => i > 0).slice(0, SLOTS);
    sets[idx] = row;
    masks[idx] = row.length === 0 ? 0 : (1 << row.length) - 1; // bit i = slot i enabled (§3 SelectSoftKeys)
  }
  return { sets, masks };
}

export function softKeyTemplateFields() {
  const softKeys = SOFTKEY_TEMPLATE.map((k) => ({ softKeyLabel: k.label, softKeyEvent: k.event }));
  return { softKeyOffset: 0, softKeyCount: softKeys.length, totalSoftKeyCount: softKeys.length, softKeys };
}

export function softKeySetFields(ds: DeviceSets) {
  const softKeySets = ds.sets.map((row) => {
    const softKeyTemplateIndex = new Array<number>(SLOTS).fill(0);
    const softKeyInfoIndex = new Array<number>(SLOTS).fill(0);
    row.forEach((t, i) => { softKeyTemplateIndex[i] = t; softKeyInfoIndex[i] = INFO_INDEX_BASE + t; });
    return { softKeyTemplateIndex, softKeyInfoIndex };
  });
  return { softKeySetOffset: 0, softKeySetCount: SETS, totalSoftKeySetCount: SETS, softKeySets };
}

/** Programmable buttons per device type, as Asterisk builds them (docs/sccp.md §4 "Device types"). */
export function buttonSlots(deviceType: number): number | undefined {
  if ([7, 30018, 404, 436].includes(deviceType)) return 6; // 7960/7961/7962/7965
  if ([8, 115, 434, 435].includes(deviceType)) return 2; // 7940/7941/7942/7945
  if ([30006, 119, 437, 30016].includes(deviceType)) return 8; // 7970/7971/7975/CIPC
  if ([307, 30007, 20000, 369, 6].includes(deviceType)) return 1; // 7911/7912/7905/7906/7910: one line
  return undefined;
}

/** ButtonTemplate button definitions (docs/sccp.md §4): 0x09 Line, 0x02 SpeedDial. */
const BT_LINE = 0x09;
const BT_SPEEDDIAL = 0x02;
/** ButtonTemplate has 42 slots (docs/sccp.md §3). */
const BUTTON_ARRAY = 42;

/** Lines first, then speed dials, limited to the device type's programmable buttons. */
export function buttonTemplateFields(dev: Pick<DeviceConfig, 'lines' | 'speeddials' | 'type'>) {
  const limit = Math.min(buttonSlots(dev.type) ?? BUTTON_ARRAY, BUTTON_ARRAY);
  const used: { instanceNumber: number; buttonDefinition: number }[] = [];
  dev.lines.forEach((_, i) => used.push({ instanceNumber: i + 1, buttonDefinition: BT_LINE }));
  dev.speeddials.forEach((_, i) => used.push({ instanceNumber: i + 1, buttonDefinition: BT_SPEEDDIAL }));
  const buttons = used.slice(0, limit);
  const count = buttons.length;
  while (buttons.length < BUTTON_ARRAY) buttons.push({ instanceNumber: 0, buttonDefinition: 0 });
  return { buttonOffset: 0, buttonCount: count, totalButtonCount: count, buttons };
}
