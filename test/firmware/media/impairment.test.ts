/**
 * Two engines through the impairment proxy on loopback UDP (VirtualClock): 10 % loss, 60 ms
 * uniform delay jitter (reorders), 3 % duplication, both directions. The adaptive jitter buffer
 * + PLC must keep the far end's tone audible in every 20 ms speaker period once playout started,
 * the statistics must account for what the proxy did, and the call must go on cleanly afterwards.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { detectTones } from '../../../firmware/media/tone-detect.js';
import { RtpMediaEngine, type RtpStreamStats } from '../../../firmware/media/rtp-engine.js';
import type { CodecChoice } from '../../../firmware/media/engine.js';
import { ImpairmentProxy } from './impairment.js';

const RATE = 8000;
const FRAME = 160;                                     // one 20 ms speaker period at 8 kHz
const realTick = () => new Promise<void>((r) => setTimeout(r, 1));

async function run(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) { await clock.advance(10); await realTick(); }
}

function phone(clock: VirtualClock, freq: number) {
  const microphone = new ToneMicrophone({ clock, freq, levelDbfs: -10 });
  const speaker = new RecordingSpeaker({ seconds: 20 });
  return { freq, microphone, speaker, engine: new RtpMediaEngine({ clock, microphone, speaker }) };
}

/**
 * Every 20 ms window after the first audible sample: the wanted tone is within 20 dB of the
 * microphone level (−10 dBFS; the PLC's App I fade takes −20 % per 10 ms after the first 10 ms of a
 * loss burst, ≈ −14 dB by the third concealed frame) and at least 20 dB above the other side's
 * tone. Silence (no PLC) is far below that. Returns the failing windows.
 */
function gaps(rec: Int16Array, want: number, other: number): string[] {
  const start = rec.findIndex((x) => x !== 0);
  assert.ok(start >= 0, 'speaker heard nothing');
  const bad: string[] = [];
  for (let o = start; o + FRAME <= rec.length; o += FRAME) {
    const [w, x] = detectTones(rec.subarray(o, o + FRAME), RATE, [want, other]);
    if (w!.dbfs < -30 || w!.dbfs - x!.dbfs < 20) bad.push(`@${((o - start) / RATE).toFixed(2)} s: ${want} Hz ${w!.dbfs.toFixed(1)} dBFS, ${other} Hz ${x!.dbfs.toFixed(1)}`);
  }
  return bad;
}

const PCMU20 = { codec: 'PCMU', ptimeMs: 20 };

/** A call between two engines (ids 1 and 2) through the proxy at 10 % loss, 0-60 ms jitter, 3 % duplicates both ways. */
async function impairedCall(a: RtpMediaEngine, b: RtpMediaEngine, proxy: ImpairmentProxy, choice: CodecChoice): Promise<void> {
  const epA = await a.openReceive(1, choice);
  const epB = await b.openReceive(2, choice);
  proxy.connect(epA, epB);
  proxy.set('both', { loss: 0.10, jitterMs: 60, duplicate: 0.03 });
  await a.startTransmit(1, proxy.forA, choice);
  await b.startTransmit(2, proxy.forB, choice);
}

