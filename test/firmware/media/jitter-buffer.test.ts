/** AdaptiveJitterBuffer on a VirtualClock with synthetic arrival patterns (exact counts). */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { PCMU } from '../../../firmware/media/codecs.js';
import { AdaptiveJitterBuffer, type JitterBufferOptions } from '../../../firmware/media/jitter-buffer.js';
import { PullResult } from '../../../firmware/media/playout.js';
import { prng, tone } from '../../support/signals.js';

const FRAME = 160;                       // 20 ms of PCMU = 160 bytes = 160 ts units
const TS0 = 0xfffff000;                  // start near the 32-bit wrap on purpose
const SEQ0 = 65500;                      // and near the 16-bit seq wrap

interface Pkt { i: number; at: number; marker?: boolean; ssrc?: number; silent?: boolean }

/** Payload i: µ-law of a 1 kHz tone frame i (silent: µ-law zero, 0xFF). */
function payload(i: number, silent = false): Uint8Array {
  const p = new Uint8Array(FRAME);
  if (silent) { p.fill(0xff); return p; }
  PCMU.encode(tone(FRAME, 8000, 1000, 8000, i * FRAME), 0, FRAME, p, 0);
  return p;
}

/**
 * Schedules arrivals `pkts` (frame index i, arrival time in ms) as VirtualClock timers and a pull
 * every 20 ms (at 10, 30, 50 ... ms), then advances the clock to `untilMs`.
 */
async function run(pkts: Pkt[], untilMs: number, opts: Partial<JitterBufferOptions> = {}, onPull?: (r: PullResult, out: Int16Array, jb: AdaptiveJitterBuffer) => void) {
  const clock = new VirtualClock();
  const jb = new AdaptiveJitterBuffer({ clock, ...opts });
  const out = new Int16Array(FRAME);
  const results: PullResult[] = [];
  const payloads = new Map<string, Uint8Array>();
  for (const p of pkts) {
    const key = `${p.i}/${p.silent ? 1 : 0}`;
    const pl = payloads.get(key) ?? payload(p.i, p.silent);
    payloads.set(key, pl);
    clock.setTimeout(() => {
      jb.putRtp((SEQ0 + p.i) & 0xffff, (TS0 + p.i * FRAME) >>> 0, p.ssrc ?? 0x1234, p.marker ?? p.i === 0, pl, 0, FRAME);
    }, p.at);
  }
  clock.setTimeout(() => {
    clock.setInterval(() => { const r = jb.pull(PCMU, out); results.push(r); onPull?.(r, out, jb); }, 20);
    const r = jb.pull(PCMU, out); results.push(r); onPull?.(r, out, jb);
  }, 10);
  await clock.advance(untilMs);
  return { jb, results, count: (r: PullResult) => results.filter((x) => x === r).length };
}

const steady = (n: number, from = 0): Pkt[] => Array.from({ length: n }, (_, j) => ({ i: from + j, at: (from + j) * 20 }));

test('steady stream: every frame played once, 20 ms minimum delay, no loss', async () => {
  const { jb, count } = await run(steady(50), 1100);
  const s = jb.stats;
  assert.equal(count(PullResult.PLAYED), 50);
  assert.equal(s.received, 50);
  assert.equal(s.lost + s.late + s.duplicates + s.discarded, 0);
  // After the last packet the buffer conceals 60 ms (App I fade: 3 frames), then stops.
  assert.equal(s.concealed, 3);
  assert.equal(s.underruns, 1);
  assert.equal(s.jitterMs, 0);
  assert.equal(s.targetDelayMs, 20);
  assert.ok(s.currentDelayMs >= 20 && s.currentDelayMs < 40, `delay ${s.currentDelayMs}`);
  assert.equal(jb.depth, 0);
});

test('reordering within the delay is repaired; duplicates are counted and dropped', async () => {
  const pkts = steady(40).map((p) => ({ ...p }));
  for (let j = 10; j < 30; j += 2) { pkts[j]!.at += 20; pkts[j + 1]!.at -= 0; }   // swap pairs in arrival
  for (let j = 5; j < 10; j++) pkts.push({ i: j, at: j * 20 + 5 });              // 5 duplicates
  const { jb, count } = await run(pkts, 1000, { minDelayMs: 40 });
  assert.equal(jb.stats.duplicates, 5);
  assert.equal(jb.stats.late, 0);
  assert.equal(jb.stats.lost, 0);
  assert.equal(count(PullResult.PLAYED), 40);
});

test('lost packets are concealed (PLC, not silence) and counted', async () => {
  const pkts = steady(50).filter((p) => p.i !== 10 && p.i !== 20 && p.i !== 21);
  let concealedPeak = 0;
  const { jb } = await run(pkts, 1100, {}, (r, out) => {
    if (r === PullResult.CONCEALED) for (const v of out) concealedPeak = Math.max(concealedPeak, Math.abs(v));
  });
  assert.equal(jb.stats.lost, 3);
  assert.equal(jb.stats.concealed, 3 + 3);             // + the 60 ms dry tail after the last packet
  assert.ok(concealedPeak > 4000, `concealed frames carry the tone (peak ${concealedPeak})`);
});

test('a packet later than its play time is discarded as late and its frame concealed', async () => {
  const pkts = steady(30).map((p) => (p.i === 12 ? { ...p, at: p.at + 100 } : p));
  const { jb } = await run(pkts, 800);
  assert.equal(jb.stats.late, 1);
  assert.equal(jb.stats.lost, 1);
  assert.equal(jb.stats.concealed, 1 + 3);             // + the 60 ms dry tail after the last packet
});

