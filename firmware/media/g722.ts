/**
 * ITU-T G.722 wideband ADPCM, 64 kbit/s mode (mode 1): a 24-tap QMF splits 16 kHz PCM into two
 * 8 kHz sub-bands; the lower band is coded with 6-bit ADPCM, the higher band with 2-bit ADPCM.
 * One code byte per input sample pair: bits 7..6 = IH (higher band), bits 5..0 = IL (lower band).
 *
 * Written from the block descriptions of G.722 §6 (QUANTL, INVQAL, LOGSCL, SCALEL, the block 4
 * predictor RECONS/PARREC/UPPOL1/UPPOL2/UPZERO/DELAYA/FILTEP/FILTEZ/PREDIC, and the QMFs).
 * Bit-exact with ffmpeg's adpcm_g722 both ways (test/firmware/media/g722.test.ts).
 *
 * Encoder and decoder keep their state in preallocated typed arrays; encode()/decode() write
 * into caller buffers and allocate nothing.
 */
import {
  DETH_INIT, DETL_INIT, IHN, IHP, ILB, ILN, ILP, LEAK_NUM, NBH_MAX, NBL_MAX, QM2, QM4, QM6, Q6, QMF_H,
  QUANTH_LEVEL, RH2, RL42, SCALEH_SHIFT, SCALEL_SHIFT, WH, WL,
} from './g722-tables.js';

/** 16-bit two's complement saturation (G.722 §6.2 "limit" arithmetic). */
function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/** Sign bit of a 16-bit quantity as the spec's SG = x >> 15 (0 or −1). */
function sg(x: number): number { return x >> 15; }

/** Sub-band ADPCM state (one per band). Field names follow G.722 §6.2.1.4 block 4. */
export class G722Band {
  /** Predicted signal estimate S, pole part SP, zero part SZ. */
  s = 0; sp = 0; sz = 0;
  /** Log scale factor NB and linear scale factor DET. */
  nb = 0; det: number;
  /** Reconstructed signal R(0..2), partial reconstruction P(0..2), pole coefficients A(1..2). */
  readonly r = new Int32Array(3);
  readonly p = new Int32Array(3);
  readonly a = new Int32Array(3);
  /** Quantised differences D(0..6) and zero coefficients B(1..6). */
  readonly d = new Int32Array(7);
  readonly b = new Int32Array(7);
  private readonly detInit: number;

  constructor(detInit: number) { this.detInit = detInit; this.det = detInit; }

  reset(): void {
    this.s = 0; this.sp = 0; this.sz = 0; this.nb = 0; this.det = this.detInit;
    this.r.fill(0); this.p.fill(0); this.a.fill(0); this.d.fill(0); this.b.fill(0);
  }

  copyFrom(o: G722Band): void {
    this.s = o.s; this.sp = o.sp; this.sz = o.sz; this.nb = o.nb; this.det = o.det;
    this.r.set(o.r); this.p.set(o.p); this.a.set(o.a); this.d.set(o.d); this.b.set(o.b);
  }

  /** LOGSCL / LOGSCH + SCALEL / SCALEH: leak NB by 127/128, add W, limit, antilog into DET. */
  scale(w: number, nbMax: number, shift: number): void {
    let nb = ((this.nb * LEAK_NUM) >> 7) + w;                // §6.2.1.3: NB = NB·127/128 + W
    if (nb < 0) nb = 0; else if (nb > nbMax) nb = nbMax;
    this.nb = nb;
    const mant = ILB[(nb >> 6) & 31]!;                       // §6.2.2.2: 5-bit mantissa index
    const e = shift - (nb >> 11);                            // exponent: 4 integer bits of NB
    this.det = (e < 0 ? mant << -e : mant >> e) << 2;
  }

