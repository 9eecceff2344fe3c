/**
 * SCCP media control → MediaEngine (firmware/media/engine.ts). The CM opens the station's receive
 * side first (OpenReceiveChannel), expects OpenReceiveChannelAck with the RTP address and the
 * passThruPartyId echoed, then sends StartMediaTransmission with its own RTP address
 * (docs/sccp.md §5 "Media summary"). CM-issued Stop/Close end a stream, and so does the user
 * hanging up (hangUp); nothing here reacts to the signalling connection going away, so media
 * survives re-registration while the user stays in the call.
 */
import type { CodecChoice, MediaEngine } from '../media/engine.js';
import type { InbandDtmf } from '../station/inband-dtmf.js';
import { OneCallMedia } from '../station/one-call-media.js';
import type { StationLog } from './station-session.js';
import { ipString } from './codec.js';
import { codecNameOf, compressionTypeOf, supportedCompressionTypes } from './codecs.js';
import { MediaStatus } from './enums.js';
import type { FieldsOf, MessageName, ReceivedFieldsOf, ReceivedMessage } from './messages.js';

/** Counters go into u32 fields (docs/sccp.md §3 ConnectionStatisticsRes): wrap like a 32-bit counter. */
const u32 = (v: number | undefined): number => (Number.isFinite(v) && v! > 0 ? Math.round(v!) % 2 ** 32 : 0);

/** Packet size when the CM sends 0 (Asterisk always sends its framing, 20 ms, §5). */
const DEFAULT_PTIME_MS = 20;

/** Registry name of a compressionType (firmware/sccp/codecs.ts), undefined for codes we cannot play. */
export const codecFromPayload = codecNameOf;

/** CapabilitiesRes fields from the engine's codec list (Asterisk reads at most 18 entries, §3). */
export function capabilitiesFields(media: MediaEngine): FieldsOf<'CapabilitiesRes'> {
  const caps: NonNullable<FieldsOf<'CapabilitiesRes'>['caps']> = [];
  for (const c of media.capabilities()) {
    const code = compressionTypeOf(c.codec);
    if (code === undefined || caps.length >= 18) continue;
    // maxFramesPerPacket: ms of audio per packet (docs/sccp.md §3, meaning [unverified]).
    caps.push({ payloadCapability: code, maxFramesPerPacket: c.ptimeMs });
  }
  return { capCount: caps.length, caps };
}

/** Sends one message on the session the request arrived on (a no-op if that session has ended). */
export type Reply = <N extends MessageName>(name: N, fields: FieldsOf<N>) => void;

type MediaFields = ReceivedFieldsOf<'OpenReceiveChannel'> | ReceivedFieldsOf<'StartMediaTransmission'>;

/** An open receive stream; `ack` is the OpenReceiveChannelAck sent for it (repeated by reannounce). */
interface Stream { callReference: number; choice: CodecChoice; ack?: FieldsOf<'OpenReceiveChannelAck'> }

export class StationMedia {
  private readonly streams = new Map<number, Stream>();
  /** One transmitting stream at a time; a held call's stops (firmware/station/one-call-media.ts). */
  private readonly oneCall: OneCallMedia;

  /** `dtmf` learns which stream transmits for which call (in-band DTMF, firmware/station/inband-dtmf.ts). */
  constructor(private readonly media: MediaEngine, private readonly log: StationLog, dtmf?: InbandDtmf) {
    this.oneCall = new OneCallMedia(media, (level, msg, ctx) => log(level, `SCCP ${msg}`, ctx), dtmf);
  }

  /** CallState Hold for `callRef`: its stream stops transmitting if the CM left it running. */
  held(callRef: number): void { void this.oneCall.held(callRef); }

  /** Handles a media message; returns false when `name` is not one. `localIp` fills a wildcard bind address. */
  handle(m: ReceivedMessage, reply: Reply, localIp: string): boolean {
    switch (m.name) {
      case 'OpenReceiveChannel': void this.openReceive(m.fields, reply, localIp); return true;
      case 'StartMediaTransmission': void this.startTransmit(m.fields); return true;
      case 'StopMediaTransmission': {
        const id = m.fields.passThruPartyId ?? 0;
        this.oneCall.stopped(id);
        void this.guard('stopTransmit', id, () => this.media.stopTransmit(id));
        return true;
      }
      case 'CloseReceiveChannel': {
        const id = m.fields.passThruPartyId ?? 0;
        this.streams.delete(id);
        this.oneCall.stopped(id);
        void this.guard('closeReceive', id, () => this.media.closeReceive(id));
        return true;
      }
      case 'ConnectionStatisticsReq': reply('ConnectionStatisticsRes', this.statistics(m.fields)); return true;
      default: return false;
    }
  }

