/**
 * ITU-T G.722 (09/2012) constant tables, 64 kbit/s mode (mode 1). Names follow the spec's block
 * descriptions (§6.2 encoder, §6.3 decoder); all values are the spec's fixed-point integers.
 */

/** §6.2.1.1 / Table 2: transmit and receive QMF coefficients h0..h11 (h23..h12 mirror them). */
export const QMF_H = Int32Array.of(3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11);

/** §6.2.1.2 Table 6 (QUANTL): lower-band decision levels Q6(mil), mil = 1..29, in units of DETL >> 12. */
export const Q6 = Int32Array.of(
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
  786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919);

/** Table 6: 6-bit code for a negative difference (ILN) and a positive one (ILP), by interval mil. */
export const ILN = Int32Array.of(
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
  18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0);
export const ILP = Int32Array.of(
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
  46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0);

/** Table 7 (INVQAL): 4-bit inverse quantiser output QM4 (feedback path, 16 entries by IL >> 2). */
export const QM4 = Int32Array.of(
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
  20456, 12896, 8968, 6288, 4240, 2584, 1200, 0);

/** Table 6 (INVQBL, mode 1): 6-bit inverse quantiser output QM6 by the full 6-bit code. */
export const QM6 = Int32Array.of(
  -136, -136, -136, -136, -24808, -21904, -19008, -16704,
  -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
  -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
  -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
  24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
  10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
  4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
  1688, 1360, 1040, 728, 432, 136, -432, -136);

/** Table 7 (LOGSCL): RIL (4 bit) → IL4 magnitude index, then WL log-scale-factor multipliers. */
export const RL42 = Int32Array.of(0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0);
export const WL = Int32Array.of(-60, -30, 58, 172, 334, 538, 1198, 3042);

/** Table 8 (SCALEL / SCALEH): ILB = 2^(i/32) × 2048, the antilog table (32 entries). */
export const ILB = Int32Array.of(
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
  2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008);

/** Table 4 (QUANTH): 2-bit code for a negative (IHN) / positive (IHP) difference, by interval mih. */
export const IHN = Int32Array.of(0, 1, 0);
export const IHP = Int32Array.of(0, 3, 2);
/** Table 4 (INVQAH): higher-band inverse quantiser output QM2 by 2-bit code. */
export const QM2 = Int32Array.of(-7408, -1616, 7408, 1616);
/** Table 5 (LOGSCH): IH → IH2 magnitude index, then WH multipliers. */
export const RH2 = Int32Array.of(2, 1, 2, 1);
export const WH = Int32Array.of(0, -214, 798);

/** §6.2.1.3 (QUANTH): higher-band decision level 564 (× DETH >> 12). */
export const QUANTH_LEVEL = 564;
/** §6.2.1.3 (LOGSCL): NBL upper limit 18432; (LOGSCH) NBH upper limit 22528. */
export const NBL_MAX = 18432;
export const NBH_MAX = 22528;
/** §6.2.2.2 (SCALEL/SCALEH): exponent offsets 8 (lower) and 10 (higher band). */
export const SCALEL_SHIFT = 8;
export const SCALEH_SHIFT = 10;
/** §6.2.1.3: leakage factor 127/128 of LOGSCL/LOGSCH. */
export const LEAK_NUM = 127;
/** Initial DETL = 32 and DETH = 8 (§6.2.2 reset values). */
export const DETL_INIT = 32;
export const DETH_INIT = 8;
