/** Numeric codes the call core uses, and codec choice. */

/** SCCP media payload codes (sccp-facts.md §4 "Media payload codes"). */
export const CODEC_ULAW = 4;
export const CODEC_ALAW = 2;

/** Soft-key event codes as put in our template (sccp-facts.md §4 "Soft key events"). */
export const SK = { Redial: 1, NewCall: 2, Hold: 3, Transfer: 4, CFwdAll: 5, BackSpace: 8, EndCall: 9,
  Resume: 10, Answer: 11, DND: 19, Dial: 21 } as const;
/** Stimulus codes (sccp-facts.md §4 "Stimulus"). */
export const STIM = { LastNumberRedial: 1, SpeedDial: 2, Hold: 3, Line: 9 } as const;

/** First codec both stations advertised, preferring G.711 µ-law (what every 79xx does, anchors.md §1.1). */
export function pickCodec(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return CODEC_ULAW; // no CapabilitiesRes seen: G.711 is universal
  if (a.includes(CODEC_ULAW) && b.includes(CODEC_ULAW)) return CODEC_ULAW;
  return a.find((c) => b.includes(c)) ?? CODEC_ULAW;
}
