/**
 * External check (docs/media.md "External peers and checkers"): capture one engine-to-engine stream on loopback in real
 * time and let tshark's RTP analysis count packets and loss independently of our stats.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { test } from 'node:test';
import type { Clock, TimerHandle } from '../../../hal/api/clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { requireTool, run } from '../../support/oracles.js';
import { startCapture } from '../../support/capture.js';

/** Minimal real-time Clock (the board's SystemClock lives in hal/bindings; tests stay self-contained). */
const realClock: Clock = {
  now: () => performance.now(),
  wallTime: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms) as unknown as TimerHandle,
  clearInterval: (h) => clearInterval(h as unknown as NodeJS.Timeout),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

test('tshark sees our stream on loopback with 0 lost and 20 ms spacing', async (t) => {
  if (!requireTool(t, 'tshark')) return;
  if (process.getuid?.() !== 0) { t.skip('capturing on lo needs root (or dumpcap capabilities)'); return; }
  const mk = (freq: number) => {
    const microphone = new ToneMicrophone({ clock: realClock, freq });
    return new RtpMediaEngine({ clock: realClock, microphone, speaker: new RecordingSpeaker() });
  };
  const a = mk(1000);
  const b = mk(1500);
  const choice = { codec: 'PCMU', ptimeMs: 20 };
  const epB = await b.openReceive(1, choice);
  const epA = await a.openReceive(1, choice);
  // tshark takes seconds to start on a loaded machine; a capture that never starts is killed (support/capture.ts).
  const capture = await startCapture(`udp dst port ${epB.port}`).catch(async (e: Error) => { await a.close(); await b.close(); throw e; });
  const cap = capture.file;
  let sent = 0;
  try {
    await a.startTransmit(1, epB, choice);
    await b.startTransmit(1, epA, choice);
    await realClock.sleep(1500);
    await a.stopTransmit(1);
    sent = a.stats(1)?.packetsSent ?? 0;
    await realClock.sleep(300);
  } finally {
    await capture.stop();
    await a.close();
    await b.close();
  }
  assert.ok(existsSync(cap) && statSync(cap).size > 0, 'capture file written');
  const out = run('tshark', ['-r', cap, '-d', `udp.port==${epB.port},rtp`, '-q', '-z', 'rtp,streams']);
  // Row: src addr, port, dst addr, port, SSRC, payload, packets, lost (pct), deltas ..., problems
  const row = out.split('\n').find((l) => /ITU-T G\.711 PCMU|g711U/i.test(l));
  assert.ok(row, `no PCMU stream in tshark output:\n${out}`);
  const m = /\s(\d+)\s+(-?\d+)\s+\(([-\d.]+)%\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(row!);
  assert.ok(m, `unparsed row: ${row}`);
  const [pkts, lost, , , meanDelta] = [Number(m![1]), Number(m![2]), m![3], m![4], Number(m![5])];
  // Behaviour, not the machine's speed: tshark sees every packet the engine says it sent, in
  // sequence; the sending pace on a loaded 2-core machine is a figure of `npm run bench`.
  assert.ok(sent >= 10, `the engine sent only ${sent} packets in 1.5 s`);
  assert.equal(pkts, sent, `tshark counted ${pkts} packets, the engine sent ${sent}`);
  assert.equal(lost, 0, `tshark reports loss:\n${out}`);
  assert.ok(meanDelta >= 10, `mean delta ${meanDelta} ms: packets are paced (20 ms ptime), not sent in a burst`);
});
