/**
 * Call-progress tones played in-band over RTP, as Asterisk chan_skinny does with `earlyrtp=yes`
 * (its default): no StartTone; the CM opens the phone's receive channel (OpenReceiveChannel) and,
 * once the phone acknowledges it with its RTP address, sends the tone there as G.711 in 20 ms
 * frames (docs/scenarios.md "Call managers differ"). Used by the call core in `compat: chan_skinny`.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmFormat, PcmSource } from '../../hal/api/pcm.js';
import { DEFAULT_FORMAT, RecordingSpeaker } from '../../firmware/media/pcm-recorder.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import { ToneGenerator, toneSpec } from '../../firmware/media/tones.js';
import type { CodecName } from '../../firmware/media/codecs.js';
import { PACKET_MS } from '../call-media.js';
import type { CmCommand, StationSink } from '../station.js';
import type { Logger } from '../log.js';

export type InbandToneName = 'busy' | 'reorder' | 'ringback';

/** A PcmSource playing one tone plan, period by period on the clock. */
class ToneSource implements PcmSource {
  readonly name = 'cm-inband-tone';
  readonly format: PcmFormat = DEFAULT_FORMAT;
  private readonly buf = new Int16Array(DEFAULT_FORMAT.periodFrames);
  private readonly gen = new ToneGenerator(DEFAULT_FORMAT.sampleRate);
  private timer: TimerHandle | undefined;
  constructor(private readonly clock: Clock, tone: InbandToneName) { this.gen.start(toneSpec(tone)!); }
  async start(onPeriod: (samples: Int16Array) => void): Promise<void> {
    if (this.timer) return;
    const ms = (this.format.periodFrames * 1000) / this.format.sampleRate;
    this.timer = this.clock.setInterval(() => { this.gen.fill(this.buf, 0, this.buf.length); onPeriod(this.buf); }, ms);
  }
  async stop(): Promise<void> { this.clock.clearInterval(this.timer); this.timer = undefined; }
  onError(): () => void { return () => {}; }
}

/** The parts of a call leg this needs (calls.ts Leg is a superset). */
export interface ToneLeg {
  dev: { name: string; sink?: StationSink; codecs: CodecName[] };
  line: number; ref: number; mediaOpen: boolean;
}

interface Playing { tone: InbandToneName; engine?: RtpMediaEngine; codec: 'PCMU' | 'PCMA' }

export class InbandTones {
  private readonly playing = new Map<ToneLeg, Playing>();

  constructor(private readonly clock: Clock, private readonly log: Logger, private readonly send: (leg: ToneLeg, cmd: CmCommand) => void) {}

  /** Opens the phone's receive channel for the tone; the tone starts when the phone acknowledges it. */
  play(leg: ToneLeg, tone: InbandToneName): void {
    if (leg.mediaOpen) return; // media already flows from the far end
    // The phone's first G.711 codec: tones are 8 kHz narrowband (Asterisk transcodes likewise).
    const codec = leg.dev.codecs.includes('PCMU') || !leg.dev.codecs.includes('PCMA') ? 'PCMU' : 'PCMA';
    this.playing.set(leg, { tone, codec });
    leg.mediaOpen = true;
    this.send(leg, { t: 'openReceive', ref: leg.ref, passThru: leg.ref, ms: PACKET_MS, codec });
  }

  /** OpenReceiveChannelAck for `leg`: true when it was for a tone (then the tone is sent to ip:port). */
  ready(leg: ToneLeg, ip: string, port: number): boolean {
    const p = this.playing.get(leg);
    if (!p) return false;
    if (p.engine) return true;
    const engine = new RtpMediaEngine({ clock: this.clock, microphone: new ToneSource(this.clock, p.tone),
      speaker: new RecordingSpeaker({ seconds: 1 }), bindAddress: leg.dev.sink?.localAddress?.replace(/^::ffff:/, '') || '127.0.0.1',
      log: (lvl, m) => (lvl === 'warn' ? this.log.warn(`${leg.dev.name}: in-band tone: ${m}`) : undefined) });
    p.engine = engine;
    const codec = p.codec;
    // The phone plays media only from the peer StartMediaTransmission names (docs/security.md), so
    // it is told to send to the tone's own endpoint: that endpoint is then its negotiated peer.
    void engine.openReceive(leg.ref, { codec, ptimeMs: PACKET_MS })
      .then((local) => {
        this.send(leg, { t: 'startMedia', ref: leg.ref, passThru: leg.ref, ip: local.address, port: local.port, ms: PACKET_MS, codec: p.codec });
        return engine.startTransmit(leg.ref, { address: ip, port }, { codec, ptimeMs: PACKET_MS });
      })
      .catch((e: Error) => this.log.warn(`${leg.dev.name}: in-band ${p.tone} tone not sent: ${e.message}`));
    return true;
  }

  /** Stops the tone of `leg` (the caller closes the phone's receive channel). */
  stop(leg: ToneLeg): void {
    const p = this.playing.get(leg);
    if (!p) return;
    this.playing.delete(leg);
    if (p.engine) void p.engine.close();
  }

  /** True while `leg` has a tone (its receive channel is the tone's, not a call's). */
  has(leg: ToneLeg): boolean { return this.playing.has(leg); }
}
