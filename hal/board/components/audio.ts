/**
 * `audio:`: the ALSA capture and playback PCMs of the handset audio (docs/board-config.md). No
 * driver here: the phone's media path opens them (src/node/hardware-phone.ts); `deskphone doctor`
 * checks that the names are listed.
 */
import type { z } from 'zod';
import type { Zod } from './common.js';

export const audioSchema = (z: Zod) => z.strictObject({
  /** ALSA PCM names as arecord/aplay take them ("hw:1,0", "plughw:CARD=Device", "default"). */
  capture: z.string().min(1),
  playback: z.string().min(1),
  /** G.711 and G.729 are 8 kHz; G.722 runs 16 kHz audio (RFC 3551 §4.5.2). */
  rate: z.union([z.literal(8000), z.literal(16000)]).default(8000),
});
export type AudioConfig = z.output<ReturnType<typeof audioSchema>>;
