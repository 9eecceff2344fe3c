/**
 * Allocation meter: heapUsed growth per call over many small batches (method of docs/media.md "External peers and checkers"
 * §1c: heap delta over GC-free batches). A batch during which a scavenge ran shows a negative
 * delta and is dropped; if most batches of every round see a scavenge, the code allocates heavily
 * and the meter returns Infinity. Otherwise it returns the median bytes per call of the GC-free batches.
 * process.memoryUsage() itself costs ~256 B per batch on Node 20, i.e. ~0.26 B per call at the
 * default 1000 calls per batch: assert "< 2 B per call", which any real per-call object breaks.
 */
export function bytesPerCall(fn: () => void, iters = 1000, batches = 41, rounds = 4): number {
  for (let i = 0; i < 20 * iters; i++) fn();     // warm up so the JIT's own allocations are done
  const deltas: number[] = [];
  // A garbage collection V8 schedules for its own reasons (memory reducer, a concurrent-marking
  // finish, seen once on a CI machine) can fall into most batches of one round; the rounds after it
  // are measured again. Code that allocates per call stays GC-free in most batches (≥ 16 B × 1000
  // per batch against a semi-space of MBs) and shows its bytes; only a GC in most batches of every
  // round means heavy allocation.
  for (let r = 0; r < rounds && deltas.length <= batches / 2; r++) {
    for (let b = 0; b < batches; b++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < iters; i++) fn();
      const d = process.memoryUsage().heapUsed - before;
      if (d >= 0) deltas.push(d);
    }
  }
  if (deltas.length <= batches / 2) return Number.POSITIVE_INFINITY;
  deltas.sort((x, y) => x - y);
  return deltas[deltas.length >> 1]! / iters;
}