  /**
   * The user hung up: every stream stops here and now, whatever the CM does next (docs/security.md §8).
   * After a failover the new CM may not know the call, so it would never send Stop/Close; its later
   * Stop/Close for these ids are harmless no-ops.
   */
  hangUp(): void {
    for (const id of this.media.activeStreams()) {
      this.streams.delete(id);
      this.oneCall.stopped(id);
      void this.guard('stopTransmit', id, () => this.media.stopTransmit(id));
      void this.guard('closeReceive', id, () => this.media.closeReceive(id));
    }
  }

  /**
   * Registered with a CM (maybe a new one after a failover): names every receive stream still open
   * with its OpenReceiveChannelAck again, so a CM that did not open it can close it when the user
   * hangs up (docs/security.md §8). A CM that knows the stream ignores the repeat.
   */
  reannounce(reply: Reply): void {
    const open = new Set(this.media.activeStreams());
    for (const [id, st] of this.streams) if (st.ack && open.has(id)) reply('OpenReceiveChannelAck', st.ack);
  }

  private choice(f: MediaFields): CodecChoice | undefined {
    const codec = codecNameOf(f.compressionType ?? 0);
    if (!codec) return undefined;
    return { codec, ptimeMs: f.millisecondPacketSize || DEFAULT_PTIME_MS };
  }

  private async openReceive(f: ReceivedFieldsOf<'OpenReceiveChannel'>, reply: Reply, localIp: string): Promise<void> {
    const id = f.passThruPartyId ?? 0;
    const callReference = f.callReference ?? 0;
    // Asterisk looks the call up by the u32 at ack offset 12: echo passThruPartyId there (§3).
    const nack = (status: number): void =>
      reply('OpenReceiveChannelAck', { status, ipAddr: '0.0.0.0', portNumber: 0, passThruPartyId: id, callReference });
    const choice = this.choice(f);
    if (!choice) {
      this.log('warn', `OpenReceiveChannel: compressionType ${f.compressionType ?? 0} not supported (${supportedCompressionTypes()})`,
        { passThruPartyId: id });
      nack(MediaStatus.InvalidCodec);
      return;
    }
    try {
      const ep = await this.media.openReceive(id, choice);
      const address = ep.address === '0.0.0.0' || ep.address === '::' || ep.address === '' ? localIp : ep.address;
      const ack = { status: MediaStatus.Ok, ipAddr: address, portNumber: ep.port, passThruPartyId: id, callReference };
      this.streams.set(id, { callReference, choice, ack });
      reply('OpenReceiveChannelAck', ack);
    } catch (e) {
      this.log('error', `media.openReceive(${id}, ${choice.codec}/${choice.ptimeMs} ms) failed: ${(e as Error).message}`,
        { passThruPartyId: id, hint: 'is a UDP port free?' });
      nack(MediaStatus.OutOfSockets);
    }
  }

  private async startTransmit(f: ReceivedFieldsOf<'StartMediaTransmission'>): Promise<void> {
    const id = f.passThruPartyId ?? 0;
    const choice = this.choice(f);
    const address = ipString(f.remoteIpAddr);
    if (!choice) {
      this.log('warn', `StartMediaTransmission: compressionType ${f.compressionType ?? 0} not supported`, { passThruPartyId: id });
      return;
    }
    await this.oneCall.starting(id, f.callReference || (this.streams.get(id)?.callReference ?? 0));
    await this.guard('startTransmit', id, () => this.media.startTransmit(id, { address, port: f.remotePortNumber ?? 0 }, choice));
  }

  private statistics(f: ReceivedFieldsOf<'ConnectionStatisticsReq'>): FieldsOf<'ConnectionStatisticsRes'> {
    const callReference = f.callReference ?? 0;
    let id: number | undefined;
    for (const [k, s] of this.streams) if (s.callReference === callReference) id = k;
    // Asterisk's ORC carries callReference 0 (§3): fall back to the only/first active stream.
    id ??= this.media.activeStreams()[0];
    const s = id === undefined ? undefined : this.media.stats(id);
    return {
      directoryNum: f.directoryNum ?? '', callReference,
      statsProcessingMode: f.statsProcessingMode ?? 0,
      packetsSent: u32(s?.packetsSent), octetsSent: u32(s?.octetsSent),
      packetsReceived: u32(s?.packetsReceived), octetsReceived: u32(s?.octetsReceived),
      packetsLost: u32(s?.packetsLost), jitter: u32(s?.jitterMs), latency: u32(s?.latencyMs),
    };
  }

  private async guard(op: string, id: number, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log('error', `media.${op}(${id}) failed: ${(e as Error).message}`, { passThruPartyId: id });
    }
  }
}
