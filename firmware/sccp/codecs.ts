/**
 * SCCP's one codec table: media payload codes (CapabilitiesRes.payloadCapability,
 * OpenReceiveChannel / StartMediaTransmission compressionType; docs/sccp.md §4 "Media payload codes")
 * ↔ codec names of the registry (firmware/media/codecs.ts). Adding a codec: one line here.
 */
import { codecByName, type AudioCodec, type CodecName } from '../media/codecs.js';
import { PayloadCapability, type EnumValue } from './enums.js';

export type CompressionType = EnumValue<typeof PayloadCapability>;

/** The 64 kbit/s variants: what a 7960 offers and Asterisk sends for these codecs (§4). */
const BY_CODEC: Readonly<Partial<Record<CodecName, CompressionType>>> = {
  PCMU: PayloadCapability.G711Ulaw64k,
  PCMA: PayloadCapability.G711Alaw64k,
  G722: PayloadCapability.G722_64k,
};

const BY_TYPE = new Map<number, CodecName>(Object.entries(BY_CODEC).map(([n, t]) => [t, n as CodecName]));

/** compressionType of a registry codec name (case-insensitive), or undefined when SCCP has no code for it. */
export function compressionTypeOf(codec: string): CompressionType | undefined {
  const c = codecByName(codec);
  return c ? BY_CODEC[c.name] : undefined;
}

/** Registry name for a compressionType, or undefined for codes we cannot play. */
export function codecNameOf(compressionType: number): CodecName | undefined {
  return BY_TYPE.get(compressionType);
}

/** Registry entry for a compressionType. */
export function codecOfCompressionType(compressionType: number): AudioCodec | undefined {
  const n = BY_TYPE.get(compressionType);
  return n === undefined ? undefined : codecByName(n);
}

/** "PCMU 4, PCMA 2, G722 6": for log lines about unsupported codes. */
export function supportedCompressionTypes(): string {
  return Object.entries(BY_CODEC).map(([n, t]) => `${n} ${t}`).join(', ');
}
