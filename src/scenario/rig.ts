/**
 * What the scenario runner needs of a phone: physical actions and physical observations.
 * The emulated rig (src/scenario/emulated-rig.ts) implements it over the device emulators; a
 * hardware-in-the-loop rig would implement it with relays, a camera and a microphone.
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';

export interface PhoneUnderTest {
  readonly name: string;
  /** Frequency of the tone this phone's microphone sends (to recognise it at the far end). */
  readonly micFrequency: number;
  lift(): Promise<void>;
  replace(): Promise<void>;
  /** Presses and releases one key: '0'-'9', '*', '#', 'A'-'D', 'softkey1'.., 'line1'.. */
  tap(key: string): Promise<void>;
  /** What the LCD shows, one string per row. */
  lcd(): string[];
  softkeyCount(): number;
  lamps(): Record<string, LampMode>;
  ringer(): RingMode;
  /** The last `ms` of what the speaker/handset played, and its sample rate. */
  heard(ms: number): { samples: Int16Array; sampleRate: number };
  /** Codec of the phone's current (newest) receive stream, 'PCMU' | 'PCMA' | 'G722'; undefined when none is open. */
  receiveCodec(): string | undefined;
  /** Stops the phone as its owner would (Ctrl-C, SIGTERM) and starts it again (a power cycle). */
  restart(): Promise<void>;
}

export interface ScenarioRig {
  phones: ReadonlyMap<string, PhoneUnderTest>;
  close(): Promise<void>;
}