  /** Block 4: reconstruct, adapt the 2-pole / 6-zero predictor with difference dq, predict. */
  adapt(dq: number): void {
    const r = this.r; const p = this.p; const a = this.a; const d = this.d; const b = this.b;
    // RECONS and PARREC
    r[0] = sat16(this.s + dq);
    p[0] = sat16(this.sz + dq);
    // UPPOL2: A2 = A2·(1 − 2^−7) ± 2^−7 ∓ 4·A1·2^−7 (sign tests on P), limited to ±12288 (0.75)
    const s0 = sg(p[0]); const s1 = sg(p[1]!); const s2 = sg(p[2]!);
    let t = sat16(a[1]! << 2);
    t = s0 === s1 ? 0 - t : t;                                // 0 − t: never −0 (keeps int32 JIT paths)
    if (t > 32767) t = 32767;
    let a2 = (t >> 7) + (s0 === s2 ? 128 : -128) + ((a[2]! * 32512) >> 15);
    if (a2 > 12288) a2 = 12288; else if (a2 < -12288) a2 = -12288;
    // UPPOL1: A1 = A1·(1 − 2^−8) ± 3·2^−8, limited to ±(15360 − A2) (stability triangle)
    let a1 = sat16((s0 === s1 ? 192 : -192) + ((a[1]! * 32640) >> 15));
    const lim = sat16(15360 - a2);
    if (a1 > lim) a1 = lim; else if (a1 < 0 - lim) a1 = 0 - lim;
    // UPZERO: B(i) = B(i)·(1 − 2^−8) ± 2^−7 (0 step when DQ = 0); DELAYA shifts D on the way
    const step = dq === 0 ? 0 : 128;
    const sd = sg(dq);
    for (let i = 6; i >= 1; i--) {
      const up = sg(d[i]!) === sd ? step : 0 - step;
      b[i] = sat16(up + ((b[i]! * 32640) >> 15));
    }
    d[0] = dq;
    for (let i = 6; i >= 1; i--) d[i] = d[i - 1]!;          // DELAYA: D(1) = this DQ
    // DELAYA for R, P, A
    r[2] = r[1]!; r[1] = r[0]; p[2] = p[1]!; p[1] = p[0]; a[1] = a1; a[2] = a2;
    // FILTEP: SP = A1·2R1 + A2·2R2
    const sp1 = (a1 * sat16(r[1] + r[1])) >> 15;
    const sp2 = (a2 * sat16(r[2] + r[2])) >> 15;
    this.sp = sat16(sp1 + sp2);
    // FILTEZ: SZ = Σ B(i)·2D(i)
    let sz = 0;
    for (let i = 6; i >= 1; i--) sz += (b[i]! * sat16(d[i]! + d[i]!)) >> 15;
    this.sz = sat16(sz);
    // PREDIC
    this.s = sat16(this.sp + this.sz);
  }
}

/** Lower band, encoder side: QUANTL → 6-bit IL; then the feedback path (4-bit) adapts the band. */
function encodeLow(band: G722Band, xl: number): number {
  const el = sat16(xl - band.s);
  const wd = el >= 0 ? el : ~el;                              // −(el + 1), integer-only (no −0)
  const det = band.det;
  // §6.2.1.2: the interval mil (1..30) is the first with wd < Q6(mil)·DETL >> 12 (30 = above all).
  // Q6 rises monotonically, so a binary search over 1..30 finds the same mil as a linear scan.
  let lo = 1; let hi = 30;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (wd < (Q6[mid]! * det) >> 12) hi = mid; else lo = mid + 1;
  }
  const mil = lo;
  const il = el < 0 ? ILN[mil]! : ILP[mil]!;
  const ril = il >> 2;                                        // INVQAL uses the 4 MSBs only
  const dlt = (det * QM4[ril]!) >> 15;
  band.scale(WL[RL42[ril]!]!, NBL_MAX, SCALEL_SHIFT);
  band.adapt(dlt);
  return il;
}