test('SSRC change resets the buffer and the new stream plays', async () => {
  const a = steady(20);
  const b = Array.from({ length: 20 }, (_, j) => ({ i: 500 + j, at: 400 + j * 20, ssrc: 0x9999, marker: j === 0 }));
  const { jb, count } = await run([...a, ...b], 1000);
  assert.equal(jb.stats.ssrcChanges, 1);
  assert.equal(jb.stats.late, 0);
  assert.ok(count(PullResult.PLAYED) >= 38, `played ${count(PullResult.PLAYED)}`);
});

test('RFC 3550 A.8 jitter matches a direct computation; target adapts at the next talkspurt only', async () => {
  const r = prng(99);
  const first = steady(100).map((p) => ({ ...p, at: p.at + Math.floor(r() * 30) }));   // 0..29 ms jitter
  // Reference J over the arrival order, in ts units (arrival ms × 8).
  const order = [...first].sort((x, y) => x.at - y.at);
  let J = 0; let last = 0;
  order.forEach((p, n) => { const tr = p.at * 8 - p.i * FRAME; if (n > 0) J += (Math.abs(tr - last) - J) / 16; last = tr; });
  const second = Array.from({ length: 50 }, (_, j) => ({ i: 200 + j, at: 4000 + j * 20 + Math.floor(r() * 30), marker: j === 0 }));
  const res = await run([...first, ...second], 2200);
  const jMs = res.jb.stats.jitterMs;
  assert.ok(Math.abs(jMs - J / 8) < 1e-9, `jitter ${jMs} vs reference ${J / 8}`);
  const target1 = res.jb.stats.targetDelayMs;
  assert.ok(target1 > 20 && target1 <= 200, `target ${target1}`);
  const later = await run([...first, ...second], 5200);
  // The second talkspurt starts at the adapted target, so its frames are (almost) never late.
  assert.ok(later.jb.stats.maxDelayMs >= later.jb.stats.targetDelayMs, 'delay rose to the target');
  assert.ok(later.jb.stats.late < res.jb.stats.late + 3, `late ${later.jb.stats.late}`);
});

test('sender clock drift is tracked by dropping / inserting quiet frames', async () => {
  // Fast sender: a frame every 19.8 ms (+1 %) for 60 s of silence.
  const fast = Array.from({ length: 3000 }, (_, i) => ({ i, at: Math.round(i * 19.8), silent: true }));
  const f = await run(fast, 60_000);
  assert.ok(f.jb.stats.dropped >= 20, `dropped ${f.jb.stats.dropped}`);
  assert.ok(f.jb.stats.currentDelayMs < 80, `delay stayed bounded: ${f.jb.stats.currentDelayMs}`);
  // Slow sender: 20.2 ms (−1 %).
  const slow = Array.from({ length: 2900 }, (_, i) => ({ i, at: Math.round(i * 20.2), silent: true }));
  const s = await run(slow, 59_000);
  assert.ok(s.jb.stats.inserted >= 20, `inserted ${s.jb.stats.inserted}`);
  assert.equal(s.jb.stats.late, 0);
  assert.ok(s.jb.stats.underruns <= 1, 'only the end of the stream runs dry');
});

test('bounded memory: a flood far ahead resyncs instead of growing; depth never exceeds the ring', () => {
  const clock = new VirtualClock();
  const jb = new AdaptiveJitterBuffer({ clock, slots: 16 });
  const p = payload(0);
  for (let i = 0; i < 10_000; i++) jb.putRtp(i & 0xffff, (i * 7919 * FRAME) >>> 0, 1, false, p, 0, FRAME);
  assert.ok(jb.depth <= 16);
  assert.ok(jb.stats.resyncs > 0);
  // Oversized and negative lengths are clamped, not thrown.
  jb.putRtp(1, 1, 1, false, new Uint8Array(4000), 0, 4000);
  jb.putRtp(2, 2, 1, false, p, 0, -5);
});

test('put/pull allocate nothing per packet in steady state (measured in a fresh process)', () => {
  // A fresh process: the JIT state of the tests above (other Clock shapes at the same call
  // sites) is not what a phone runs, and polymorphic sites can box doubles.
  const probe = fileURLToPath(new URL('./alloc-probe.js', import.meta.url));
  const r = spawnSync(process.execPath, [probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, `alloc probe failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout) as { steady: number; lossy: number; leaky: number };
  assert.ok(m.steady < 2, `jitter buffer allocates ${m.steady.toFixed(2)} B per packet`);
  assert.ok(m.lossy < 2, `with 1/8 loss + PLC: ${m.lossy.toFixed(2)} B per packet`);
  assert.ok(m.leaky >= 16, `meter blind: ${m.leaky}`);
});

test('after a stall the delay comes back to the target even without quiet frames (loud frames dropped once it stays deep)', async () => {
  // A continuous tone (never quiet); the network holds frames 100..124 (500 ms) and delivers them in one burst.
  const pkts = Array.from({ length: 600 }, (_, i) => ({ i, at: i >= 100 && i < 125 ? 125 * 20 : i * 20 }));
  const delays: number[] = [];
  const { jb } = await run(pkts, 600 * 20, {}, (r, _out, b) => { if (r === PullResult.PLAYED) delays.push(b.stats.currentDelayMs); });
  const afterBurst = delays.slice(130, 140);
  assert.ok(Math.max(...afterBurst) > 300, `the burst made the buffer deep: ${afterBurst.map((d) => d.toFixed(0))}`);
  const tail = delays.slice(-50);
  assert.ok(Math.max(...tail) < jb.stats.targetDelayMs + 40, `delay back near the ${jb.stats.targetDelayMs} ms target: ${Math.max(...tail).toFixed(0)} ms`);
  assert.ok(jb.stats.dropped >= 20, `dropped ${jb.stats.dropped}`);
});
