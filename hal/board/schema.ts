/**
 * The board-config schema: which SoC board, which I2C buses and expanders, and how the display,
 * keypad, hook switch, lamps, ringer and audio are wired. One zod schema; semantic checks that
 * need the whole board (pin used twice, address collisions, pins not on the header) live in
 * checks.ts. Documented in docs/board-config.md.
 */
import { z } from 'zod';
import { pinSchema } from './pins.js';

/** 7-bit I2C address (I2C-bus specification UM10204 §3.1.11: 7-bit addressing). */
const i2cAddress = z.number().int().min(0x08, 'I2C address must be 0x08..0x77 (0x00-0x07 and 0x78-0x7F are reserved, UM10204 §3.1.12)')
  .max(0x77, 'I2C address must be 0x08..0x77 (0x00-0x07 and 0x78-0x7F are reserved, UM10204 §3.1.12)');
/** Linux I2C adapter number, /dev/i2c-N. */
const busNumber = z.number().int().min(0).max(31);
const ms = (def: number, max: number) => z.number().min(0).max(max).default(def);
const id = z.string().regex(/^[A-Za-z_][\w-]*$/, 'ids are letters, digits, "_" and "-", starting with a letter');

export const MODELS = ['pi4', 'pi3b+', 'pi5', 'pi-zero-2w', 'laptop'] as const;
export type BoardModel = (typeof MODELS)[number];

/**
 * HD44780 behind a PCF8574 "backpack": which expander bit drives which LCD signal. Default is the
 * common YwRobot/LCM1602 backpack wiring (RS=P0, RW=P1, E=P2, backlight=P3, D4..D7=P4..P7).
 */
const backpackPin = z.enum(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7']);
const backpack = z.strictObject({
  rs: backpackPin.default('P0'), rw: backpackPin.default('P1'), e: backpackPin.default('P2'),
  backlight: backpackPin.default('P3'),
  d4: backpackPin.default('P4'), d5: backpackPin.default('P5'), d6: backpackPin.default('P6'), d7: backpackPin.default('P7'),
});
export type BackpackPins = z.output<typeof backpack>;

const hd44780 = z.strictObject({
  type: z.literal('hd44780'),
  bus: busNumber,
  /** 0x27 = PCF8574 with A2..A0 high, the usual backpack default. */
  address: i2cAddress.default(0x27),
  /** HD44780U datasheet: DDRAM holds 80 characters; common modules are 8x1..40x2, 16x2, 20x4. */
  cols: z.number().int().min(8).max(40).default(20),
  rows: z.union([z.literal(1), z.literal(2), z.literal(4)]).default(4),
  pins: backpack.prefault({}),
});

const ssd1306 = z.strictObject({
  type: z.literal('ssd1306'),
  bus: busNumber,
  /** SSD1306 datasheet §8.1.5: slave address 0b011110 SA0 → 0x3C or 0x3D. */
  address: z.union([z.literal(0x3c), z.literal(0x3d)]).default(0x3c),
  /** SSD1306 §7.7: GDDRAM is 128 x 64 bits; 128x32 modules use half of it. */
  width: z.literal(128).default(128),
  height: z.union([z.literal(64), z.literal(32)]).default(64),
});

const display = z.discriminatedUnion('type', [hd44780, ssd1306]);

const matrixKeypad = z.strictObject({
  type: z.literal('matrix'),
  /** Row lines are driven (active low), column lines are read with pull-ups. */
  rows: z.array(pinSchema).min(1).max(8),
  cols: z.array(pinSchema).min(1).max(8),
  /** keys[r][c] is the key at row r, column c; "" marks an unpopulated position. */
  keys: z.array(z.array(z.string())),
  scanMs: ms(10, 100),
  debounceMs: ms(20, 500),
});
const hidKeypad = z.strictObject({
  type: z.literal('hid'),
  /** Id of an entry under `hid:`. */
  device: id,
});
const keypad = z.discriminatedUnion('type', [matrixKeypad, hidKeypad]);

/** A debounced two-state input: a GPIO/expander pin, or a HID telephony usage. */
const switchInput = z.strictObject({
  pin: pinSchema.optional(),
  hid: id.optional(),
  /** Hook switches usually close to ground: off-hook reads low. */
  activeLow: z.boolean().default(true),
  debounceMs: ms(30, 1000),
}).refine((v) => (v.pin === undefined) !== (v.hid === undefined), { message: 'give exactly one of "pin" or "hid"' });

/** HID LED usages a lamp may map to (HUT 1.12 LED page 0x08). */
export const HID_LEDS = ['mute', 'off-hook', 'ring', 'message', 'speaker', 'headset', 'hold', 'microphone'] as const;
const lamp = z.strictObject({
  pin: pinSchema.optional(),
  hid: id.optional(),
  led: z.enum(HID_LEDS).optional(),
  activeLow: z.boolean().default(false),
}).refine((v) => (v.pin === undefined) !== (v.hid === undefined), { message: 'give exactly one of "pin" or "hid"' })
  .refine((v) => v.hid === undefined || v.led !== undefined, { message: 'a HID lamp needs "led" (one of the LED usages)', path: ['led'] });

const ringer = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('gpio-buzzer'), pin: pinSchema, activeLow: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('audio'), device: z.string().optional() }),
  z.strictObject({ type: z.literal('hid'), device: id }),
]);

