/**
 * Codec registry: the one source of codec identity (name, RTP payload type, clock rate, samples
 * per ms, coder). Signalling maps its own codec numbers or names onto registry names, each in its
 * protocol's folder (SCCP compressionType: firmware/sccp/codecs.ts; SSCP codec names:
 * firmware/sscp/codecs.ts). Adding a codec: its coder file, an entry and a `registry` line here,
 * a line in each protocol's map, a test.
 *
 * Every entry encodes and decodes ranges of caller-owned arrays (no allocation per frame).
 * G.722 has sampleRate 16000 and clockRate 8000 (RFC 3551 §4.5.2 historical quirk), which is
 * why clockRate and sampleRate are separate fields. G.722 is stateful: see `instance()`.
 */
import { alawDecode, alawEncode, ulawDecode, ulawEncode } from './g711.js';
import { G722Decoder, G722Encoder } from './g722.js';

export type CodecName = 'PCMU' | 'PCMA' | 'G722';

export interface AudioCodec {
  readonly name: CodecName;
  /** Static RTP payload type (RFC 3551 §6, Table 4). */
  readonly payloadType: number;
  /** RTP timestamp clock rate in Hz (RFC 3551 §6). */
  readonly clockRate: number;
  /** PCM sample rate in Hz the codec consumes and produces. */
  readonly sampleRate: number;
  /** PCM samples per millisecond (sampleRate / 1000). */
  readonly samplesPerMs: number;
  /** RTP timestamp units per millisecond (clockRate / 1000). */
  readonly tsPerMs: number;
  /** Encoded bytes for `ms` milliseconds of audio. */
  payloadBytes(ms: number): number;
  /** Encodes n samples from samples[sOff..] into out[oOff..]; returns bytes written. */
  encode(samples: Int16Array, sOff: number, n: number, out: Uint8Array, oOff: number): number;
  /** Decodes nBytes from codes[cOff..] into out[oOff..]; returns samples written. */
  decode(codes: Uint8Array, cOff: number, nBytes: number, out: Int16Array, oOff: number): number;
  /**
   * Stateful codecs (G.722 ADPCM) only: a copy of this entry with its own encoder and decoder
   * state. Use one per stream and direction: `const c = codec.instance?.() ?? codec`.
   * Absent for stateless codecs (G.711), whose shared entry is safe everywhere.
   */
  instance?(): AudioCodec;
  /**
   * Stateful codecs only: after a PLC wrote n samples in place of a lost frame, bring the decoder
   * state in line with them (G.722: re-encode + decode, see G722Decoder.absorbConcealed).
   */
  absorbConcealed?(pcm: Int16Array, off: number, n: number): void;
  /** Stateful codecs only: clears the instance's encoder and decoder state (new SSRC, new call). */
  resetState?(): void;
}

/** G.711 µ-law: RFC 3551 §4.5.14, PT 0, 8000 Hz, one byte per sample. */
export const PCMU: AudioCodec = Object.freeze({
  name: 'PCMU',
  payloadType: 0,
  clockRate: 8000,
  sampleRate: 8000,
  samplesPerMs: 8,
  tsPerMs: 8,
  payloadBytes: (ms: number) => ms * 8,
  encode: ulawEncode,
  decode: ulawDecode,
});

/** G.711 A-law: RFC 3551 §4.5.14, PT 8, 8000 Hz, one byte per sample. */
export const PCMA: AudioCodec = Object.freeze({
  name: 'PCMA',
  payloadType: 8,
  clockRate: 8000,
  sampleRate: 8000,
  samplesPerMs: 8,
  tsPerMs: 8,
  payloadBytes: (ms: number) => ms * 8,
  encode: alawEncode,
  decode: alawDecode,
});

/**
 * G.722 entry with its own encoder/decoder state; each call of `instance()` makes another.
 * RFC 3551 §4.5.2: the RTP clock is 8000 Hz although the audio is sampled at 16 kHz (timestamps
 * advance 160 per 20 ms); 64 kbit/s = 8 bytes per ms (one code byte per two 16 kHz samples).
 */
function makeG722(): AudioCodec {
  const enc = new G722Encoder();
  const dec = new G722Decoder();
  return Object.freeze({
    name: 'G722' as const,
    payloadType: 9,                 // RFC 3551 §6 Table 4
    clockRate: 8000,                // RFC 3551 §4.5.2 historical quirk
    sampleRate: 16000,
    samplesPerMs: 16,
    tsPerMs: 8,
    payloadBytes: (ms: number) => ms * 8,
    encode: (s: Int16Array, so: number, n: number, o: Uint8Array, oo: number) => enc.encode(s, so, n, o, oo),
    decode: (c: Uint8Array, co: number, nb: number, o: Int16Array, oo: number) => dec.decode(c, co, nb, o, oo),
    instance: makeG722,
    absorbConcealed: (p: Int16Array, off: number, n: number) => dec.absorbConcealed(p, off, n),
    resetState: () => { enc.reset(); dec.reset(); },
  });
}

/** G.722 64 kbit/s: PT 9, 16 kHz audio, 8000 Hz RTP clock. Shared state: call instance() per stream. */
export const G722: AudioCodec = makeG722();

/** The registry: one line per codec. */
const registry: readonly AudioCodec[] = [PCMU, PCMA, G722];

export function allCodecs(): readonly AudioCodec[] {
  return registry;
}

/** Case-insensitive lookup by registry name ('PCMU', 'pcma', ...). */
export function codecByName(name: string): AudioCodec | undefined {
  const n = name.toUpperCase();
  return registry.find((c) => c.name === n);
}

export function codecByPayloadType(pt: number): AudioCodec | undefined {
  return registry.find((c) => c.payloadType === pt);
}

/** Like codecByName but throws an error naming the known codecs (for signalling-time lookups). */
export function requireCodec(name: string, operation: string): AudioCodec {
  const c = codecByName(name);
  if (!c) {
    throw new Error(`media: ${operation}: unknown codec '${name}' (known: ${registry.map((r) => r.name).join(', ')})`);
  }
  return c;
}
