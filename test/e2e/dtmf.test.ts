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

      // The tap resolves only after the key's release scan; the 100 ms tone is measured while it runs.
      const tapped = a.tap('5');
      const t0 = Date.now();
      while (rxDtmf(b) === 0 && Date.now() - t0 < 2000) await sleep(5);
      assert.equal(rxDtmf(b), 1, `${b.name}'s engine counts one received telephone-event`);
      await sleep(70);
      const during = levels(b, 60);
      assert.ok(during.every((d) => d >= PRESENT_DBFS), `${b.name} hears 770 + 1336 Hz: ${during.map((d) => d.toFixed(1)).join(', ')} dBFS`);
      await tapped;

      await sleep(300); // the tone lasts one key press (100 ms), then the earpiece is back to the call
      const after = levels(b, 100);
      assert.ok(after.every((d) => d < PRESENT_DBFS), `${b.name}'s DTMF tone ended: ${after.map((d) => d.toFixed(1)).join(', ')} dBFS`);
      assert.equal(rxDtmf(b), 1, 'one key press is one event');
      assert.equal(txDtmf(a), 1, `${a.name}'s engine sent one telephone-event (counted once its end packets are out)`);
    } finally { await rig.close(); }
  });
}