const softkeys = z.strictObject({
  count: z.number().int().min(0).max(8).default(4),
  /** Optional direct buttons, one pin each; otherwise softkey1..N must be keypad keys. */
  buttons: z.array(pinSchema).optional(),
  activeLow: z.boolean().default(true),
  debounceMs: ms(20, 500),
});

const audio = z.strictObject({
  /** ALSA PCM names as arecord/aplay take them ("hw:1,0", "plughw:CARD=Device", "default"). */
  capture: z.string().min(1),
  playback: z.string().min(1),
  /** G.711 and G.729 are 8 kHz; G.722 runs 16 kHz audio (RFC 3551 §4.5.2). */
  rate: z.union([z.literal(8000), z.literal(16000)]).default(8000),
});

const hidDevice = z.strictObject({
  id,
  vendorId: z.number().int().min(0).max(0xffff).optional(),
  productId: z.number().int().min(0).max(0xffff).optional(),
  /** Telephony usage page 0x0B (HUT 1.12 §14) finds handsets without knowing the ids. */
  usagePage: z.number().int().min(0).max(0xffff).optional(),
  product: z.string().optional(),
}).refine((v) => v.vendorId !== undefined || v.usagePage !== undefined || v.product !== undefined,
  { message: 'a HID device needs something to match on: vendorId/productId, usagePage or product' });

export const boardSchema = z.strictObject({
  board: z.strictObject({ model: z.enum(MODELS), name: z.string().min(1) }),
  i2c: z.array(z.strictObject({
    bus: busNumber,
    /** Standard mode 100 kHz / fast mode 400 kHz (UM10204 §3.1). */
    speedHz: z.union([z.literal(100_000), z.literal(400_000)]).default(100_000),
  })).default([]),
  expanders: z.array(z.strictObject({
    id, type: z.enum(['mcp23017', 'pcf8574']), bus: busNumber, address: i2cAddress,
    /** Optional interrupt output (MCP23017 INTA, PCF8574 /INT) wired to a header GPIO. */
    interrupt: pinSchema.optional(),
  })).default([]),
  display,
  keypad,
  softkeys: softkeys.prefault({}),
  hook: switchInput,
  headsetDetect: switchInput.optional(),
  lamps: z.record(z.string(), lamp).default({}),
  ringer,
  audio: audio.optional(),
  hid: z.array(hidDevice).default([]),
});

export type BoardConfig = z.output<typeof boardSchema>;
export type DisplayConfig = BoardConfig['display'];
export type KeypadConfig = BoardConfig['keypad'];
export type SwitchConfig = BoardConfig['hook'];
export type LampConfig = BoardConfig['lamps'][string];
export type RingerConfig = BoardConfig['ringer'];
