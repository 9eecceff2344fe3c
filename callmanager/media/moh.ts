/**
 * Music on hold (docs/conference.md "Music on hold"): a real RTP stream from the call manager to
 * a held party, in that party's codec, paced by the injected Clock (one 20 ms tick; TxPath makes
 * packets of the party's ptime). The music is a WAV file named in the config (`moh.file`: 16-bit
 * mono PCM at 8 or 16 kHz, firmware/media/wav.ts) or the built-in melody (melody.ts). It is held
 * in memory at both rates (converted 2:1 once at load), and every held party starts at the
 * beginning and loops. Per tick nothing is allocated: each stream copies from the loop into its
 * own frame and encodes into TxPath's preallocated packets.
 */
import { readFileSync } from 'node:fs';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { Downsampler2, Upsampler2 } from '../../firmware/media/resample.js';
import { parseWav } from '../../firmware/media/wav.js';
import { silentLogger, type Logger } from '../station.js';
import { MIX_TICK_MS } from './conference-mixer.js';
import { type LegCodecName, type LegStats, type MediaLeg, UdpLeg, checkPtime, legCodec } from './leg.js';
import { renderMelody } from './melody.js';

/** Longest music file accepted: 10 minutes (29 MB in memory: 16 + 8 kHz, 2 bytes a sample). */
const MAX_SECONDS = 600;

/** One loop of music at 8 and 16 kHz (pcm16.length === 2 × pcm8.length). */
export interface MohMusic { name: string; pcm8: Int16Array; pcm16: Int16Array }

/** The built-in melody. */
export function melodyMusic(): MohMusic {
  return { name: 'built-in melody (Ode to Joy)', pcm8: renderMelody(8000), pcm16: renderMelody(16000) };
}

/** Runs a 2:1 converter over a loop so that its start continues from its own end (no click at the wrap). */
function convertLoop(conv: Upsampler2 | Downsampler2, x: Int16Array, out: Int16Array): void {
  const prime = Math.min(x.length, 256) & ~1;
  const scratch = new Int16Array(2 * prime);
  conv.process(x, x.length - prime, prime, scratch, 0);
  conv.process(x, 0, x.length, out, 0);
}

/** Music from WAV bytes (`where` names the file in errors). */
export function wavMusic(bytes: Uint8Array, where: string): MohMusic {
  const { sampleRate, samples } = parseWav(bytes, where);
  const hint = 'convert it with: sox in.wav -r 8000 -c 1 -b 16 -e signed moh.wav';
  if (sampleRate !== 8000 && sampleRate !== 16000) throw new Error(`moh: ${where}: ${sampleRate} Hz; music on hold reads 8000 or 16000 Hz (hint: ${hint})`);
  const seconds = samples.length / sampleRate;
  if (seconds < 0.1) throw new Error(`moh: ${where}: only ${(seconds * 1000).toFixed(0)} ms of audio (hint: at least 0.1 s)`);
  if (seconds > MAX_SECONDS) throw new Error(`moh: ${where}: ${seconds.toFixed(0)} s of audio, at most ${MAX_SECONDS} s is loaded (hint: cut it, e.g. sox in.wav out.wav trim 0 ${MAX_SECONDS})`);
  if (sampleRate === 8000) {
    const pcm16 = new Int16Array(2 * samples.length);
    convertLoop(new Upsampler2(), samples, pcm16);
    return { name: where, pcm8: samples, pcm16 };
  }
  const x = samples.length % 2 === 0 ? samples : samples.subarray(0, samples.length - 1);
  const pcm8 = new Int16Array(x.length / 2);
  convertLoop(new Downsampler2(), x, pcm8);
  return { name: where, pcm8, pcm16: x };
}

/** Reads `moh.file`; errors name the file and what is wrong with it. */
export function loadMohFile(path: string): MohMusic {
  let bytes: Buffer;
  try { bytes = readFileSync(path); } catch (e) {
    throw new Error(`moh: cannot read music file ${path}: ${(e as Error).message} (hint: check moh.file in the call-manager config)`, { cause: e });
  }
  return wavMusic(bytes, path);
}

