import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PCMU } from '../../firmware/media/codecs.js';
import { FixedPlayoutBuffer, PullResult } from '../../firmware/media/playout.js';

function frame(v: number): Uint8Array { return new Uint8Array(160).fill(v); }
const out = new Int16Array(160);

test('fixed playout buffer: prefill, reorder, loss concealment, late and duplicate drops', () => {
  const pb = new FixedPlayoutBuffer({ slots: 8, prefill: 2 });
  pb.put(65534, frame(0x80), 0, 160);
  assert.equal(pb.pull(PCMU, out), PullResult.BUFFERING);
  pb.put(0, frame(0x81), 0, 160);          // arrives before 65535 (reordered across the wrap)
  pb.put(65535, frame(0x82), 0, 160);
  pb.put(65535, frame(0x82), 0, 160);      // duplicate
  assert.equal(pb.counters.duplicates, 1);
  pb.put(2, frame(0x83), 0, 160);          // seq 1 lost
  const played: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = pb.pull(PCMU, out);
    played.push(r === PullResult.PLAYED ? out[0]! : r === PullResult.CONCEALED ? 0 : -1);
  }
  // p = played, c = concealed: order 65534, 65535, 0, (1 lost), 2
  assert.deepEqual(played.slice(0, 5).map((x) => x === 0 ? 'c' : x === -1 ? 'b' : 'p'), ['p', 'p', 'p', 'c', 'p']);
  assert.equal(pb.counters.concealed, 1);
  pb.put(1, frame(0x84), 0, 160);          // too late now
  assert.equal(pb.counters.late, 1);
  assert.equal(pb.pull(PCMU, out), PullResult.BUFFERING);
  assert.equal(pb.counters.underruns, 1);
});

test('fixed playout buffer plays frames in sequence order with the right content', () => {
  const pb = new FixedPlayoutBuffer({ slots: 4, prefill: 1 });
  const codes = [0x10, 0x20, 0x30];
  pb.put(11, frame(codes[1]!), 0, 160);
  pb.put(10, frame(codes[0]!), 0, 160);
  pb.put(12, frame(codes[2]!), 0, 160);
  const ref = new Int16Array(1);
  for (const c of codes) {
    assert.equal(pb.pull(PCMU, out), PullResult.PLAYED);
    PCMU.decode(Uint8Array.of(c), 0, 1, ref, 0);
    assert.equal(out[0], ref[0]);
  }
  pb.put(5000, frame(1), 0, 160);          // far jump: resync
  assert.equal(pb.counters.resyncs, 1);
  assert.equal(pb.pull(PCMU, out), PullResult.PLAYED);
});
