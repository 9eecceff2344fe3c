/**
 * External check (docs/media.md "External peers and checkers"): capture one engine-to-engine stream on loopback in real
 * time and let tshark's RTP analysis count packets and loss independently of our stats.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Clock, TimerHandle } from '../../../hal/api/clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { requireTool, run, tempDir } from '../../support/oracles.js';

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
  const dir = tempDir('tshark');
  const cap = join(dir, 'cap.pcap');
  const mk = (freq: number) => {
    const microphone = new ToneMicrophone({ clock: realClock, freq });
    return new RtpMediaEngine({ clock: realClock, microphone, speaker: new RecordingSpeaker() });
  };
  const a = mk(1000);
  const b = mk(1500);
  const choice = { codec: 'PCMU', ptimeMs: 20 };
  const epB = await b.openReceive(1, choice);
  const epA = await a.openReceive(1, choice);
  const dump = spawn('tshark', ['-i', 'lo', '-f', `udp dst port ${epB.port}`, '-w', cap, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  dump.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  // wait until tshark reports "Capturing on 'Loopback'"
  for (let i = 0; i < 100 && !/Capturing on/.test(err); i++) await realClock.sleep(50);
  assert.match(err, /Capturing on/, `tshark did not start: ${err}`);
  try {
    await a.startTransmit(1, epB, choice);
    await b.startTransmit(1, epA, choice);
    await realClock.sleep(1500);
    await a.stopTransmit(1);
    await realClock.sleep(300);
  } finally {
    dump.kill('SIGINT');
    await new Promise((r) => dump.once('exit', r));
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
  assert.ok(pkts >= 60, `tshark counted ${pkts} packets in 1.5 s`);
  assert.equal(lost, 0, `tshark reports loss:\n${out}`);
  assert.ok(meanDelta > 15 && meanDelta < 30, `mean delta ${meanDelta} ms, expected ~20 (ptime; timers on a loaded 2-core box run late)`);
});