for (const codec of ['PCMU', 'G722']) {
  test(`${codec}: 10 % loss + 60 ms jitter + duplicates both ways: tone heard in every 20 ms, stats match the proxy`, async () => {
    const clock = new VirtualClock();
    const a = phone(clock, 1000);
    const b = phone(clock, 1500);
    const proxy = await ImpairmentProxy.create(clock, 0x5eed);
    const choice = { ...PCMU20, codec };
    try {
      await impairedCall(a.engine, b.engine, proxy, choice);
      await run(clock, 8000);                           // 400 packets each way

      for (const [who, p, want, other] of [['A', a, 1500, 1000], ['B', b, 1000, 1500]] as const) {
        const rec = p.speaker.recent(8000);
        const bad = gaps(rec, want, other);
        assert.deepEqual(bad, [], `${who} lost the far end's tone in ${bad.length} of ${Math.floor(rec.length / FRAME)} periods`);
      }
      const check = (st: RtpStreamStats, d: typeof proxy.aToB, who: string): void => {
        const jb = st.jitterBuffer!;
        const info = `${who}: proxy ${JSON.stringify(d.c)}, engine lost ${st.packetsLost} rx ${st.packetsReceived}, jb ${JSON.stringify(jb)}`;
        assert.ok(d.c.dropped >= 25 && d.c.reordered >= 25 && d.c.duplicated >= 4, `impairment really applied: ${info}`);
        assert.equal(st.packetsReceived, d.c.forwarded, `every forwarded packet counted: ${info}`);
        // RFC 3550 A.3: lost = expected − received, duplicates count as received; in-flight tail ±2.
        assert.ok(Math.abs(st.packetsLost - (d.c.dropped - d.c.duplicated)) <= 2, `RTCP loss matches the proxy: ${info}`);
        // A copy that arrives after its frame was played counts as late rather than duplicate.
        assert.ok(jb.duplicates >= 1 && jb.duplicates <= d.c.duplicated && jb.duplicates + jb.late >= d.c.duplicated, `duplicates detected: ${info}`);
        assert.ok(jb.lost >= d.c.dropped - 2, `every dropped frame concealed as lost: ${info}`);
        assert.ok(jb.concealed >= jb.lost && jb.late >= 0, info);
        assert.ok(jb.targetDelayMs > 40 && jb.targetDelayMs <= 200, `target delay adapted to the jitter: ${info}`);
        assert.equal(st.malformed + st.unexpectedSource + st.wrongPayloadType, 0, info);
      };
      check(b.engine.stats(2)!, proxy.aToB, 'B');
      check(a.engine.stats(1)!, proxy.bToA, 'A');

      // The call survives: the network heals, both streams are still up and sound clean.
      proxy.set('both', {});
      await run(clock, 200);                            // packets already in flight (delayed) land first
      const lostBefore = b.engine.stats(2)!.jitterBuffer!.lost;
      await run(clock, 2000);
      assert.deepEqual(a.engine.activeStreams(), [1]);
      assert.deepEqual(b.engine.activeStreams(), [2]);
      assert.equal(b.engine.stats(2)!.jitterBuffer!.lost, lostBefore, 'no loss once the network healed');
      assert.deepEqual(gaps(b.speaker.recent(1500), 1000, 1500), []);
      assert.deepEqual(gaps(a.speaker.recent(1500), 1500, 1000), []);
    } finally {
      await a.engine.close();
      await b.engine.close();
      await proxy.close();
    }
  });
}

test('control: without the jitter buffer\'s concealment the same impairment leaves silent periods', async () => {
  const clock = new VirtualClock();
  const { AdaptiveJitterBuffer } = await import('../../../firmware/media/jitter-buffer.js');
  const mk = (freq: number) => {
    const microphone = new ToneMicrophone({ clock, freq, levelDbfs: -10 });
    const speaker = new RecordingSpeaker({ seconds: 20 });
    const engine = new RtpMediaEngine({ clock, microphone, speaker,
      playout: (c, ptimeMs) => new AdaptiveJitterBuffer({ clock, clockRate: c.clockRate, frameMs: ptimeMs, plc: false }) });
    return { speaker, engine };
  };
  const a = mk(1000);
  const b = mk(1500);
  const proxy = await ImpairmentProxy.create(clock, 0x5eed);
  try {
    await impairedCall(a.engine, b.engine, proxy, PCMU20);
    await run(clock, 4000);
    assert.ok(gaps(b.speaker.recent(4000), 1000, 1500).length >= 10, 'the tone test can fail: silence-filled gaps are detected');
  } finally {
    await a.engine.close(); await b.engine.close(); await proxy.close();
  }
});
