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

type Fields = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** Counters go into u32 fields (docs/sccp.md §3 ConnectionStatisticsRes): wrap like a 32-bit counter. */
const u32 = (v: number | undefined): number => (Number.isFinite(v) && v! > 0 ? Math.round(v!) % 2 ** 32 : 0);

/** Media payload codes (docs/sccp.md §4): 2 G.711 A-law 64k, 4 G.711 µ-law 64k, 6 G.722 64k. */
const PAYLOAD_BY_CODEC: Record<string, number> = { PCMA: 2, PCMU: 4, G722: 6 };
const CODEC_BY_PAYLOAD: Record<number, string> = { 2: 'PCMA', 4: 'PCMU', 6: 'G722' };

/** MediaStatus values for OpenReceiveChannelAck.status (docs/sccp.md §4). */
export const MEDIA_STATUS_OK = 0;
export const MEDIA_STATUS_INVALID_CODEC = 6;
export const MEDIA_STATUS_OUT_OF_SOCKETS = 8;

/** Packet size when the CM sends 0 (Asterisk always sends its framing, 20 ms, §5). */
const DEFAULT_PTIME_MS = 20;

export function payloadCode(codec: string): number | undefined { return PAYLOAD_BY_CODEC[codec.toUpperCase()]; }
export function codecFromPayload(code: number): string | undefined { return CODEC_BY_PAYLOAD[code]; }

/** CapabilitiesRes fields from the engine's codec list (Asterisk reads at most 18 entries, §3). */
export function capabilitiesFields(media: MediaEngine): Fields {
  const caps: Fields[] = [];
  for (const c of media.capabilities()) {
    const code = payloadCode(c.codec);
    if (code === undefined || caps.length >= 18) continue;
    // maxFramesPerPacket: ms of audio per packet (docs/sccp.md §3, meaning [unverified]).
    caps.push({ payloadCapability: code, maxFramesPerPacket: c.ptimeMs });
  }
  return { capCount: caps.length, caps };
}

/** Sends one message on the session the request arrived on (a no-op if that session has ended). */
export type Reply = (name: string, fields: Fields) => void;

interface Stream { callReference: number; choice: CodecChoice; ack?: Fields }

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
  handle(name: string, f: Fields, reply: Reply, localIp: string): boolean {
    switch (name) {
      case 'OpenReceiveChannel': void this.openReceive(f, reply, localIp); return true;
      case 'StartMediaTransmission': void this.startTransmit(f); return true;
      case 'StopMediaTransmission':
        this.oneCall.stopped(num(f.passThruPartyId));
        void this.guard('stopTransmit', num(f.passThruPartyId), () => this.media.stopTransmit(num(f.passThruPartyId)));
        return true;
      case 'CloseReceiveChannel': {
        const id = num(f.passThruPartyId);
        this.streams.delete(id);
        this.oneCall.stopped(id);
        void this.guard('closeReceive', id, () => this.media.closeReceive(id));
        return true;
      }
      case 'ConnectionStatisticsReq': reply('ConnectionStatisticsRes', this.statistics(f)); return true;
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

  private choice(f: Fields): CodecChoice | undefined {
    const codec = codecFromPayload(num(f.compressionType));
    if (!codec) return undefined;
    return { codec, ptimeMs: num(f.millisecondPacketSize) || DEFAULT_PTIME_MS };
  }

  private async openReceive(f: Fields, reply: Reply, localIp: string): Promise<void> {
    const id = num(f.passThruPartyId);
    const callReference = num(f.callReference);
    // Asterisk looks the call up by the u32 at ack offset 12: echo passThruPartyId there (§3).
    const nack = (status: number): void =>
      reply('OpenReceiveChannelAck', { status, ipAddr: '0.0.0.0', portNumber: 0, passThruPartyId: id, callReference });
    const choice = this.choice(f);
    if (!choice) {
      this.log('warn', `OpenReceiveChannel: compressionType ${num(f.compressionType)} not supported (PCMU 4, PCMA 2, G722 6)`,
        { passThruPartyId: id });
      nack(MEDIA_STATUS_INVALID_CODEC);
      return;
    }
    try {
      const ep = await this.media.openReceive(id, choice);
      const address = ep.address === '0.0.0.0' || ep.address === '::' || ep.address === '' ? localIp : ep.address;
      const ack = { status: MEDIA_STATUS_OK, ipAddr: address, portNumber: ep.port, passThruPartyId: id, callReference };
      this.streams.set(id, { callReference, choice, ack });
      reply('OpenReceiveChannelAck', ack);
    } catch (e) {
      this.log('error', `media.openReceive(${id}, ${choice.codec}/${choice.ptimeMs} ms) failed: ${(e as Error).message}`,
        { passThruPartyId: id, hint: 'is a UDP port free?' });
      nack(MEDIA_STATUS_OUT_OF_SOCKETS);
    }
  }

  private async startTransmit(f: Fields): Promise<void> {
    const id = num(f.passThruPartyId);
    const choice = this.choice(f);
    const raw = f.remoteIpAddr;
    const address = typeof raw === 'string' ? raw : (raw as { address?: string } | undefined)?.address ?? '';
    if (!choice) {
      this.log('warn', `StartMediaTransmission: compressionType ${num(f.compressionType)} not supported`, { passThruPartyId: id });
      return;
    }
    await this.oneCall.starting(id, num(f.callReference) || (this.streams.get(id)?.callReference ?? 0));
    await this.guard('startTransmit', id, () => this.media.startTransmit(id, { address, port: num(f.remotePortNumber) }, choice));
  }

  private statistics(f: Fields): Fields {
    const callReference = num(f.callReference);
    let id: number | undefined;
    for (const [k, s] of this.streams) if (s.callReference === callReference) id = k;
    // Asterisk's ORC carries callReference 0 (§3): fall back to the only/first active stream.
    id ??= this.media.activeStreams()[0];
    const s = id === undefined ? undefined : this.media.stats(id);
    return {
      directoryNum: typeof f.directoryNum === 'string' ? f.directoryNum : '', callReference,
      statsProcessingMode: num(f.statsProcessingMode),
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
