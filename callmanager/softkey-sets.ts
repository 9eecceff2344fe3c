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
  Connected: ['Hold', 'EndCall', 'Transfer', 'Confrn', 'Join', 'Park'],
  OnHold: ['Resume', 'NewCall', 'EndCall', 'Join'],
  RingIn: ['Answer', 'EndCall'],
  OffHook: ['Redial', 'EndCall', 'CFwdAll', 'MeetMe', 'CallBack'],
  ConnectedTransferable: ['Hold', 'EndCall', 'Transfer', 'Confrn'],
  DigitsFollowing: ['BackSpace', 'EndCall', 'Dial'],
  ConnectedConference: ['Hold', 'EndCall', 'Confrn', 'RmLstC'],
  /** Transfer completes a consult transfer while the target rings; CallBack is offered while busy plays (docs/features.md §2). */
  RingOut: ['EndCall', 'Transfer', 'CallBack'],
  OffHookWithFeatures: ['Redial', 'EndCall'],
};

/** The key names of set `set` for a device: its `softkeys` override, else the default. */
export function setKeys(dev: Pick<DeviceConfig, 'softkeys'>, set: SoftKeySetName): readonly string[] {
  return dev.softkeys?.[set] ?? DEFAULT_SETS[set];
}
