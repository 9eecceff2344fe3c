/**
 * Call-progress tones played locally on the phone's speaker (SCCP StartTone is a local tone,
 * docs/sccp.md §4). Frequencies, levels and cadences are the North American "precise tone
 * plan" of ANSI T1.401 (as listed per country in ITU-T E.180 Supplement 2); DTMF pairs are
 * ITU-T Q.23 §2; special information tones (SIT) are ITU-T E.180 §6 / Q.35.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmSink } from '../../hal/api/pcm.js';
import type { TonePlayer } from './engine.js';

/** One cadence step: the frequencies sounding (none = silence) for `ms` milliseconds. */
export interface ToneSegment { freqs: readonly number[]; ms: number }

export interface ToneSpec {
  /** Level of each component in dBm0. */
  levelDbm0: number;
  segments: readonly ToneSegment[];
  /** Index the cadence repeats from after the last segment; undefined = play once, then silence. */
  loopFrom?: number;
}

const on = (freqs: readonly number[], ms: number): ToneSegment => ({ freqs, ms });
const off = (ms: number): ToneSegment => ({ freqs: [], ms });
const CONTINUOUS = Number.POSITIVE_INFINITY;

/** T1.401: dial tone 350 + 440 Hz at −13 dBm0 per component, continuous. */
const DIAL = [350, 440];
/** T1.401: audible ringing 440 + 480 Hz; busy / reorder 480 + 620 Hz. */
const RINGBACK = [440, 480];
const BUSY = [480, 620];
/** T1.401 receiver-off-hook (howler) components 1400 + 2060 + 2450 + 2600 Hz. */
const ROH = [1400, 2060, 2450, 2600];

/** ITU-T Q.23 §2 DTMF: low group (rows) and high group (columns). */
const DTMF_LOW = [697, 770, 852, 941];
const DTMF_HIGH = [1209, 1336, 1477, 1633];
const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'];

export function dtmfPair(key: string): [number, number] | undefined {
  const k = key.toUpperCase();
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYS[r]!.indexOf(k);
    if (c >= 0 && k.length === 1) return [DTMF_LOW[r]!, DTMF_HIGH[c]!];
  }
  return undefined;
}

export const TONES: Readonly<Record<string, ToneSpec>> = {
  silence: { levelDbm0: 0, segments: [off(CONTINUOUS)], loopFrom: 0 },
  dial: { levelDbm0: -13, segments: [on(DIAL, CONTINUOUS)], loopFrom: 0 },
  outsidedial: { levelDbm0: -13, segments: [on(DIAL, CONTINUOUS)], loopFrom: 0 },
  // T1.401: audible ringing −19 dBm0, 2 s on / 4 s off.
  ringback: { levelDbm0: -19, segments: [on(RINGBACK, 2000), off(4000)], loopFrom: 0 },
  // T1.401: busy −24 dBm0, 0.5 s on / 0.5 s off (60 IPM).
  busy: { levelDbm0: -24, segments: [on(BUSY, 500), off(500)], loopFrom: 0 },
  // T1.401: reorder −24 dBm0, 0.25 s on / 0.25 s off (120 IPM).
  reorder: { levelDbm0: -24, segments: [on(BUSY, 250), off(250)], loopFrom: 0 },
  // T1.401: call waiting 440 Hz −13 dBm0, 300 ms burst; repeated every 10 s (Cisco behaviour).
  callwaiting: { levelDbm0: -13, segments: [on([440], 300), off(9700)], loopFrom: 0 },
  // T1.401: message waiting = stutter dial tone, 10 × (0.1 s on / 0.1 s off), then steady dial.
  messagewaiting: {
    levelDbm0: -13,
    segments: [...Array.from({ length: 10 }, () => [on(DIAL, 100), off(100)]).flat(), on(DIAL, CONTINUOUS)],
    loopFrom: 20,
  },
  // T1.401: confirmation tone, 3 × (0.1 s on / 0.1 s off) of dial tone, then silence.
  confirmation: { levelDbm0: -13, segments: [on(DIAL, 100), off(100), on(DIAL, 100), off(100), on(DIAL, 100)] },
  // Receiver off-hook howler: 0.1 s on / 0.1 s off (T1.401 ROH cadence); level kept moderate.
  offhookwarning: { levelDbm0: -6, segments: [on(ROH, 100), off(100)], loopFrom: 0 },
  // ITU-T E.180 §6: SIT 950 / 1400 / 1800 Hz, 330 ms each, then 1 s silence.
  nosuchnumber: { levelDbm0: -24, segments: [on([950], 330), on([1400], 330), on([1800], 330), off(1000)], loopFrom: 0 },
  // Cisco zip tone: one 440 Hz burst (T1.401 frequency), 100 ms.
  zip: { levelDbm0: -13, segments: [on([440], 100)] },
  // Hold reminder: 440 Hz 100 ms every 10 s (same source as call waiting, shorter burst).
  hold: { levelDbm0: -19, segments: [on([440], 100), off(9900)], loopFrom: 0 },
};

