/**
 * SSCP media control → MediaEngine (docs/sscp.md §2 messages 120..123, §5 "Outgoing call"):
 * MediaOpen → openReceive, answered by MediaOpenAck with where the phone receives RTP (IPv4 or
 * IPv6); MediaStart → startTransmit to the given address; MediaStop → stopTransmit; MediaClose →
 * closeReceive. CM-issued messages and the user hanging up end a stream: nothing here reacts to
 * the registration going away, so media survives re-registration and failover.
 */
import { isIP } from 'node:net';
import type { CodecChoice, MediaEngine } from '../media/engine.js';
import type { InbandDtmf } from '../station/inband-dtmf.js';
import { OneCallMedia } from '../station/one-call-media.js';
import { registryCodecOf } from './codecs.js';
import type { SscpFieldsOf, SscpTyped } from './messages.js';
import { callRefOf } from './station-events.js';

export type SscpLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type SscpLog = (level: SscpLogLevel, msg: string, ctx?: Record<string, unknown>) => void;

/** Sends one phone→CM message (reliably) on the current registration. */
export type SscpReply = (m: SscpTyped) => void;

/** ptime when 0 is given: 20 ms, the RFC 3551 §4.5 default for G.711/G.722. */
const DEFAULT_PTIME_MS = 20;

export class SscpStationMedia {
  /** One transmitting stream at a time; a held call's stops (firmware/station/one-call-media.ts). */
  private readonly oneCall: OneCallMedia;

  /** The MediaOpenAck of each receive stream, named again after registering (reannounce). */
  private readonly acks = new Map<number, SscpFieldsOf<'MediaOpenAck'>>();
  /** `dtmf` learns which stream transmits for which call (in-band DTMF, firmware/station/inband-dtmf.ts). */
  constructor(private readonly media: MediaEngine, private readonly log: SscpLog, dtmf?: InbandDtmf) {
    this.oneCall = new OneCallMedia(media, (level, msg, ctx) => log(level, `SSCP ${msg}`, ctx), dtmf);
  }

  /** CallState hold for `callRef`: its stream stops transmitting if the CM left it running. */
  held(callRef: number): void { void this.oneCall.held(callRef); }

  /** Handles a media message; false when `name` is not one. `localIp` replaces a wildcard bind address. */
  handle(m: SscpTyped, reply: SscpReply, localIp: () => string): boolean {
    switch (m.name) {
      case 'MediaOpen': void this.open(m.fields.mediaId, m.fields, reply, localIp); return true;
      case 'MediaStart': {
        const f = m.fields;
        const id = f.mediaId;
        const choice = this.choice(f);
        const remote = { address: f.remoteIp, port: f.remotePort };
        void this.oneCall.starting(id, callRefOf(f.callId)).then(() =>
          this.guard('startTransmit', id, () => this.media.startTransmit(id, remote, choice)));
        return true;
      }
      case 'MediaStop': {
        const id = m.fields.mediaId;
        this.oneCall.stopped(id);
        void this.guard('stopTransmit', id, () => this.media.stopTransmit(id));
        return true;
      }
      case 'MediaClose': {
        const id = m.fields.mediaId;
        this.acks.delete(id);
        this.oneCall.stopped(id);
        void this.guard('closeReceive', id, () => this.media.closeReceive(id));
        return true;
      }
      default: return false;
    }
  }

  /** The user hung up: every stream stops locally, whatever the CM does next (docs/security.md §8). */
  hangUp(): void {
    this.acks.clear();
    for (const id of this.media.activeStreams()) {
      this.oneCall.stopped(id);
      void this.guard('stopTransmit', id, () => this.media.stopTransmit(id));
      void this.guard('closeReceive', id, () => this.media.closeReceive(id));
    }
  }

  /**
   * Registered (maybe with a new CM after a failover): names every receive stream still open with
   * its MediaOpenAck again, so a CM that did not open it closes it at on-hook (docs/security.md §8).
   */
  reannounce(reply: SscpReply): void {
    const open = new Set(this.media.activeStreams());
    for (const [id, ack] of this.acks) if (open.has(id)) reply({ name: 'MediaOpenAck', fields: ack }); else this.acks.delete(id);
  }

  /** The table requires <Media codec> (one of firmware/sscp/codecs.ts) and ptime; ptime 0 means the default. */
  private choice(f: SscpFieldsOf<'MediaOpen'>): CodecChoice {
    return { codec: registryCodecOf(f.codec) ?? f.codec, ptimeMs: f.ptime || DEFAULT_PTIME_MS };
  }

  private async open(id: number, f: SscpFieldsOf<'MediaOpen'>, reply: SscpReply, localIp: () => string): Promise<void> {
    const choice = this.choice(f);
    if (!this.media.capabilities().some((c) => c.codec === choice.codec)) {
      // No MediaOpenAck: the CM's MediaOpen stays unanswered and the call gets no audio; say why.
      this.log('warn', `SSCP MediaOpen ${id}: codec ${choice.codec} not supported by this phone`, { mediaId: id });
      return;
    }
    try {
      const ep = await this.media.openReceive(id, choice);
      const wildcard = ep.address === '' || ep.address === '0.0.0.0' || ep.address === '::';
      const ip = wildcard ? localIp() : ep.address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
      const family = isIP(ip);
      if (family === 0) {
        this.log('error', `SSCP MediaOpen ${id}: no usable local address for RTP (got ${JSON.stringify(ip)}); set localAddress`, { mediaId: id });
        return;
      }
      const ack: SscpFieldsOf<'MediaOpenAck'> = { mediaId: id, localFamily: family === 6 ? '6' : '4', localIp: ip, localPort: ep.port };
      this.acks.set(id, ack);
      reply({ name: 'MediaOpenAck', fields: ack });
    } catch (e) {
      this.log('error', `media.openReceive(${id}, ${choice.codec}/${choice.ptimeMs} ms) failed: ${(e as Error).message}`,
        { mediaId: id, hint: 'is a UDP port free?' });
    }
  }

  private async guard(op: string, id: number, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log('error', `media.${op}(${id}) failed: ${(e as Error).message}`, { mediaId: id });
    }
  }
}
