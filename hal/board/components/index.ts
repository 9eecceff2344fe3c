/**
 * The board-component registry: every config entry type, in one list per section. schema.ts builds
 * the sections from these lists; checks.ts, compose-drivers.ts, emulated-board.ts, the doctor and
 * the simulator find a config entry's component here (displayOf, keypadOf, ...) instead of
 * switching on `type`. Adding a type = a component file + one line in its list below
 * (docs/architecture.md "Recipe: a board component").
 */
import type { z } from 'zod';
import { HalError } from '../../api/index.js';
import { pinSchema, type PinRef } from '../pins.js';
import { busNumber, i2cAddress, id, type Zod } from './common.js';
import { displayHd44780 } from './display-hd44780.js';
import { displaySsd1306 } from './display-ssd1306.js';
import { expanderMcp23017 } from './expander-mcp23017.js';
import { expanderPcf8574 } from './expander-pcf8574.js';
import { keypadHid } from './keypad-hid.js';
import { keypadMatrix } from './keypad-matrix.js';
import { ringerAudio, ringerGpioBuzzer, ringerHid } from './ringer.js';
import type { DisplayComponent, ExpanderComponent, KeypadComponent, RingerComponent } from './types.js';

export const DISPLAYS = [displayHd44780, displaySsd1306] as const;
export const KEYPADS = [keypadMatrix, keypadHid] as const;
export const RINGERS = [ringerGpioBuzzer, ringerAudio, ringerHid] as const;
export const EXPANDERS = [expanderMcp23017, expanderPcf8574] as const;

/** The config entry type of each section: the union of its components' schema outputs. */
type OutputOf<T extends readonly { schema(z: Zod): z.ZodType }[]> = z.output<ReturnType<T[number]['schema']>>;
export type DisplayConfig = OutputOf<typeof DISPLAYS>;
export type KeypadConfig = OutputOf<typeof KEYPADS>;
export type RingerConfig = OutputOf<typeof RINGERS>;
export type ExpanderType = (typeof EXPANDERS)[number]['type'];
export interface ExpanderConfig { id: string; type: ExpanderType; bus: number; address: number; interrupt?: PinRef | undefined }

/** The sections' schemas from the registry: one discriminated union per list (schema.ts, which loads zod). */
export function sectionSchemas(z: Zod) {
  const union = <T extends readonly { schema(z: Zod): z.ZodType }[]>(cs: T) =>
    z.discriminatedUnion('type', cs.map((c) => c.schema(z)) as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<OutputOf<T>>;
  const expanderTypes = EXPANDERS.map((e) => e.type) as [ExpanderType, ...ExpanderType[]];
  return {
    display: union(DISPLAYS), keypad: union(KEYPADS), ringer: union(RINGERS),
    expander: z.strictObject({
      id: id(z), type: z.enum(expanderTypes), bus: busNumber(z), address: i2cAddress(z),
      /** Optional interrupt output (MCP23017 INTA, PCF8574 /INT) wired to a header GPIO. */
      interrupt: pinSchema(z).optional(),
    }),
  };
}

function find<T extends { type: string }>(list: readonly T[], section: string, type: string): T {
  const c = list.find((x) => x.type === type);
  if (!c) throw new HalError('INVALID', `no ${section} component "${type}"`, { device: section, operation: 'find board component', hint: `known: ${list.map((x) => x.type).join(', ')}` });
  return c;
}
/* The casts below are where a config entry meets its component: the registry lists each type once. */
export const displayOf = (d: DisplayConfig): DisplayComponent<DisplayConfig> => find(DISPLAYS, 'display', d.type) as unknown as DisplayComponent<DisplayConfig>;
export const keypadOf = (k: KeypadConfig): KeypadComponent<KeypadConfig> => find(KEYPADS, 'keypad', k.type) as unknown as KeypadComponent<KeypadConfig>;
export const ringerOf = (r: RingerConfig): RingerComponent<RingerConfig> => find(RINGERS, 'ringer', r.type) as unknown as RingerComponent<RingerConfig>;
export const expanderOf = (type: string): ExpanderComponent => find(EXPANDERS, 'expander', type);

/** Line offset of `pin` on an expander of `type`, or undefined when that expander has no such pin. */
export function expanderPinOffset(type: string, pin: string): number | undefined {
  const i = expanderOf(type).pins.indexOf(pin.toUpperCase());
  return i < 0 ? undefined : i;
}

export { hidDeviceSchema } from './hid.js';
export { hookSwitch, switchSchema, type SwitchControls } from './hook.js';
export { lamps, HID_LEDS, LAMP_NAMES } from './lamps.js';
export { softkeys } from './softkeys.js';
export { audioSchema } from './audio.js';
export { KEY_NAMES } from './keys.js';
export type * from './types.js';
