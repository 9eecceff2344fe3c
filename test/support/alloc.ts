/**
 * Allocation meter: heapUsed growth per call over many small batches (method of docs/media.md "External peers and checkers"
 * §1c: heap delta over GC-free batches). A batch during which a scavenge ran shows a negative
 * delta and is dropped; if most batches of every round see a scavenge, the code allocates heavily
 * and the meter returns Infinity. Otherwise it returns the lowest round's median bytes per call of
 * its GC-free batches (below).
 * process.memoryUsage() itself costs ~256 B per batch on Node 20, i.e. ~0.26 B per call at the
 * default 1000 calls per batch: assert "< 2 B per call", which any real per-call object breaks.
 */
export function bytesPerCall(fn: () => void, iters = 1000, batches = 41, rounds = 12): number {
  for (let i = 0; i < 20 * iters; i++) fn();     // warm up so the JIT's own allocations are done
  // Each round gives the median of its GC-free batches; the result is the lowest round. A round can
  // read high for two passing reasons: a garbage collection V8 schedules for its own reasons
  // (memory reducer, a concurrent-marking finish, seen once on a CI machine) falling into most of
  // its batches, or an optimizing compile still pending on V8's helper thread (on a loaded 2-core
  // machine the helper can wait hundreds of ms, and until then the interpreter boxes doubles: seen
  // as 182 B per packet once in CI). Between rounds the main thread sleeps 10 ms so the helper can
  // finish. Code that allocates per call shows its bytes in every round (>= 16 B x 1000 per batch
  // against a semi-space of MBs stays GC-free in most batches); only a GC in most batches of every
  // round means heavy allocation (Infinity).
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const deltas: number[] = [];
    for (let b = 0; b < batches; b++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < iters; i++) fn();
      const d = process.memoryUsage().heapUsed - before;
      if (d >= 0) deltas.push(d);
    }
    if (deltas.length > batches / 2) {
      deltas.sort((x, y) => x - y);
      best = Math.min(best, deltas[deltas.length >> 1]! / iters);
      if (best < 1) break;                          // clean: below the meter's own ~0.26 B per call + margin
    }
    Atomics.wait(pause, 0, 0, 10);
  }
  return best;
}
