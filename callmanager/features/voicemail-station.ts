/**
 * The CM's voicemail as a virtual station: a StationSink attached to the call core like a phone,
 * so calls reach it through the normal ring/answer/media path (docs/sccp.md §5). It answers at
 * once, opens a CM-side RTP endpoint (firmware/media/rtp-engine.ts) and either records the caller
 * after a beep (deposit) or plays the mailbox's messages back (retrieve). During retrieval the
 * Play/Store/Delete keys (docs/sscp.md §2 soft key events 19-21) or the RFC 4733 digits
 * 1 (play), 9 (store), 7 (delete) act on the current message.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmFormat, PcmSource } from '../../hal/api/pcm.js';
import { DEFAULT_FORMAT, RecordingSpeaker } from '../../firmware/media/pcm-recorder.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import { ToneGenerator } from '../../firmware/media/tones.js';
import type { VoicemailConfig } from '../config.js';
import type { CmCommand, StationSink } from '../station.js';
import type { Logger } from '../log.js';
import type { CodecName } from '../../firmware/media/codecs.js';
import type { VoicemailStore, VoiceMessage } from './voicemail-store.js';

/** The voicemail offers G.711 only (8 kHz store). */
export const VOICEMAIL_CODECS: CodecName[] = ['PCMU', 'PCMA'];
/** The beep before recording / before each message: 850 Hz for 400 ms at −13 dBm0 (T1.401 tone level). */
const BEEP = { levelDbm0: -13, segments: [{ freqs: [850], ms: 400 }] };
const BEEP_MS = 400;
const GAP_MS = 300;

export type VoicemailKey = 'play' | 'store' | 'delete';

export interface VoicemailHost {
  clock: Clock; log: Logger; store: VoicemailStore; config: VoicemailConfig;
  offHook(name: string): void;
  onHook(name: string): void;
  mediaReady(name: string, passThru: number, status: number, ip: string, port: number): void;
  /** The CM's own address towards the far party of `name`'s call (RTP bind address). */
  bindAddress(name: string): string;
}

/** A PcmSource playing queued sample blocks, then silence; `onDrained` fires when the queue runs out. */
export class PlaybackSource implements PcmSource {
  readonly name = 'voicemail-playback';
  readonly format: PcmFormat = DEFAULT_FORMAT;
  private readonly buf = new Int16Array(DEFAULT_FORMAT.periodFrames);
  private queue: Int16Array[] = [];
  private pos = 0;
  private timer: TimerHandle | undefined;
  onDrained: () => void = () => {};
  constructor(private readonly clock: Clock) {}

  enqueue(...blocks: Int16Array[]): void { this.queue.push(...blocks); }
  clear(): void { this.queue = []; this.pos = 0; }
  get busy(): boolean { return this.queue.length > 0; }

  async start(onPeriod: (samples: Int16Array) => void): Promise<void> {
    if (this.timer) return;
    const ms = (this.format.periodFrames * 1000) / this.format.sampleRate;
    this.timer = this.clock.setInterval(() => {
      let i = 0;
      while (i < this.buf.length && this.queue.length) {
        const b = this.queue[0]!;
        const n = Math.min(this.buf.length - i, b.length - this.pos);
        this.buf.set(b.subarray(this.pos, this.pos + n), i);
        i += n; this.pos += n;
        if (this.pos >= b.length) {
          this.queue.shift(); this.pos = 0;
          if (!this.queue.length) queueMicrotask(() => this.onDrained());
        }
      }
      this.buf.fill(0, i);
      onPeriod(this.buf);
    }, ms);
  }
  async stop(): Promise<void> { this.clock.clearInterval(this.timer); this.timer = undefined; }
  onError(): () => void { return () => {}; }
}

function beep(): Int16Array {
  const g = new ToneGenerator(DEFAULT_FORMAT.sampleRate);
  g.start(BEEP);
  const out = new Int16Array(((BEEP_MS + GAP_MS) * DEFAULT_FORMAT.sampleRate) / 1000);
  g.fill(out, 0, out.length);
  return out;
}

export class VoicemailStation implements StationSink {
  /** Set by the router before the call rings this station. */
  mode: 'deposit' | 'retrieve' = 'deposit';
  private caller = '';
  private engine: RtpMediaEngine | undefined;
  private recorder: RecordingSpeaker | undefined;
  private source: PlaybackSource | undefined;
  private current: VoiceMessage | undefined;
  private recordFrom = 0;

  constructor(readonly name: string, readonly mailbox: string, private readonly h: VoicemailHost) {}

