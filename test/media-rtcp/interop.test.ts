/**
 * Real peers (perf-anchors.md §3, §4): ffmpeg sends PCMU RTP (+ RTCP SR) to the engine and the
 * engine's speaker output must equal ffmpeg's own decode of the same input; tshark analyses the
 * engine's own stream on SystemClock (drift-free intervals): 0 lost, 160-tick steps, low jitter.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindRtpPair } from '../../firmware/media/udp-pair.js';
import { test } from 'node:test';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { RecordingSpeaker, ToneMicrophone, wavFile } from '../../firmware/media/emulated-audio.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import { AdaptiveJitterBuffer } from '../../firmware/media/jitter-buffer.js';
import { assertSameAudio, needTool, run, tempDir } from '../media/oracles.js';
import { requireCapture } from '../support/oracles.js';
import { startCapture, tshark } from '../support/capture.js';

const PCMU20 = { codec: 'PCMU', ptimeMs: 20 };

test('ffmpeg → engine: speaker output equals ffmpeg\'s own PCMU decode of the input', async (t) => {
  if (!needTool(t, 'ffmpeg', '-version')) return;
  const dir = tempDir('ffrtp');
  const n = 8000 * 2;                                     // 2 s at 8 kHz
  const sig = Int16Array.from({ length: n }, (_, i) => Math.round(9000 * Math.sin(i * 0.11) + 5000 * Math.sin(i * 0.93) + (i % 97) * 20));
  writeFileSync(join(dir, 'in.wav'), wavFile(sig, 8000));
  // ffmpeg's own encode → decode of the same input (the reference)
  run('ffmpeg', ['-v', 'error', '-i', join(dir, 'in.wav'), '-f', 'mulaw', '-y', join(dir, 'ref.ul')]);
  run('ffmpeg', ['-v', 'error', '-f', 'mulaw', '-ar', '8000', '-ac', '1', '-i', join(dir, 'ref.ul'), '-f', 's16le', '-y', join(dir, 'ref.raw')]);
  const refBuf = readFileSync(join(dir, 'ref.raw'));
  const ref = new Int16Array(refBuf.buffer, refBuf.byteOffset, refBuf.length / 2);
  const clock = new SystemClock();
  const speaker = new RecordingSpeaker({ seconds: 5 });
  const engine = new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: 1000 }), speaker,
    // This test is about the decode path, not the network: a deep fixed playout delay keeps CI
    // scheduling hiccups (2 cores, tests in parallel) from turning into late packets. The impairment
    // test covers the adaptive delay.
    playout: (codec, ptimeMs) => new AdaptiveJitterBuffer({ clock, clockRate: codec.clockRate, frameMs: ptimeMs, minDelayMs: 200, maxDelayMs: 400 }),
  });
  try {
    const ep = await engine.openReceive(1, PCMU20);
    const ffPort = await negotiatePeer(engine, PCMU20);
    const ff = spawn('ffmpeg', ['-v', 'error', '-re', '-f', 'lavfi', '-i', `amovie=${join(dir, 'in.wav')},asetnsamples=n=160:p=1`,
      '-acodec', 'pcm_mulaw', '-payload_type', '0', '-f', 'rtp', `rtp://127.0.0.1:${ep.port}?localrtpport=${ffPort}&localrtcpport=${ffPort + 1}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    ff.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((r) => ff.once('exit', r));
    assert.equal(code, 0, `ffmpeg failed: ${err}`);
    await clock.sleep(800);                               // drain the playout buffer (200-400 ms deep)
    const s = engine.stats(1)!;
    assert.equal(s.packetsReceived, n / 160, `received ${s.packetsReceived} packets`);
    assert.equal(s.packetsLost + s.malformed + s.wrongPayloadType, 0);
    // The jitter buffer conceals only the 60 ms tail after the stream stops (App I fade), never a gap.
    assert.equal(s.jitterBuffer!.lost + s.late, 0, `jitter buffer: ${JSON.stringify(s.jitterBuffer)}`);
    assert.equal(s.rtcpMalformed, 0, 'ffmpeg\'s RTCP SR parses');
    assertSameAudio(speaker.recent(5000), ref);
  } finally { await engine.close(); }
});

test('tshark on our sender (SystemClock): 0 lost, +160 timestamp steps, jitter < 1 ms', async (t) => {
  if (!requireCapture(t)) return;
  const clock = new SystemClock();
  const mk = (f: number) => new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: f }), speaker: new RecordingSpeaker() });
  const a = mk(1000);
  const b = mk(1500);
  const epB = await b.openReceive(1, PCMU20);
  const cap = await startCapture(`udp dst port ${epB.port}`);
  try {
    await a.openReceive(1, PCMU20);
    await a.startTransmit(1, epB, PCMU20);
    await clock.sleep(3000);
    await a.stopTransmit(1);
    await clock.sleep(100);
  } finally { await cap.stop(); await a.close(); await b.close(); }
  const out = tshark(['-r', cap.file, '-d', `udp.port==${epB.port},rtp`, '-q', '-z', 'rtp,streams']);
  const row = out.split('\n').find((l) => /G\.711|g711U/i.test(l));
  assert.ok(row, `no PCMU stream:\n${out}`);
  // … Pkts Lost (pct) MinDelta MeanDelta MaxDelta MinJitter MeanJitter MaxJitter [Problems]
  const m = /\s(\d+)\s+(-?\d+)\s+\(([-\d.]+)%\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(row!);
  assert.ok(m, `unparsed row: ${row}`);
  const [pkts, lost, meanDelta, meanJitter, maxJitter] = [Number(m![1]), Number(m![2]), Number(m![5]), Number(m![8]), Number(m![9])];
  assert.ok(pkts >= 140 && pkts <= 151, `${pkts} packets in 3 s`);
  assert.equal(lost, 0);
  assert.ok(Math.abs(meanDelta - 20) < 0.3, `mean delta ${meanDelta} ms: the send clock drifts`);
  // Wrong timestamp steps would show as huge jitter; the 1 ms bound is for an idle box, 3 ms tolerates a loaded CI.
  assert.ok(meanJitter < 1, `mean jitter ${meanJitter} ms`);
  assert.ok(maxJitter < 3, `max jitter ${maxJitter} ms`);
  const ts = tshark(['-r', cap.file, '-d', `udp.port==${epB.port},rtp`, '-T', 'fields', '-e', 'rtp.timestamp']).trim().split('\n').map(Number);
  for (let i = 1; i < ts.length; i++) assert.equal((ts[i]! - ts[i - 1]! + 2 ** 32) % 2 ** 32, 160, `timestamp step at packet ${i}`);
});

/**
 * The engine plays media only from the negotiated peer (docs/security.md §7): pick a free port pair
 * for ffmpeg's source (localrtpport) and name it as the stream's remote, as StartMediaTransmission would.
 */
async function negotiatePeer(engine: RtpMediaEngine, choice: Parameters<RtpMediaEngine['startTransmit']>[2]): Promise<number> {
  const pair = await bindRtpPair('127.0.0.1', 'ffmpeg source');
  const port = pair[0].address().port;
  await Promise.all(pair.map((k) => new Promise<void>((r) => k.close(() => r()))));
  await engine.startTransmit(1, { address: '127.0.0.1', port }, choice);
  return port;
}
