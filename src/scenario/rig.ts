/**
 * What the scenario runner needs of a phone: physical actions and physical observations.
 * The emulated rig (src/scenario/emulated-rig.ts) implements it over the device emulators; a
 * hardware-in-the-loop rig implements it over the rig agent or the test host's wires (src/rig/, docs/hil.md).
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { HeardTone, PlannedTone } from './hearing.js';
import type { MusicVerdict } from './music.js';

/**
 * A board that analyses its own earpiece (the rig agent, docs/hil.md): the runner asks it these
 * questions instead of fetching the samples and analysing them itself.
 */
export interface OnBoardHearing {
  /** Which planned tone was heard over the last `windowMs`. */
  tone(windowMs: number): Promise<HeardTone>;
  /** Whether all of `freqs` are present in the last `ms`. */
  present(freqs: readonly number[], ms: number): Promise<boolean>;
  /** The frequencies heard in the last 200 ms, for a failure report. */
  describe(extra: readonly number[]): Promise<string>;
  /** Whether the last `ms` is music on hold (src/scenario/music.ts); `exclude` = the phones' mic tones. */
  music(exclude: readonly number[], ms: number): Promise<MusicVerdict>;
}

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
  receiveCodec(): string | undefined | Promise<string | undefined>;
  /** Stops the phone as its owner would (Ctrl-C, SIGTERM) and starts it again (a power cycle). */
  restart(): Promise<void>;
  /** Set when the earpiece is analysed on the board; the runner then never calls heard(). */
  readonly hearing?: OnBoardHearing;
  /** True when ringer() knows the driver's command, so "off" needs no wait for a cadence gap. */
  readonly ringerOffIsImmediate?: boolean;
  /** How much later an observation arrives than it happened (network, polling): added to every wait. */
  readonly latencyMs?: number;
}

export interface ScenarioRig {
  phones: ReadonlyMap<string, PhoneUnderTest>;
  /** `restart: callmanager`: stops the call manager and starts it again (only rigs that run it). */
  restartCallManager?(): Promise<void>;
  close(): Promise<void>;
}