/** Looks up a ToneName from firmware/station/signalling.ts ('dtmf-5' included). */
export function toneSpec(name: string): ToneSpec | undefined {
  if (name.startsWith('dtmf-')) {
    const pair = dtmfPair(name.slice(5));
    // ITU-T Q.24 receivers accept −20..0 dBm0; −10 dBm0 per component is a comfortable local level.
    return pair ? { levelDbm0: -10, segments: [on(pair, CONTINUOUS)], loopFrom: 0 } : undefined;
  }
  return TONES[name];
}

/**
 * G.711 overload point: a full-scale sine is +3.14 dBm0 (G.711 §2 / Table 2a A-law; µ-law +3.17).
 * Peak amplitude of one component at L dBm0 = 32767 × 10^((L − 3.14) / 20).
 */
export function dbm0ToPeak(dbm0: number): number {
  return 32767 * Math.pow(10, (dbm0 - 3.14) / 20);
}

const MAX_COMPONENTS = 4;

/** Fills Int16Array periods with a tone's cadence. Phase-continuous, allocation-free per period. */
export class ToneGenerator {
  private spec: ToneSpec | undefined;
  private seg = 0;
  private segLeft = 0;               // samples left in the current segment
  private readonly phase = new Float64Array(MAX_COMPONENTS);
  private readonly step = new Float64Array(MAX_COMPONENTS);
  private comps = 0;
  private amp = 0;
  private done = true;

  constructor(readonly sampleRate: number) {}

  /** Starts `spec` from the beginning of its cadence. */
  start(spec: ToneSpec): void {
    this.spec = spec;
    this.amp = dbm0ToPeak(spec.levelDbm0);
    this.done = false;
    this.enter(0);
  }

  stop(): void { this.spec = undefined; this.done = true; }

  /** True while the tone still produces output (finite cadences end). */
  get active(): boolean { return !this.done; }

  /** Writes n samples into out[off..]; silence once the tone has ended. Returns `active`. */
  fill(out: Int16Array, off: number, n: number): boolean {
    let i = 0;
    while (i < n) {
      if (this.done || !this.spec) { out.fill(0, off + i, off + n); break; }
      if (this.segLeft <= 0) { this.advance(); continue; }
      const take = Math.min(n - i, this.segLeft);
      for (let k = 0; k < take; k++) {
        let v = 0;
        for (let c = 0; c < this.comps; c++) {
          v += Math.sin(this.phase[c]!);
          this.phase[c] = (this.phase[c]! + this.step[c]!) % (2 * Math.PI);
        }
        const s = Math.round(v * this.amp);
        out[off + i + k] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
      }
      i += take;
      this.segLeft -= take;
    }
    return !this.done;
  }

  private enter(index: number): void {
    const segs = this.spec!.segments;
    this.seg = index;
    const s = segs[index]!;
    this.segLeft = s.ms === CONTINUOUS ? Number.POSITIVE_INFINITY : Math.round((s.ms * this.sampleRate) / 1000);
    this.comps = Math.min(s.freqs.length, MAX_COMPONENTS);
    for (let c = 0; c < this.comps; c++) {
      this.phase[c] = 0;
      this.step[c] = (2 * Math.PI * s.freqs[c]!) / this.sampleRate;
    }
  }

  private advance(): void {
    const spec = this.spec!;
    if (this.seg + 1 < spec.segments.length) this.enter(this.seg + 1);
    else if (spec.loopFrom !== undefined) this.enter(spec.loopFrom);
    else this.done = true;
  }
}

export interface LocalTonePlayerOptions {
  clock: Clock;
  /** Where tone periods go: normally a SpeakerMixer channel. */
  sink: PcmSink;
}

/** TonePlayer (engine.ts) writing one period to `sink` per period time on the injected clock. */
export class LocalTonePlayer implements TonePlayer {
  private readonly gen: ToneGenerator;
  private readonly buf: Int16Array;
  private readonly periodMs: number;
  private timer: TimerHandle | undefined;
  private current: string | undefined;

  constructor(private readonly opts: LocalTonePlayerOptions) {
    const f = opts.sink.format;
    this.gen = new ToneGenerator(f.sampleRate);
    this.buf = new Int16Array(f.periodFrames);
    this.periodMs = (f.periodFrames * 1000) / f.sampleRate;
  }

  get playing(): string | undefined { return this.current; }

  /** Unknown tone names fall back to silence (logged by the caller's 'tone' handling). */
  play(tone: string): void {
    const spec = toneSpec(tone);
    if (!spec || tone === 'silence') { this.stop(); return; }
    this.current = tone;
    this.gen.start(spec);
    if (!this.timer) {
      this.tick();
      this.timer = this.opts.clock.setInterval(() => this.tick(), this.periodMs);
    }
  }

  stop(): void {
    this.current = undefined;
    this.gen.stop();
    if (this.timer) { this.opts.clock.clearInterval(this.timer); this.timer = undefined; }
  }

  private tick(): void {
    const active = this.gen.fill(this.buf, 0, this.buf.length);
    this.opts.sink.write(this.buf);
    if (!active) this.stop();
  }
}
