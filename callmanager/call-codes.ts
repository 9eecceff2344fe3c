/** Numeric codes the call core uses, and codec choice. */

/** SCCP media payload codes (docs/sccp.md §4 "Media payload codes"). */
export const CODEC_ULAW = 4;
export const CODEC_ALAW = 2;
/** SCCP media payload code for G.722 64k (docs/sccp.md §4 "Media payload codes"). */
export const CODEC_G722 = 6;

/** Names usable in the config's `server.codecs` allow list, mapped to SCCP payload codes (§4). */
export const CODEC_BY_NAME = { ulaw: CODEC_ULAW, alaw: CODEC_ALAW, g722: CODEC_G722 } as const;
export type CodecName = keyof typeof CODEC_BY_NAME;
/** Asterisk-like default allow list: G.711 µ-law first, as every 79xx does (docs/features.md §1). */
export const DEFAULT_CODECS: readonly CodecName[] = ['ulaw', 'alaw', 'g722'];

/** Soft-key event codes as put in our template (docs/sccp.md §4 "Soft key events"). */
export const SK = { Redial: 1, NewCall: 2, Hold: 3, Transfer: 4, CFwdAll: 5, BackSpace: 8, EndCall: 9,
  Resume: 10, Answer: 11, DND: 19, Dial: 21 } as const;
/** Stimulus codes (docs/sccp.md §4 "Stimulus"). */
export const STIM = { LastNumberRedial: 1, SpeedDial: 2, Hold: 3, Line: 9 } as const;

/**
 * The first codec of the allow list (`prefs`, the config's server.codecs) that both stations
 * advertised — how Asterisk picks from a line's `allow=` order (docs/sccp.md §5 "Media summary").
 */
export function pickCodec(a: readonly number[], b: readonly number[], prefs: readonly CodecName[] = DEFAULT_CODECS): number {
  if (a.length === 0 || b.length === 0) return CODEC_ULAW; // no CapabilitiesRes seen: G.711 is universal
  for (const name of prefs) {
    const code = CODEC_BY_NAME[name];
    if (a.includes(code) && b.includes(code)) return code;
  }
  return a.find((c) => b.includes(c)) ?? CODEC_ULAW;
}
