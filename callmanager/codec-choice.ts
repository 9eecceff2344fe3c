/**
 * Codec choice for a call. The core names codecs by their codec registry name
 * (firmware/media/codecs.ts: 'PCMU' | 'PCMA' | 'G722'); each protocol half maps those to its own
 * codes (SCCP compressionType in sccp/, SSCP codec names in sscp-server/).
 */
import type { CodecName } from '../firmware/media/codecs.js';

export type { CodecName };
/** Names of the config's `server.codecs` allow list → registry names. */
export const CODEC_BY_CONFIG_NAME = { ulaw: 'PCMU', alaw: 'PCMA', g722: 'G722' } as const satisfies Record<string, CodecName>;
export type CodecConfigName = keyof typeof CODEC_BY_CONFIG_NAME;
/** Registry name → config name (the inverse of CODEC_BY_CONFIG_NAME); also what the CM's own media endpoints take (media/leg.ts LegCodecName). */
export const CONFIG_NAME_BY_CODEC: Readonly<Record<CodecName, CodecConfigName>> = { PCMU: 'ulaw', PCMA: 'alaw', G722: 'g722' };
/** Asterisk-like default allow list: G.711 µ-law first, as every 79xx does (docs/features.md §1). */
export const DEFAULT_CODECS: readonly CodecConfigName[] = ['ulaw', 'alaw', 'g722'];

/**
 * The first codec of the allow list (`prefs`, the config's server.codecs) that both stations
 * advertised — how Asterisk picks from a line's `allow=` order (docs/sccp.md §5 "Media summary").
 */
export function pickCodec(a: readonly CodecName[], b: readonly CodecName[], prefs: readonly CodecConfigName[] = DEFAULT_CODECS): CodecName {
  if (a.length === 0 || b.length === 0) return 'PCMU'; // no capabilities seen: G.711 is universal
  for (const name of prefs) {
    const codec = CODEC_BY_CONFIG_NAME[name];
    if (a.includes(codec) && b.includes(codec)) return codec;
  }
  return a.find((c) => b.includes(c)) ?? 'PCMU';
}
