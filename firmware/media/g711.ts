/**
 * G.711 µ-law and A-law (ITU-T G.711 Tables 1a/2a), table-driven, no allocation per call.
 *
 * Encoder reference: SoX 14.4.2 with dither off (`sox -D`), bit-exact over all 65,536 inputs
 * (see docs/media.md for why, and docs/media.md "External peers and checkers" for how SoX, ffmpeg and G.191 differ).
 * SoX first rounds the 16-bit sample to 14 bits (µ-law) or 13 bits (A-law), then applies the
 * classic Sun/CCITT g711.c `linear2ulaw` / `linear2alaw`. We build the same mapping once into
 * a 16,384-entry (µ) and 8,192-entry (A) table indexed by the rounded value.
 *
 * Decoders are the 256-entry expansions every implementation agrees on (SoX = ffmpeg = G.191).
 */

/** µ-law bias in the 16-bit domain (G.711 §3.2 / Sun g711.c BIAS = 0x84 = 132). */
const ULAW_BIAS = 0x84;
/** Sun g711.c CLIP for 14-bit µ-law magnitudes: 8159 = 8191 − (BIAS >> 2). */
const ULAW_CLIP14 = 8159;
/** Segment end points of the 14-bit µ-law quantiser (Sun g711.c seg_uend). */
const SEG_UEND = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
/** Segment end points of the 13-bit A-law quantiser (Sun g711.c seg_aend). */
const SEG_AEND = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
/** G.711 A-law even-bit inversion mask (G.711 §2, Table 1a note: bits 1,3,5,7 inverted). */
const ALAW_XOR = 0x55;

function segment(v: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (v <= ends[i]!) return i;
  return ends.length;
}

/** Sun g711.c linear2ulaw on a 14-bit two's-complement value (−8192..8191). */
function linear14ToUlaw(v: number): number {
  let mask: number;
  if (v < 0) { v = -v; mask = 0x7f; } else { mask = 0xff; }
  if (v > ULAW_CLIP14) v = ULAW_CLIP14;
  v += ULAW_BIAS >> 2;
  const seg = segment(v, SEG_UEND);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 1)) & 0x0f)) ^ mask;
}

/** Sun g711.c linear2alaw on a 13-bit two's-complement value (−4096..4095). */
function linear13ToAlaw(v: number): number {
  let mask: number;
  if (v >= 0) { mask = 0xd5; } else { mask = 0x55; v = -v - 1; }  // 0xD5 = sign bit | 0x55
  const seg = segment(v, SEG_AEND);
  if (seg >= 8) return 0x7f ^ mask;
  const quant = seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return ((seg << 4) | quant) ^ mask;
}

/** µ-law expansion (G.711 Table 2a), 16-bit output as SoX/ffmpeg produce it. */
function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + ULAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? ULAW_BIAS - t : t - ULAW_BIAS;
}

/** A-law expansion (G.711 Table 1a), 16-bit output. */
function alawToLinear(code: number): number {
  const a = code ^ ALAW_XOR;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;                      // half-step of segment 0 (step 16 in 16-bit units)
  else { t += 0x108; if (seg > 1) t <<= seg - 1; } // 0x108 = 256 + 8: segment base + half-step
  return (a & 0x80) ? t : -t;
}

/** 14-bit µ-law input domain: 2^14 entries, index = rounded value & 0x3fff. */
const ULAW_ENC = new Uint8Array(1 << 14);
/** 13-bit A-law input domain: 2^13 entries, index = rounded value & 0x1fff. */
const ALAW_ENC = new Uint8Array(1 << 13);
export const ULAW_DECODE = new Int16Array(256);
export const ALAW_DECODE = new Int16Array(256);
for (let v = -8192; v < 8192; v++) ULAW_ENC[v & 0x3fff] = linear14ToUlaw(v);
for (let v = -4096; v < 4096; v++) ALAW_ENC[v & 0x1fff] = linear13ToAlaw(v);
for (let c = 0; c < 256; c++) { ULAW_DECODE[c] = ulawToLinear(c); ALAW_DECODE[c] = alawToLinear(c); }

/**
 * The same encoders indexed by an offset instead of a masked value, so the loop needs no clamp and
 * no mask: µ: k = (s + 2 + 32768) >> 2 = ((s + 2) >> 2) + 8192 ∈ [0, 16384] (entry 16384 = the clamp
 * at 8191); A: k = (s + 4 + 32768) >> 3 = ((s + 4) >> 3) + 4096 ∈ [0, 8192]. 16 KB + 8 KB: stays
 * in a Cortex-A53's 32 KB L1 (a 64K-entry table per law would not).
 */
const ULAW_ENC_K = new Uint8Array(16385);
const ALAW_ENC_K = new Uint8Array(8193);
for (let k = 0; k < ULAW_ENC_K.length; k++) ULAW_ENC_K[k] = ULAW_ENC[Math.min(8191, k - 8192) & 0x3fff]!;
for (let k = 0; k < ALAW_ENC_K.length; k++) ALAW_ENC_K[k] = ALAW_ENC[Math.min(4095, k - 4096) & 0x1fff]!;

/** One sample → µ-law code (SoX `-D`: round to 14 bits, clamp at 8191). */
export function ulawEncodeSample(s: number): number {
  let v = (s + 2) >> 2;
  if (v > 8191) v = 8191;
  return ULAW_ENC[v & 0x3fff]!;
}

/** One sample → A-law code (SoX `-D`: round to 13 bits, clamp at 4095). */
export function alawEncodeSample(s: number): number {
  let v = (s + 4) >> 3;
  if (v > 4095) v = 4095;
  return ALAW_ENC[v & 0x1fff]!;
}

/** Encodes `samples[sOff .. sOff+n)` into `out[oOff .. oOff+n)`. Returns n (bytes written). */
export function ulawEncode(samples: Int16Array, sOff: number, n: number, out: Uint8Array, oOff: number): number {
  const T = ULAW_ENC_K;                        // local alias: measured ~2× faster than the module binding in the loop
  for (let i = 0; i < n; i++) out[oOff + i] = T[(samples[sOff + i]! + 32770) >> 2]!;
  return n;
}

export function alawEncode(samples: Int16Array, sOff: number, n: number, out: Uint8Array, oOff: number): number {
  const T = ALAW_ENC_K;
  for (let i = 0; i < n; i++) out[oOff + i] = T[(samples[sOff + i]! + 32772) >> 3]!;
  return n;
}

/** Decodes `codes[cOff .. cOff+n)` into `out[oOff .. oOff+n)`. Returns n (samples written). */
export function ulawDecode(codes: Uint8Array, cOff: number, n: number, out: Int16Array, oOff: number): number {
  const T = ULAW_DECODE;                       // local alias (exported binding re-read per iteration otherwise)
  for (let i = 0; i < n; i++) out[oOff + i] = T[codes[cOff + i]!]!;
  return n;
}

export function alawDecode(codes: Uint8Array, cOff: number, n: number, out: Int16Array, oOff: number): number {
  const T = ALAW_DECODE;
  for (let i = 0; i < n; i++) out[oOff + i] = T[codes[cOff + i]!]!;
  return n;
}
