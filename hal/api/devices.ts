/**
 * Device-level interfaces the firmware uses. Drivers implement them on top of the bus-level
 * interfaces (gpio.ts, i2c.ts, hid.ts, pcm.ts); the firmware never sees a bus.
 */

/** A character display (HD44780) or a graphic one rendering text (SSD1306). */
export interface TextDisplay {
  readonly name: string;
  readonly cols: number;
  readonly rows: number;
  /** Power-on initialisation; safe to call again after the device was unplugged. */
  init(): Promise<void>;
  /** Shows exactly these rows (padded/truncated to cols). Drivers send only what changed. */
  show(lines: readonly string[]): Promise<void>;
  /** Icons as custom characters; `glyph` is 8 rows of 5 bits (HD44780 CGRAM layout). */
  defineGlyph?(slot: number, glyph: readonly number[]): Promise<void>;
  setBacklight(on: boolean): Promise<void>;
}

/** Keys: digits '0'-'9', '*', '#', 'A'-'D', and named keys ('softkey1'..'softkey4', 'line1', 'hold', ...). */
export type KeyName = string;
export interface Keypad {
  readonly name: string;
  onKey(cb: (key: KeyName, down: boolean) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface HookSwitch {
  readonly name: string;
  /** Debounced state. */
  isOffHook(): boolean;
  onChange(cb: (offHook: boolean) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** SCCP lamp modes (docs/sccp.md §4: 1 Off, 2 On, 3 Wink, 4 Flash, 5 Blink). */
export type LampMode = 'off' | 'on' | 'wink' | 'flash' | 'blink';
export interface Lamp {
  readonly name: string;
  set(mode: LampMode): void;
  readonly mode: LampMode;
}

/** SCCP ringer modes (docs/sccp.md §4: 1 RingOff, 2 InsideRing, 3 OutsideRing, 4 FeatureRing, 5 FlashOnly). */
export type RingMode = 'off' | 'inside' | 'outside' | 'feature' | 'flash';
export interface Ringer {
  readonly name: string;
  /** `once`: ring a single cadence cycle (SCCP ringDuration 2). */
  ring(mode: RingMode, once?: boolean): void;
  readonly mode: RingMode;
}

/** Everything the phone application needs from a board, as composed from its board config. */
export interface PhoneHardware {
  display: TextDisplay;
  keypad: Keypad;
  hook: HookSwitch;
  headsetDetect?: HookSwitch;
  lamps: Readonly<Record<string, Lamp>>; // 'line1', 'line2', 'message', 'speaker', 'mute', ...
  ringer: Ringer;
  /** Softkeys are keys under the display; their count sets the label layout. */
  softkeyCount: number;
}
