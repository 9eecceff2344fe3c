/**
 * SSCP's one codec table: the names SSCP writes in <Media codec> and <Capabilities codecs>
 * (docs/sscp.md §2: "PCMU PCMA G722") ↔ codec names of the registry (firmware/media/codecs.ts).
 * Adding a codec: one line here (the table's <Media codec> enum follows).
 */
import { codecByName, type CodecName } from '../media/codecs.js';

/** SSCP name → registry name, in the order the spec lists them. */
const BY_SSCP = { PCMU: 'PCMU', PCMA: 'PCMA', G722: 'G722' } as const satisfies Readonly<Record<string, CodecName>>;

export type SscpCodecName = keyof typeof BY_SSCP;

/** The values of <Media codec> (messages.ts enum). */
export const SSCP_CODEC_NAMES = Object.keys(BY_SSCP) as readonly SscpCodecName[];

/** What a MediaOpen without a codec means, and what Register offers when nothing else fits: G.711 µ-law, every CM has it. */
export const SSCP_DEFAULT_CODEC: SscpCodecName = 'PCMU';

/** Registry name of an SSCP codec name, or undefined. */
export function registryCodecOf(sscpName: string): CodecName | undefined {
  return Object.hasOwn(BY_SSCP, sscpName) ? BY_SSCP[sscpName as SscpCodecName] : undefined;
}

/** SSCP name of a registry codec (any case), or undefined when SSCP has no name for it. */
export function sscpCodecOf(codec: string): SscpCodecName | undefined {
  const c = codecByName(codec);
  if (!c) return undefined;
  return SSCP_CODEC_NAMES.find((n) => BY_SSCP[n] === c.name);
}
