/**
 * Shared zod pieces of the board-config schema (docs/board-config.md "Schema"), used by every
 * component's schema piece. Pieces are functions of the zod namespace, which schema.ts hands in:
 * schema.ts is the only board module that loads zod, so composing a board from an already checked
 * config (the phone, src/node/board-config-off-thread.ts) runs without it.
 */
import type { z as Z } from 'zod';

/** The zod namespace (`import { z } from 'zod'`), handed to schema pieces by schema.ts. */
export type Zod = typeof Z;

const I2C_RANGE = 'I2C address must be 0x08..0x77 (0x00-0x07 and 0x78-0x7F are reserved, UM10204 §3.1.12)';
/** 7-bit I2C address (I2C-bus specification UM10204 §3.1.11: 7-bit addressing). */
export const i2cAddress = (z: Zod) => z.number().int().min(0x08, I2C_RANGE).max(0x77, I2C_RANGE);
/** Linux I2C adapter number, /dev/i2c-N. */
export const busNumber = (z: Zod) => z.number().int().min(0).max(31);
export const ms = (z: Zod, def: number, max: number) => z.number().min(0).max(max).default(def);
export const id = (z: Zod) => z.string().regex(/^[A-Za-z_][\w-]*$/, 'ids are letters, digits, "_" and "-", starting with a letter');

export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
