/**
 * The conference bridge's mixing core (docs/conference.md "Mixing"), without sockets or timers:
 * once per 20 ms `tick()` takes one tick of audio from every participant's jitter buffer, brings
 * it to the mixing rate, mixes N−1 (firmware/media/mix-minus.ts: each hears everyone but itself,
 * saturated to 16 bits) and hands each participant its mix at its codec's rate, where TxPath
 * packetises it per ptime and encodes it.
 *
 * Mixing rate: 16 kHz linear while any participant is wideband (G.722), else 8 kHz. Narrowband
 * participants in a 16 kHz mix are converted 2:1 each way (resample.ts half-band FIR); their
 * converters are made when they join, so a rate change allocates nothing either. Transcoding is
 * therefore decode → (resample) → mix → (resample) → encode per participant.
 *
 * Packet times other than the tick: a participant's decoded frames (one ptime each) queue in a
 * small FIFO at the codec rate, one tick is taken per tick; on the transmit side TxPath collects
 * ticks into packets. Steady state allocates nothing (test/callmanager/media/conference-alloc.test.ts).
 */
import { mixMinusOne } from '../../firmware/media/mix-minus.js';
import { Downsampler2, Upsampler2 } from '../../firmware/media/resample.js';
import type { MediaLeg } from './leg.js';

/** The mixer's period: 20 ms, the SCCP/phones' default packet time (docs/sccp.md §3 millisecondPacketSize). */
export const MIX_TICK_MS = 20;
/** Samples per tick at the highest mixing rate (16 kHz). */
const MAX_TICK = (MIX_TICK_MS * 16000) / 1000;

/** A participant inside the mixer. */
export class MixPort {
  readonly wide: boolean;
  /** Samples of one tick at the codec's rate. */
  readonly codecTick: number;
  /** Decoded audio not yet mixed, codec rate (room for a tick plus one packet). */
  private readonly fifo: Int16Array;
  private have = 0;
  /** This tick's input and output at the mixing rate (capacity 16 kHz). */
  readonly input = new Int16Array(MAX_TICK);
  readonly mixed16 = new Int16Array(MAX_TICK);
  /** This tick's output at the codec's rate, exact length for TxPath. */
  readonly out: Int16Array;
  /** The array the mix is written to: `out` when no conversion is needed, else `mixed16`. */
  target: Int16Array;
  private readonly up: Upsampler2 | undefined;
  private readonly down: Downsampler2 | undefined;
  convert = false;
  /** Ticks this participant contributed audio to (not silence while its buffer was empty). */
  ticksHeard = 0;

  constructor(readonly leg: MediaLeg) {
    this.wide = leg.codec.sampleRate === 16000;
    this.codecTick = MIX_TICK_MS * leg.codec.samplesPerMs;
    this.fifo = new Int16Array(this.codecTick + leg.ptimeMs * leg.codec.samplesPerMs);
    this.out = new Int16Array(this.codecTick);
    this.target = this.out;
    if (!this.wide) { this.up = new Upsampler2(); this.down = new Downsampler2(); }
  }

  /** Mixing rate changed: narrowband ports convert 2:1 in a 16 kHz mix. */
  setMixRate(rate: number): void {
    const convert = !this.wide && rate === 16000;
    if (convert !== this.convert) { this.up?.reset(); this.down?.reset(); }
    this.convert = convert;
    this.target = convert ? this.mixed16 : this.out;
  }

  /** Fills `input` with one tick at the mixing rate (silence where the buffer had nothing). */
  gather(): void {
    const n = this.codecTick;
    const f = this.fifo;
    while (this.have < n) {
      const frame = this.leg.pull();
      if (frame === undefined) break;
      const len = frame.length <= f.length - this.have ? frame.length : f.length - this.have;
      for (let i = 0; i < len; i++) f[this.have + i] = frame[i]!;
      this.have += len;
    }
    if (this.have > 0) this.ticksHeard++;
    for (let i = this.have; i < n; i++) f[i] = 0;
    if (this.convert) this.up!.process(f, 0, n, this.input, 0);
    else for (let i = 0; i < n; i++) this.input[i] = f[i]!;
    if (this.have > n) { f.copyWithin(0, n, this.have); this.have -= n; } else this.have = 0;
  }

  /** Sends this tick's mix (written into `target`) on to the participant. */
  deliver(): void {
    if (this.convert) this.down!.process(this.mixed16, 0, 2 * this.codecTick, this.out, 0);
    this.leg.feed(this.out);
  }
}

export class ConferenceMixer {
  private readonly ports: MixPort[] = [];
  private readonly inputs: Int16Array[] = [];
  private readonly outputs: Int16Array[] = [];
  private readonly sum = new Int32Array(MAX_TICK);
  /** Current mixing rate (Hz). */
  rate = 8000;
  ticks = 0;
  /** Output samples saturated to 16 bits since the start. */
  clipped = 0;

  get size(): number { return this.ports.length; }
  get list(): readonly MixPort[] { return this.ports; }

  add(leg: MediaLeg): MixPort {
    const p = new MixPort(leg);
    this.ports.push(p);
    this.relayout();
    return p;
  }

  remove(p: MixPort): void {
    const i = this.ports.indexOf(p);
    if (i < 0) return;
    this.ports.splice(i, 1);
    this.relayout();
  }

  /** One 20 ms period: gather, mix N−1, deliver. */
  tick(): void {
    const ports = this.ports;
    const count = ports.length;
    this.ticks++;
    if (count === 0) return;
    for (let p = 0; p < count; p++) ports[p]!.gather();
    this.clipped += mixMinusOne(this.inputs, this.outputs, count, (MIX_TICK_MS * this.rate) / 1000, this.sum);
    for (let p = 0; p < count; p++) ports[p]!.deliver();
  }

  private relayout(): void {
    let wide = false;
    for (const p of this.ports) if (p.wide) wide = true;
    this.rate = wide ? 16000 : 8000;
    this.inputs.length = 0; this.outputs.length = 0;
    for (const p of this.ports) { p.setMixRate(this.rate); this.inputs.push(p.input); this.outputs.push(p.target); }
  }
}
