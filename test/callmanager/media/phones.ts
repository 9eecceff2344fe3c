/**
 * Test phones for the CM's media services: a real RtpMediaEngine per phone (UDP on loopback, the
 * phone's own jitter buffer and codecs) with a tone microphone and a recording speaker, joined to
 * a ConferenceBridge the way the call core will do it (addParticipant → the phone sends there;
 * the phone's receive port → setRemote). Time is a VirtualClock; `run` lets real UDP deliver
 * between virtual 10 ms steps.
 */
import type { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { detectTones } from '../../../firmware/media/tone-detect.js';
import type { ConferenceBridge } from '../../../callmanager/media/conference.js';
import type { LegCodecName } from '../../../callmanager/media/leg.js';

const ENGINE_CODEC: Record<LegCodecName, string> = { ulaw: 'PCMU', alaw: 'PCMA', g722: 'G722' };
const realTick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

/** Advances virtual time in 10 ms steps, letting loopback UDP deliver between steps. */
export async function run(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) { await clock.advance(10); await realTick(); }
}

export interface TestPhone {
  freq: number; codec: LegCodecName; rate: number; id: number;
  engine: RtpMediaEngine; speaker: RecordingSpeaker; mic: ToneMicrophone;
  /** dBFS of each frequency over the last `ms` the speaker played. */
  /** The bridge's port for this participant and the phone's own RTP port. */
  ports: [number, number];
  levels(freqs: readonly number[], ms?: number): Record<number, number>;
  /** Media both ways (done by joinPhone unless `deferConnect`). */
  connect(): Promise<void>;
  leave(): Promise<void>;
}

/** A phone speaking `freq` (−10 dBFS) joined to `bridge`; G.722 phones run 16 kHz audio devices. */
export async function joinPhone(clock: VirtualClock, bridge: ConferenceBridge, freq: number, codec: LegCodecName,
  ptimeMs = 20, opts: { deferConnect?: boolean } = {}): Promise<TestPhone> {
  const rate = codec === 'g722' ? 16000 : 8000;
  const format = { sampleRate: rate, channels: 1 as const, periodFrames: rate / 50 };
  const mic = new ToneMicrophone({ clock, freq, levelDbfs: -10, format });
  const speaker = new RecordingSpeaker({ seconds: 20, format });
  const engine = new RtpMediaEngine({ clock, microphone: mic, speaker });
  const choice = { codec: ENGINE_CODEC[codec], ptimeMs };
  const info = await bridge.addParticipant({ codec, ptimeMs });
  const ep = await engine.openReceive(1, choice);
  const connect = async (): Promise<void> => {
    bridge.setRemote(info.id, ep.address, ep.port);
    await engine.startTransmit(1, { address: info.localAddress, port: info.localPort }, choice);
  };
  if (!opts.deferConnect) await connect();
  return {
    freq, codec, rate, id: info.id, engine, speaker, mic, ports: [info.localPort, ep.port], connect,
    levels(freqs, ms = 1000) {
      const rec = speaker.recent(ms);
      const out: Record<number, number> = {};
      for (const l of detectTones(rec, rate, freqs)) out[l.freq] = l.dbfs;
      return out;
    },
    async leave() { await bridge.remove(info.id); await engine.close(); },
  };
}

/** "hears X and Y but not Z" in one line for assertion messages. */
export function describe(p: TestPhone, lv: Record<number, number>): string {
  return `phone ${p.id} (${p.codec}, ${p.freq} Hz): ${Object.entries(lv).map(([f, d]) => `${f} Hz ${d.toFixed(1)} dBFS`).join(', ')}`;
}