  send(cmd: CmCommand): void {
    switch (cmd.t) {
      case 'callInfo': if (cmd.direction === 'inbound') this.caller = cmd.calling; return;
      case 'callState':
        if (cmd.state === 'ringin') queueMicrotask(() => this.h.offHook(this.name)); // answer at once
        else if (cmd.state === 'connected') this.begin();
        else if (cmd.state === 'offhook' && this.engine) queueMicrotask(() => this.h.onHook(this.name)); // the far end hung up
        else if (cmd.state === 'onhook') this.finish();
        return;
      case 'openReceive': void this.openReceive(cmd.passThru, cmd.codec, cmd.ms); return;
      case 'startMedia':
        void this.engine?.startTransmit(cmd.passThru, { address: cmd.ip, port: cmd.port }, { codec: cmd.codec, ptimeMs: cmd.ms })
          .catch((e: Error) => this.h.log.warn(`${this.name}: ${e.message}`));
        return;
      default: return;
    }
  }

  /** Play / Store / Delete on the current message (retrieval only). */
  key(k: VoicemailKey): void {
    if (this.mode !== 'retrieve' || !this.source) return;
    const m = this.current;
    if (k === 'play') { if (m) this.play(m); return; }
    if (m && k === 'delete') this.h.store.delete(this.mailbox, m);
    if (m && k === 'store') this.h.store.markHeard(this.mailbox, m);
    this.playNext(m);
  }

  private begin(): void {
    if (this.engine) return;
    this.source = new PlaybackSource(this.h.clock);
    this.recorder = new RecordingSpeaker({ seconds: this.h.config.maxSeconds + 1 });
    this.engine = new RtpMediaEngine({ clock: this.h.clock, microphone: this.source, speaker: this.recorder,
      bindAddress: this.h.bindAddress(this.name), log: (lvl, m) => (lvl === 'warn' ? this.h.log.warn(`${this.name}: ${m}`) : undefined),
      onDtmf: (_id, d) => { const k = ({ '1': 'play', '9': 'store', '7': 'delete' } as const)[d as '1']; if (k) this.key(k); } });
    if (this.mode === 'deposit') {
      this.source.enqueue(beep());
      this.source.onDrained = () => { this.recordFrom = this.recorder?.totalSamples ?? 0; };
    } else {
      this.source.onDrained = () => this.drained();
      this.playNext(undefined);
    }
  }

  private async openReceive(passThru: number, codec: CodecName, ms: number): Promise<void> {
    if (!this.engine) this.begin();
    try {
      const ep = await this.engine!.openReceive(passThru, { codec, ptimeMs: ms });
      this.h.mediaReady(this.name, passThru, 0, ep.address, ep.port);
    } catch (e) {
      this.h.log.warn(`${this.name}: cannot open RTP: ${(e as Error).message}`);
      this.h.mediaReady(this.name, passThru, 1, '0.0.0.0', 0); // MediaStatus 1 = error (docs/sccp.md §4)
    }
  }

  private play(m: VoiceMessage): void {
    this.current = m;
    this.source!.clear();
    this.source!.enqueue(beep(), m.samples);
  }

  /** The first new message after `after` (or from the start), else the first kept one; none = a double beep. */
  private playNext(after: VoiceMessage | undefined): void {
    const box = this.h.store.messages(this.mailbox);
    const from = after ? box.indexOf(after) + 1 : 0;
    const next = box.slice(Math.max(0, from)).find((m) => m.isNew) ?? box.find((m) => m.isNew);
    if (next) return this.play(next);
    this.current = undefined;
    this.source!.clear();
    this.source!.enqueue(beep(), beep());
  }

  /** A message played to the end counts as heard; the next new one follows. */
  private drained(): void {
    const m = this.current;
    if (!m || this.mode !== 'retrieve') return;
    this.h.store.markHeard(this.mailbox, m);
    const more = this.h.store.messages(this.mailbox).some((x) => x.isNew);
    if (more) this.playNext(m);
  }

  private finish(): void {
    const engine = this.engine; const rec = this.recorder;
    this.engine = undefined; this.recorder = undefined; this.source = undefined;
    if (engine) void engine.close();
    if (this.mode === 'deposit' && rec) {
      const n = rec.totalSamples - this.recordFrom;
      // At least 0.5 s after the beep, else the caller hung up before speaking: nothing stored.
      if (n >= rec.format.sampleRate / 2) {
        this.h.store.add(this.mailbox, this.caller, rec.recent((n * 1000) / rec.format.sampleRate), rec.format.sampleRate, this.h.clock.wallTime());
      }
    } else if (this.mode === 'retrieve' && this.current) this.h.store.markHeard(this.mailbox, this.current);
    this.current = undefined;
    this.mode = 'deposit';
    this.caller = '';
  }
}
