/**
 * Which soft keys each call-state set offers (protocol-neutral: config soft key names of config.ts
 * SOFTKEY_NAMES). Each protocol half renders a set with its own codes and labels
 * (sccp/templates.ts, sscp-server/commands.ts).
 */
import type { DeviceConfig } from './config.js';
import type { SoftKeyConfigName } from './inputs.js';
import type { SoftKeySetName } from './station.js';

/** Default sets (docs/features.md §2, chan-sccp built-in defaults trimmed to what this CM implements). */
export const DEFAULT_SETS: Readonly<Record<SoftKeySetName, readonly SoftKeyConfigName[]>> = {
  OnHook: ['Redial', 'NewCall', 'CFwdAll', 'DND'],
  Connected: ['Hold', 'EndCall', 'Transfer', 'Park'],
  OnHold: ['Resume', 'NewCall', 'EndCall'],
  RingIn: ['Answer', 'EndCall'],
  OffHook: ['Redial', 'EndCall', 'CFwdAll', 'CallBack'],
  ConnectedTransferable: ['Hold', 'EndCall', 'Transfer'],
  DigitsFollowing: ['BackSpace', 'EndCall', 'Dial'],
  ConnectedConference: ['Hold', 'EndCall'],
  RingOut: ['EndCall', 'CallBack'],
  OffHookWithFeatures: ['Redial', 'EndCall'],
};

/** The key names of set `set` for a device: its `softkeys` override, else the default. */
export function setKeys(dev: Pick<DeviceConfig, 'softkeys'>, set: SoftKeySetName): readonly string[] {
  return dev.softkeys?.[set] ?? DEFAULT_SETS[set];
}
