/**
 * SCCP station input → the call core's neutral inputs (callmanager/inputs.ts): KeypadButton codes
 * to keypad characters, SoftKeyEvent codes (our template, templates.ts) to soft key names,
 * Stimulus (docs/sccp.md §4 "Stimulus") to line / speed dial / redial / hold buttons, and the
 * capability payload codes of CapabilitiesRes to codec registry names (through SCCP's one codec
 * table, firmware/sccp/codecs.ts).
 */
import type { CodecName } from '../../firmware/media/codecs.js';
import { codecNameOf, compressionTypeOf as sccpCompressionTypeOf, supportedCompressionTypes, type CompressionType } from '../../firmware/sccp/codecs.js';
import { keypadChar, Stimulus } from '../../firmware/sccp/enums.js';
import type { CallCore } from '../calls.js';
import { keypadKey, SOFTKEY_BY_CONFIG_NAME, type KeypadKey, type SoftKeyName } from '../inputs.js';
import { SOFTKEY_TEMPLATE } from './templates.js';

/** KeypadButton.kpButton (§4 "Keypad": 0-9, 10-13 A-D, 14 *, 15 #) → key; 16 '+' and unknown codes → undefined. */
export function keypadKeyOf(kpButton: number): KeypadKey | undefined {
  const ch = keypadChar(kpButton);
  return ch === undefined ? undefined : keypadKey(ch);
}

/** SoftKeyEvent.softKeyEvent → soft key name, by the template we sent (templates.ts SOFTKEY_TEMPLATE). */
export function softKeyOf(event: number): SoftKeyName | undefined {
  const t = SOFTKEY_TEMPLATE.find((k) => k.event === event);
  return t ? SOFTKEY_BY_CONFIG_NAME[t.name as keyof typeof SOFTKEY_BY_CONFIG_NAME] : undefined;
}

/** The soft key event code our template gives `key` (the inverse of softKeyOf). */
export function softKeyEventOf(key: SoftKeyName): number | undefined {
  return SOFTKEY_TEMPLATE.find((k) => SOFTKEY_BY_CONFIG_NAME[k.name as keyof typeof SOFTKEY_BY_CONFIG_NAME] === key)?.event;
}

/** CapabilitiesRes payloadCapability codes (§4 "Media payload codes") → codecs of the registry; unknown codes dropped. */
export function codecsOf(payloadCapabilities: readonly number[]): CodecName[] {
  const out: CodecName[] = [];
  for (const p of payloadCapabilities) { const n = codecNameOf(p); if (n && !out.includes(n)) out.push(n); }
  return out;
}

/** A codec registry name → SCCP compressionType (§4 "Media payload codes"); throws for a codec SCCP has no code for. */
export function compressionTypeOf(codec: CodecName): CompressionType {
  const t = sccpCompressionTypeOf(codec);
  if (t === undefined) {
    throw new Error(`SCCP: codec ${codec} has no compressionType (known: ${supportedCompressionTypes()}); add it to firmware/sccp/codecs.ts`);
  }
  return t;
}

export type SccpInputCore = Pick<CallCore, 'keypad' | 'softkey' | 'lineButton' | 'speedDial' | 'holdButton' | 'notAvailable'>;

/** Feeds one SCCP input to the core: KeypadButton, SoftKeyEvent or Stimulus. Unknown codes get "Not available" or are ignored. */
export const sccpInput = {
  keypad(core: SccpInputCore, dev: string, kpButton: number): void {
    const key = keypadKeyOf(kpButton);
    if (key !== undefined) core.keypad(dev, key);
  },
  /** `ref`: SoftKeyEvent.callReference, the call the key is for (0 = none). */
  softKey(core: SccpInputCore, dev: string, event: number, line: number, ref = 0): void {
    const key = softKeyOf(event);
    if (key) core.softkey(dev, key, line, ref);
    else core.notAvailable(dev, `soft key event ${event}`);
  },
  stimulus(core: SccpInputCore, dev: string, stimulus: number, instance: number): void {
    switch (stimulus) {
      case Stimulus.Line: return core.lineButton(dev, instance);
      case Stimulus.LastNumberRedial: return core.softkey(dev, 'redial', 0);
      case Stimulus.SpeedDial: return core.speedDial(dev, instance);
      case Stimulus.Hold: return core.holdButton(dev);
      default: // other feature buttons are not bound (as before: ignored)
    }
  },
};
