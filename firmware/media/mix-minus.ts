/**
 * N−1 ("mix-minus") conference mixing: every participant hears the sum of all the others but not
 * itself. Computed as one total Σx_p and, per participant, total − x_p, so the cost is O(N) per
 * sample instead of the O(N²) of summing the others for each. The total is kept in 32 bits (64
 * full-scale 16-bit inputs cannot overflow it); each output is saturated to 16 bits and the
 * clipped samples counted. Caller-owned buffers, no allocation.
 */

/** Saturation limits of 16-bit linear PCM. */
const MAX = 32767;
const MIN = -32768;

/**
 * outputs[p][0..n) = sat(Σ_q inputs[q][0..n) − inputs[p][0..n)) for p < count. `sum` holds ≥ n
 * entries (scratch). Returns the number of output samples that had to be clipped.
 */
export function mixMinusOne(inputs: readonly Int16Array[], outputs: readonly Int16Array[], count: number, n: number,
  sum: Int32Array): number {
  for (let i = 0; i < n; i++) sum[i] = 0;
  for (let p = 0; p < count; p++) {
    const x = inputs[p]!;
    for (let i = 0; i < n; i++) sum[i] = sum[i]! + x[i]!;
  }
  let clipped = 0;
  for (let p = 0; p < count; p++) {
    const x = inputs[p]!;
    const y = outputs[p]!;
    for (let i = 0; i < n; i++) {
      const v = sum[i]! - x[i]!;
      if (v > MAX) { y[i] = MAX; clipped++; } else if (v < MIN) { y[i] = MIN; clipped++; } else y[i] = v;
    }
  }
  return clipped;
}