/** Higher band, encoder side: QUANTH → 2-bit IH; INVQAH; LOGSCH/SCALEH; predictor. */
function encodeHigh(band: G722Band, xh: number): number {
  const eh = sat16(xh - band.s);
  const wd = eh >= 0 ? eh : ~eh;
  const mih = wd >= (QUANTH_LEVEL * band.det) >> 12 ? 2 : 1;
  const ih = eh < 0 ? IHN[mih]! : IHP[mih]!;
  const dh = (band.det * QM2[ih]!) >> 15;
  band.scale(WH[RH2[ih]!]!, NBH_MAX, SCALEH_SHIFT);
  band.adapt(dh);
  return ih;
}

/** Number of QMF delay-line samples (24 taps, §6.2.1.1 / §6.3.2). */
const QMF_TAPS = 24;

/**
 * 24-sample QMF delay line stored twice (48 slots) so the newest 24 samples are always the
 * contiguous window x[pos .. pos+23], oldest first, without shifting (two extra writes a pair).
 */
class QmfLine {
  readonly x = new Int32Array(2 * QMF_TAPS);
  pos = 0;
  push2(a: number, b: number): void {
    const x = this.x; const p = this.pos;
    x[p] = a; x[p + QMF_TAPS] = a;
    x[p + 1] = b; x[p + 1 + QMF_TAPS] = b;
    this.pos = p === QMF_TAPS - 2 ? 0 : p + 2;
  }
  reset(): void { this.x.fill(0); this.pos = 0; }
}

/** G.722 64 kbit/s encoder: 16 kHz s16 in, one byte per two samples out. */
export class G722Encoder {
  readonly low = new G722Band(DETL_INIT);
  readonly high = new G722Band(DETH_INIT);
  private readonly q = new QmfLine();

  reset(): void { this.low.reset(); this.high.reset(); this.q.reset(); }

  /** Starts from another codec's band states, with `recent` (24 samples, oldest first) in the QMF. */
  prime(low: G722Band, high: G722Band, recent: Int16Array): void {
    this.low.copyFrom(low); this.high.copyFrom(high); this.q.reset();
    for (let i = 0; i + 1 < QMF_TAPS; i += 2) this.q.push2(recent[i]!, recent[i + 1]!);
  }

  /**
   * Encodes n samples (n even; a trailing odd sample is ignored) from samples[sOff..] into
   * out[oOff..]; returns the bytes written (n >> 1).
   */
  encode(samples: Int16Array, sOff: number, n: number, out: Uint8Array, oOff: number): number {
    const q = this.q; const x = q.x; const h = QMF_H;
    const pairs = n >> 1;
    for (let k = 0; k < pairs; k++) {
      // Transmit QMF (§6.2.1.1): shift in two samples, split into xL = (xA + xB), xH = (xA − xB).
      q.push2(samples[sOff + 2 * k]!, samples[sOff + 2 * k + 1]!);
      const w = q.pos;
      let xa = 0; let xb = 0;
      for (let i = 0; i < 12; i++) {
        xa += x[w + 2 * i]! * h[i]!;
        xb += x[w + 2 * i + 1]! * h[11 - i]!;
      }
      const xl = (xb + xa) >> 14;    // 16-bit input: 2^-14 leaves the 15-bit sub-band range
      const xh = (xb - xa) >> 14;
      const il = encodeLow(this.low, xl);
      const ih = encodeHigh(this.high, xh);
      out[oOff + k] = (ih << 6) | il;
    }
    return pairs;
  }
}

/** G.722 64 kbit/s decoder: one byte in, two 16 kHz s16 samples out. */
export class G722Decoder {
  readonly low = new G722Band(DETL_INIT);
  readonly high = new G722Band(DETH_INIT);
  private readonly q = new QmfLine();

  /** The last QMF_TAPS output samples (oldest first): primes the re-encoder of absorbConcealed(). */
  private readonly tail = new Int16Array(QMF_TAPS);
  /** Re-encoder and scratch for absorbConcealed(), created on the first erasure (then reused). */
  private shadow: { enc: G722Encoder; codes: Uint8Array; pcm: Int16Array } | undefined;

