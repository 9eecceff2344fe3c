/**
 * The board-config schema: which SoC board, which I2C buses and expanders, and how the display,
 * keypad, hook switch, lamps, ringer and audio are wired. One zod schema assembled from the
 * components' schema pieces (components/index.ts), which are functions of the zod namespace: this
 * is the one board module that loads zod (a phone composing an already checked config does not);
 * semantic checks that need the whole board
 * (pin used twice, address collisions, pins not on the header) live in checks.ts. Documented in
 * docs/board-config.md.
 */
import { z } from 'zod';
import { audioSchema, hidDeviceSchema, lamps, sectionSchemas, softkeys, switchSchema } from './components/index.js';
import { busNumber } from './components/common.js';

export const MODELS = ['pi4', 'pi3b+', 'pi5', 'pi-zero-2w', 'laptop'] as const;
export type BoardModel = (typeof MODELS)[number];

export { HID_LEDS } from './components/index.js';
export type { BackpackPins } from './components/display-hd44780.js';

const sections = sectionSchemas(z);
const switchPiece = switchSchema(z);

export const boardSchema = z.strictObject({
  board: z.strictObject({ model: z.enum(MODELS), name: z.string().min(1) }),
  i2c: z.array(z.strictObject({
    bus: busNumber(z),
    /** Standard mode 100 kHz / fast mode 400 kHz (UM10204 §3.1). */
    speedHz: z.union([z.literal(100_000), z.literal(400_000)]).default(100_000),
  })).default([]),
  expanders: z.array(sections.expander).default([]),
  display: sections.display,
  keypad: sections.keypad,
  softkeys: softkeys.schema(z).prefault({}),
  hook: switchPiece,
  headsetDetect: switchPiece.optional(),
  lamps: lamps.schema(z),
  ringer: sections.ringer,
  audio: audioSchema(z).optional(),
  hid: z.array(hidDeviceSchema(z)).default([]),
});

export type BoardConfig = z.output<typeof boardSchema>;
export type DisplayConfig = BoardConfig['display'];
export type KeypadConfig = BoardConfig['keypad'];
export type SwitchConfig = BoardConfig['hook'];
export type LampConfig = BoardConfig['lamps'][string];
export type RingerConfig = BoardConfig['ringer'];
