/**
 * ffmpeg as a G.722 RTP peer (docs/media.md "External peers and checkers"): ffmpeg streams PT 9 (8000 Hz RTP clock, +160
 * per 20 ms, RFC 3551 §4.5.2) to the engine in real time; the engine's 16 kHz speaker output must
 * equal ffmpeg's own G.722 decode of ffmpeg's own encode of the same input, sample for sample.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindRtpPair } from '../../../firmware/media/udp-pair.js';
import { test } from 'node:test';
import { SystemClock } from '../../../hal/bindings/system-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { wavFile } from '../../../firmware/media/wav.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { AdaptiveJitterBuffer } from '../../../firmware/media/jitter-buffer.js';
import { assertSameAudio, requireTool, run, tempDir } from '../../support/oracles.js';

const FMT16 = { sampleRate: 16000, channels: 1 as const, periodFrames: 320 };

test('ffmpeg G.722 RTP → engine: 16 kHz speaker output equals ffmpeg\'s own decode', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tempDir('ffg722');
  const n = 16000 * 2;                                   // 2 s at 16 kHz
  const sig = Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin(i * 0.07) + 4000 * Math.sin(i * 0.61) + 2000 * Math.sin(i * 1.9)));
  writeFileSync(join(dir, 'in16k.wav'), wavFile(sig, 16000));
  run('ffmpeg', ['-v', 'error', '-i', join(dir, 'in16k.wav'), '-acodec', 'g722', '-f', 'g722', '-y', join(dir, 'ref.g722')]);
  run('ffmpeg', ['-v', 'error', '-f', 'g722', '-i', join(dir, 'ref.g722'), '-f', 's16le', '-y', join(dir, 'ref.raw')]);
  const refBuf = readFileSync(join(dir, 'ref.raw'));
  const ref = new Int16Array(refBuf.buffer, refBuf.byteOffset, refBuf.length / 2);
  const clock = new SystemClock();
  const playoutClockRates: number[] = [];
  const speaker = new RecordingSpeaker({ seconds: 5, format: FMT16 });
  const engine = new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: 1000, format: FMT16 }), speaker,
    // This test is about the decode path, not the network: a deep fixed playout delay keeps CI
    // scheduling hiccups (2 cores, tests in parallel) from turning into late packets. The impairment
    // test covers the adaptive delay.
    playout: (codec, ptimeMs) => { playoutClockRates.push(codec.clockRate); return new AdaptiveJitterBuffer({ clock, clockRate: codec.clockRate, frameMs: ptimeMs, minDelayMs: 200, maxDelayMs: 400 }); },
  });
  try {
    const ep = await engine.openReceive(1, { codec: 'G722', ptimeMs: 20 });
    const ffPort = await negotiatePeer(engine, { codec: 'G722', ptimeMs: 20 });
    const ff = spawn('ffmpeg', ['-v', 'error', '-re', '-f', 'lavfi', '-i', `amovie=${join(dir, 'in16k.wav')},asetnsamples=n=320:p=1`,
      '-acodec', 'g722', '-f', 'rtp', `rtp://127.0.0.1:${ep.port}?localrtpport=${ffPort}&localrtcpport=${ffPort + 1}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    ff.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((r) => ff.once('exit', r));
    assert.equal(code, 0, `ffmpeg failed: ${err}`);
    await clock.sleep(800);                              // drain the jitter buffer (200-400 ms deep)
    const s = engine.stats(1)!;
    assert.equal(s.rxCodec, 'G722/20');
    assert.equal(s.packetsReceived, n / 320, `received ${s.packetsReceived} packets of 20 ms`);
    assert.equal(s.octetsReceived, (n / 320) * 160, '160 bytes per 20 ms (64 kbit/s)');
    assert.equal(s.packetsLost + s.malformed + s.wrongPayloadType + s.late + s.jitterBuffer!.lost, 0, JSON.stringify(s));
    // RFC 3551 §4.5.2: G.722's RTP clock is 8000 Hz although it samples at 16 kHz. The playout
    // buffer is checked to read timestamps at that rate (a load-independent check; the measured
    // interarrival jitter depends on the machine's scheduling and is a figure of `npm run bench`).
    assert.deepEqual(playoutClockRates, [8000], 'the G.722 stream is played out on an 8000 Hz RTP clock');
    assertSameAudio(speaker.recent(5000), ref);
  } finally { await engine.close(); }
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
