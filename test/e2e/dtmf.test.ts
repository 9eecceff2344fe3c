/**
 * DTMF during a call, end to end: two emulated phones connected through the embedded call manager;
 * a digit pressed on one goes out as an RFC 4733 telephone-event on its RTP stream (the CM takes
 * no digits in a call) and the other phone plays it as the Q.23 DTMF pair on its earpiece.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../src/scenario/schema.js';
import { buildEmulatedRig } from '../../src/scenario/emulated-rig.js';
import { runScenario } from '../../src/scenario/runner.js';
import { memoryLogger } from '../../src/node/logger.js';
import { detectTones } from '../../firmware/media/tone-detect.js';
import type { EmulatedPhone } from '../../src/node/emulated-phone.js';

/** ITU-T Q.23 §2: key '5' = 770 Hz (row 2) + 1336 Hz (column 2). */
const FIVE = [770, 1336];
/** A component at −10 dBm0 (tones.ts) is about −13 dBFS; far below that is "not playing". */
const PRESENT_DBFS = -30;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function levels(p: EmulatedPhone, ms: number): number[] {
  const { samples, sampleRate } = p.heard(ms);
  return detectTones(samples, sampleRate, FIVE).map((l) => l.dbfs);
}

function rxDtmf(p: EmulatedPhone): number {
  const [id] = p.media.activeStreams();
  return id === undefined ? 0 : (p.media.stats(id) as { dtmfReceived?: number } | undefined)?.dtmfReceived ?? 0;
}

function txDtmf(p: EmulatedPhone): number {
  const [id] = p.media.activeStreams();
  return id === undefined ? 0 : (p.media.stats(id) as { dtmfSent?: number } | undefined)?.dtmfSent ?? 0;
}

for (const [file, caller, callee] of [['basic-call.yaml', 'alice', 'bob'], ['sscp-to-sscp.yaml', '', '']] as const) {
  test(`${file}: a digit pressed in a connected call is heard as DTMF on the far earpiece`, { timeout: 60_000 }, async () => {
    const s = loadScenario(`test/scenarios/${file}`);
    const rig = await buildEmulatedRig(s, memoryLogger('warn'));
    try {
      const upTo = s.steps.findIndex((st) => 'expect' in st && st.expect.hears !== undefined);
      await runScenario({ ...s, steps: s.steps.slice(0, upTo + 1) }, rig);
      const names = [...rig.phones.keys()];
      const a = rig.phones.get(caller || names[0]!)!;
      const b = rig.phones.get(callee || names[1]!)!;
      assert.ok(levels(b, 100).every((d) => d < PRESENT_DBFS), `${b.name} hears no DTMF before the key press`);
      assert.equal(rxDtmf(b), 0);

      // Everything b's earpiece plays from the key press on is kept (sample-indexed, not wall-clock),
      // then scanned afterwards: a loaded machine delays when we look, never what was played.
      const before = b.earpiece.totalSamples;
      await a.tap('5'); // resolves after the key's release scan
      const t0 = Date.now();
      while (rxDtmf(b) === 0 && Date.now() - t0 < 2000) await sleep(5);
      assert.equal(rxDtmf(b), 1, `${b.name}'s engine counts one received telephone-event`);
      await sleep(600); // the tone lasts one key press (~100 ms); let it end and the call audio resume
      const rate = b.earpiece.format.sampleRate;
      const played = b.earpiece.recent(((b.earpiece.totalSamples - before) * 1000) / rate);
      const win = Math.round(rate * 0.04);  // 40 ms windows, 10 ms apart
      const hop = Math.round(rate * 0.01);
      const present: boolean[] = [];
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i + win <= played.length; i += hop) {
        const min = Math.min(...detectTones(played.subarray(i, i + win), rate, FIVE).map((l) => l.dbfs));
        best = Math.max(best, min);
        present.push(min >= PRESENT_DBFS);
      }
      const first = present.indexOf(true);
      const last = present.lastIndexOf(true);
      assert.ok(first >= 0, `${b.name} hears 770 + 1336 Hz after the key press (best 40 ms window: ${best.toFixed(1)} dBFS)`);
      // One burst, as long as a key press (100 ms of tone gives ~7 overlapping 40 ms windows). A
      // loaded machine can stretch it with playout gaps; a tone stuck on or repeated spans far more.
      const spanMs = (last - first) * 10 + 40;
      const heardMs = present.filter(Boolean).length * 10;
      assert.ok(spanMs <= 800 && heardMs <= 300, `one short tone: ${present.map((p) => (p ? '#' : '.')).join('')}`);
      const after = levels(b, 100);
      assert.ok(after.every((d) => d < PRESENT_DBFS), `${b.name}'s DTMF tone ended: ${after.map((d) => d.toFixed(1)).join(', ')} dBFS`);
      assert.equal(rxDtmf(b), 1, 'one key press is one event');
      assert.equal(txDtmf(a), 1, `${a.name}'s engine sent one telephone-event (counted once its end packets are out)`);
    } finally { await rig.close(); }
  });
}