export interface MohOptions {
  clock: Clock;
  /** The music; default: `file` if given, else the built-in melody. */
  music?: MohMusic;
  file?: string;
  bindAddress?: string;
  log?: Logger;
}

export interface MohStreamSpec {
  codec: LegCodecName; ptimeMs?: number; remote: { ip: string; port: number };
  /** Local address of this stream's socket (e.g. the CM's address towards that phone); default `bindAddress`. */
  bindAddress?: string;
}

interface Stream { id: number; leg: MediaLeg; udp: UdpLeg | undefined; frame: Int16Array; pcm: Int16Array; pos: number }

export class MusicOnHold {
  readonly music: MohMusic;
  private readonly streams = new Map<number, Stream>();
  private readonly list: Stream[] = [];
  private readonly bind: string;
  private readonly log: Logger;
  private readonly onTick = (): void => this.tick();
  private timer: TimerHandle | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: MohOptions) {
    this.music = opts.music ?? (opts.file !== undefined ? loadMohFile(opts.file) : melodyMusic());
    this.bind = opts.bindAddress ?? '127.0.0.1';
    this.log = opts.log ?? silentLogger;
  }

  get size(): number { return this.streams.size; }

  /** Starts music towards a held party's RTP receive address. */
  async start(spec: MohStreamSpec): Promise<{ id: number; localAddress: string; localPort: number }> {
    if (this.closed) throw new Error('moh: start: music on hold is closed');
    const codec = legCodec(spec.codec);
    const ptimeMs = spec.ptimeMs ?? 20;
    checkPtime(ptimeMs, 'moh: start');
    const id = this.nextId++;
    const bind = spec.bindAddress ?? this.bind;
    const udp = await UdpLeg.open({ clock: this.opts.clock, codec, ptimeMs, receive: false, bindAddress: bind,
      name: `moh stream ${id}`, log: this.log });
    try { udp.leg.setRemote(spec.remote.ip, spec.remote.port); } catch (e) { await udp.close(); throw e; }
    this.attach(udp.leg, udp, id);
    this.log.info(`moh: stream ${id} → ${spec.remote.ip}:${spec.remote.port} ${spec.codec}/${ptimeMs} (${this.music.name})`);
    return { id, localAddress: bind, localPort: udp.localPort };
  }

  /**
   * Plays the music into `leg` (its remote set) from the loop's start; start() uses it with a
   * UdpLeg, the allocation test with a stand-in socket. Returns the stream id.
   */
  attach(leg: MediaLeg, udp?: UdpLeg, id = this.nextId++): number {
    const s: Stream = { id, leg, udp, frame: new Int16Array(MIX_TICK_MS * leg.codec.samplesPerMs),
      pcm: leg.codec.sampleRate === 16000 ? this.music.pcm16 : this.music.pcm8, pos: 0 };
    this.streams.set(id, s);
    this.list.push(s);
    if (!this.timer) this.timer = this.opts.clock.setInterval(this.onTick, MIX_TICK_MS);
    return id;
  }

  async stop(id: number): Promise<void> {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    this.list.splice(this.list.indexOf(s), 1);
    if (this.list.length === 0 && this.timer) { this.opts.clock.clearInterval(this.timer); this.timer = undefined; }
    if (s.udp) await s.udp.close(); else s.leg.stop();
  }

  stats(id: number): LegStats {
    const s = this.streams.get(id);
    if (!s) throw new Error(`moh: stats: no stream ${id} (streams: ${[...this.streams.keys()].join(', ') || 'none'})`);
    return { ...s.leg.stats };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.streams.keys()].map((id) => this.stop(id)));
  }

  /** One 20 ms tick: the next piece of the loop to every held party. */
  tick(): void {
    const list = this.list;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      const f = s.frame;
      const pcm = s.pcm;
      let pos = s.pos;
      for (let i = 0; i < f.length; i++) { f[i] = pcm[pos]!; if (++pos === pcm.length) pos = 0; }
      s.pos = pos;
      s.leg.feed(f);
    }
  }
}
