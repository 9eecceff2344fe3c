/**
 * Conference bridge (docs/conference.md): the call manager terminates each participant's media on
 * its own RTP/RTCP socket pair (UdpLeg: jitter buffer, PLC, decoder, encoder per participant) and
 * mixes N−1 on the injected Clock every 20 ms (ConferenceMixer). Participants join and leave at any
 * time; the others stay. At most `maxParticipants` (config `conference.maxParticipants`, default 6).
 *
 *   const bridge = new ConferenceBridge({ clock, bindAddress: '10.0.0.2' });
 *   const { id, localPort } = await bridge.addParticipant({ codec: 'ulaw', ptimeMs: 20 });
 *   // tell the phone to send to localPort (StartMediaTransmission), then, from its OpenReceiveChannelAck:
 *   bridge.setRemote(id, ip, port);
 *   await bridge.remove(id);  await bridge.close();
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { silentLogger, type Logger } from '../station.js';
import { ConferenceMixer, MIX_TICK_MS, type MixPort } from './conference-mixer.js';
import { type LegCodecName, type LegStats, UdpLeg, checkPtime, legCodec } from './leg.js';

/** Default and ceiling of participants per bridge (config conference.maxParticipants). */
export const DEFAULT_MAX_PARTICIPANTS = 6;

export interface ConferenceOptions {
  clock: Clock;
  /** Address the participants' RTP sockets bind (the CM's media address). Default 127.0.0.1. */
  bindAddress?: string;
  maxParticipants?: number;
  /** Name in logs and errors, e.g. "meetme 800". */
  name?: string;
  log?: Logger;
  /** Called once by close() (the services factory forgets the bridge). */
  onClosed?: () => void;
}

export interface ParticipantSpec {
  codec: LegCodecName;
  /** Packet time the participant sends and wants (default 20). */
  ptimeMs?: number;
  /** The participant's RTP receive address, when already known. */
  remote?: { ip: string; port: number };
}

export interface ParticipantInfo {
  id: number;
  /** Where the participant must send its RTP (StartMediaTransmission / MediaStart). */
  localAddress: string;
  localPort: number;
}

export interface ParticipantStats extends LegStats {
  id: number; codec: LegCodecName; ptimeMs: number; localPort: number;
  /** Mix ticks in which this participant's audio was heard (its jitter buffer was playing). */
  ticksHeard: number;
  jitterBuffer: { lost: number; late: number; concealed: number; jitterMs: number } | undefined;
}

/** Thrown when a participant would exceed maxParticipants. */
export class ConferenceFullError extends Error {
  readonly code = 'CONFERENCE_FULL';
  constructor(name: string, max: number) {
    super(`${name}: addParticipant: the conference is full (${max} of maxParticipants ${max}) ` +
      `(hint: raise conference.maxParticipants in the call-manager config, or let someone leave first)`);
  }
}

interface Member { id: number; codec: LegCodecName; udp: UdpLeg; port: MixPort }

export class ConferenceBridge {
  readonly name: string;
  readonly maxParticipants: number;
  private readonly mixer = new ConferenceMixer();
  private readonly members = new Map<number, Member>();
  private readonly bind: string;
  private readonly log: Logger;
  private readonly onTick = (): void => this.mixer.tick();
  private timer: TimerHandle | undefined;
  private reserved = 0;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: ConferenceOptions) {
    this.name = opts.name ?? 'conference';
    this.bind = opts.bindAddress ?? '127.0.0.1';
    this.log = opts.log ?? silentLogger;
    const max = opts.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS;
    if (!Number.isInteger(max) || max < 2) throw new Error(`${this.name}: maxParticipants ${max} must be an integer ≥ 2`);
    this.maxParticipants = max;
  }

  /** Participants now (joined; not those still binding). */
  get size(): number { return this.members.size; }
  /** Current mixing rate: 16000 while a G.722 participant is in, else 8000. */
  get mixRate(): number { return this.mixer.rate; }
  /** Mix ticks run and output samples clipped so far. */
  get counters(): { ticks: number; clipped: number } { return { ticks: this.mixer.ticks, clipped: this.mixer.clipped }; }

  async addParticipant(spec: ParticipantSpec): Promise<ParticipantInfo> {
    const where = `${this.name}: addParticipant`;
    if (this.closed) throw new Error(`${where}: the bridge is closed`);
    const codec = legCodec(spec.codec);
    const ptimeMs = spec.ptimeMs ?? 20;
    checkPtime(ptimeMs, where);
    if (this.members.size + this.reserved >= this.maxParticipants) throw new ConferenceFullError(this.name, this.maxParticipants);
    const id = this.nextId++;
    this.reserved++;
    let udp: UdpLeg;
    try {
      udp = await UdpLeg.open({ clock: this.opts.clock, codec, ptimeMs, receive: true, bindAddress: this.bind,
        name: `${this.name} participant ${id}`, log: this.log });
    } finally { this.reserved--; }
    if (this.closed) { await udp.close(); throw new Error(`${where}: the bridge was closed while participant ${id} was joining`); }
    if (spec.remote) {
      try { udp.leg.setRemote(spec.remote.ip, spec.remote.port); } catch (e) { await udp.close(); throw e; }
    }
    const port = this.mixer.add(udp.leg);
    this.members.set(id, { id, codec: spec.codec, udp, port });
    if (!this.timer) this.timer = this.opts.clock.setInterval(this.onTick, MIX_TICK_MS);
    this.log.info(`${this.name}: participant ${id} joined (${spec.codec}/${ptimeMs} on ${this.bind}:${udp.localPort}); ` +
      `${this.members.size} in, mixing at ${this.mixer.rate} Hz`);
    return { id, localAddress: this.bind, localPort: udp.localPort };
  }

  /** The participant's RTP receive address (e.g. from OpenReceiveChannelAck); media flows both ways from now. */
  setRemote(id: number, ip: string, port: number): void {
    this.member(id, 'setRemote').udp.leg.setRemote(ip, port);
  }

  /** Takes a participant out; the others keep their mix. */
  async remove(id: number): Promise<void> {
    const m = this.members.get(id);
    if (!m) return;
    this.members.delete(id);
    this.mixer.remove(m.port);
    if (this.members.size === 0) this.stopTimer();
    await m.udp.close();
    this.log.info(`${this.name}: participant ${id} left; ${this.members.size} in`);
  }

  stats(id: number): ParticipantStats {
    const m = this.member(id, 'stats');
    const j = m.udp.leg.rx?.jitterStats;
    return { ...m.udp.leg.stats, id, codec: m.codec, ptimeMs: m.udp.leg.ptimeMs, localPort: m.udp.localPort,
      ticksHeard: m.port.ticksHeard,
      jitterBuffer: j ? { lost: j.lost, late: j.late, concealed: j.concealed, jitterMs: j.jitterMs } : undefined };
  }

  ids(): number[] { return [...this.members.keys()]; }

  async close(): Promise<void> {
    if (!this.closed) this.opts.onClosed?.();
    this.closed = true;
    this.stopTimer();
    const all = [...this.members.values()];
    this.members.clear();
    for (const m of all) this.mixer.remove(m.port);
    await Promise.all(all.map((m) => m.udp.close()));
  }

  private member(id: number, op: string): Member {
    const m = this.members.get(id);
    if (!m) throw new Error(`${this.name}: ${op}: no participant ${id} (in: ${[...this.members.keys()].join(', ') || 'none'})`);
    return m;
  }

  private stopTimer(): void {
    if (this.timer) { this.opts.clock.clearInterval(this.timer); this.timer = undefined; }
  }
}