  reset(): void { this.low.reset(); this.high.reset(); this.q.reset(); this.tail.fill(0); }

  /**
   * Keeps the ADPCM state consistent with concealed audio (the approach of G.722 Appendices III
   * and IV: re-encode the concealment): n samples that a PLC produced in place of a lost frame
   * are encoded by an encoder that starts from this decoder's band state (and its recent output
   * in the transmit QMF), and the codes are decoded here, output discarded. The next real
   * packet then decodes against a predictor and scale factor that match what was played.
   */
  absorbConcealed(pcm: Int16Array, off: number, n: number): void {
    const CH = 320;                                          // 20 ms at 16 kHz per pass
    const sh = this.shadow ??= { enc: new G722Encoder(), codes: new Uint8Array(CH >> 1), pcm: new Int16Array(CH) };
    sh.enc.prime(this.low, this.high, this.tail);
    for (let done = 0; done + 1 < n; done += CH) {
      const m = Math.min(CH, n - done) & ~1;
      const bytes = sh.enc.encode(pcm, off + done, m, sh.codes, 0);
      this.decode(sh.codes, 0, bytes, sh.pcm, 0);
    }
    this.keepTail(pcm, off, n & ~1);                         // the QMF history is what was played
  }

  private keepTail(src: Int16Array, off: number, n: number): void {
    const t = this.tail;
    if (n >= QMF_TAPS) { for (let i = 0; i < QMF_TAPS; i++) t[i] = src[off + n - QMF_TAPS + i]!; return; }
    t.copyWithin(0, n);
    for (let i = 0; i < n; i++) t[QMF_TAPS - n + i] = src[off + i]!;
  }

  /** Decodes nBytes codes from codes[cOff..] into out[oOff..]; returns samples written (2 × nBytes). */
  decode(codes: Uint8Array, cOff: number, nBytes: number, out: Int16Array, oOff: number): number {
    const q = this.q; const x = q.x; const h = QMF_H;
    const lo = this.low; const hi = this.high;
    for (let k = 0; k < nBytes; k++) {
      const code = codes[cOff + k]!;
      // Lower band (§6.3.1): INVQBL with all 6 bits for the output, INVQAL (4 bits) for adaptation.
      const il = code & 0x3f;
      let rl = lo.s + ((lo.det * QM6[il]!) >> 15);
      if (rl > 16383) rl = 16383; else if (rl < -16384) rl = -16384;   // §6.3.1 limiter: 15-bit
      const ril = il >> 2;
      const dl = (lo.det * QM4[ril]!) >> 15;
      lo.scale(WL[RL42[ril]!]!, NBL_MAX, SCALEL_SHIFT);
      lo.adapt(dl);
      // Higher band (§6.3.1): same predictor; INVQAH output is also the reconstructed difference.
      const ih = code >> 6;
      const dh = (hi.det * QM2[ih]!) >> 15;
      let rh = hi.s + dh;
      if (rh > 16383) rh = 16383; else if (rh < -16384) rh = -16384;
      hi.scale(WH[RH2[ih]!]!, NBH_MAX, SCALEH_SHIFT);
      hi.adapt(dh);
      // Receive QMF (§6.3.2): xs = rL + rH and xd = rL − rH through the mirrored 24 taps. The
      // sample order in the delay line is ffmpeg's (xs older), which the oracle test pins down.
      q.push2(rl + rh, rl - rh);
      const w = q.pos;
      let o1 = 0; let o2 = 0;
      for (let i = 0; i < 12; i++) {
        o1 += x[w + 2 * i]! * h[i]!;
        o2 += x[w + 2 * i + 1]! * h[11 - i]!;
      }
      out[oOff + 2 * k] = sat16(o2 >> 11);        // 2^-11: back to 16-bit PCM; odd taps first
      out[oOff + 2 * k + 1] = sat16(o1 >> 11);
    }
    this.keepTail(out, oOff, nBytes * 2);
    return nBytes * 2;
  }
}
