/**
 * Music on hold for the call core (docs/conference.md "Music on hold", docs/features.md §2 "Hold"):
 * when a call is held, the held party (the other phone) gets a receive channel again and the CM's
 * MusicOnHold (media/moh.ts) streams to it; the holder plays and sends nothing for that call.
 *
 * Per held leg: OpenReceiveChannel → OpenReceiveChannelAck (ready()) → moh.start towards the ack's
 * address → StartMediaTransmission naming the music stream's own address, because a phone plays
 * RTP only from the peer StartMediaTransmission names (docs/security.md §7); what the held phone
 * sends there is dropped (the music stream does not receive). stop() undoes whichever of those
 * steps happened; it is idempotent and also cancels a start still waiting for its ack or socket.
 * The call core calls stop() wherever a leg's media changes (resume, end of call, detach, transfer
 * completion); a conference moving a held call onto a bridge calls it too.
 */
import { PACKET_MS } from './call-media.js';
import type { Leg } from './call-types.js';
import { CONFIG_NAME_BY_CODEC, type CodecName } from './codec-choice.js';
import type { Logger } from './log.js';
import type { MohStreamSpec } from './media/moh.js';
import type { CmCommand } from './station.js';

/** What this needs of media/moh.ts MusicOnHold. */
export interface MohPlayer {
  start(spec: MohStreamSpec): Promise<{ id: number; localAddress: string; localPort: number }>;
  stop(id: number): Promise<void>;
}

export interface HoldMusicHost {
  /** Absent (a core without media services) or `moh.enabled: false`: held parties hear silence. */
  moh?: MohPlayer;
  log: Logger;
  send(leg: Leg, cmd: CmCommand): void;
}


/** One held party's music: waiting for its ack, waiting for the stream's socket, or playing. */
interface Entry { ref: number; codec: CodecName; phase: 'opening' | 'starting' | 'playing'; id?: number }

export class HoldMusic {
  private readonly entries = new Map<Leg, Entry>();
  /**
   * Acks still to come for music channels stopped before their ack ("device/ref" → count): a phone
   * answers every OpenReceiveChannel in order, so the first ack after a quick hold → resume is the
   * music channel's (its port already closed) and must not be taken for the call's new channel.
   */
  private readonly staleAcks = new Map<string, number>();

  constructor(private readonly h: HoldMusicHost) {}

  /** Whether `leg` has music (pending or playing). */
  has(leg: Leg): boolean { return this.entries.has(leg); }
  /** The MusicOnHold stream id playing to `leg`, once started. */
  streamOf(leg: Leg): number | undefined { return this.entries.get(leg)?.id; }

  /**
   * Music to `leg`, the held party of its call. Nothing when there is no music service, when the
   * leg already has music, or when the leg is not talking (a phone that itself holds the call hears
   * nothing from it).
   */
  start(leg: Leg): void {
    const call = leg.call;
    if (!call || leg.state !== 'connected') return;
    this.play(leg, call.codec);
  }

  /**
   * Music to `leg` in `codec` whatever its call: a parked party (features/park.ts) has no call, only
   * the slot it waits on. Nothing without a music service or when the leg already has music.
   */
  play(leg: Leg, codec: CodecName): void {
    if (!this.h.moh || this.entries.has(leg)) return;
    const e: Entry = { ref: leg.ref, codec, phase: 'opening' };
    this.entries.set(leg, e);
    this.h.send(leg, { t: 'openReceive', ref: leg.ref, passThru: leg.ref, ms: PACKET_MS, codec: e.codec });
  }

  /**
   * OpenReceiveChannelAck from `device`: true when it answers a music receive channel (then the
   * stream starts, or with a failed status the party hears silence), false when it is not ours.
   */
  ready(device: string, passThru: number, status: number, ip: string, port: number): boolean {
    const key = `${device}/${passThru}`;
    const stale = this.staleAcks.get(key);
    if (stale !== undefined) {
      if (stale > 1) this.staleAcks.set(key, stale - 1); else this.staleAcks.delete(key);
      this.h.log.info(`hold music: ${device}: ack for the stopped music channel ${passThru} (${ip}:${port}) ignored`);
      return true;
    }
    let leg: Leg | undefined; let e: Entry | undefined;
    for (const [l, x] of this.entries) if (l.dev.name === device && x.ref === passThru && x.phase === 'opening') { leg = l; e = x; break; }
    if (!leg || !e) return false;
    const held = leg; const entry = e;
    if (status !== 0) {
      this.entries.delete(held);
      this.h.log.warn(`hold music: ${device}: OpenReceiveChannel for ${passThru} failed with MediaStatus ${status}; the held party hears silence`);
      return true;
    }
    entry.phase = 'starting';
    const moh = this.h.moh!;
    // The stream's socket on the CM's own address towards this phone (as the RTP proxy does,
    // docs/rtp-proxy.md §3), so a CM bound to a wildcard still sends from an address the phone reaches.
    const sig = held.dev.sink?.localAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    const bind = sig && sig !== '0.0.0.0' && sig !== '::' ? { bindAddress: sig } : {};
    moh.start({ codec: CONFIG_NAME_BY_CODEC[entry.codec], ptimeMs: PACKET_MS, remote: { ip, port }, ...bind }).then((s) => {
      if (this.entries.get(held) !== entry) { // stopped while the socket opened
        moh.stop(s.id).catch((err: Error) => this.h.log.warn(`hold music: ${device}: stop stream ${s.id} (cancelled start): ${err.message}`));
        return;
      }
      entry.id = s.id; entry.phase = 'playing';
      this.h.send(held, { t: 'startMedia', ref: entry.ref, passThru: entry.ref, ip: s.localAddress, port: s.localPort, ms: PACKET_MS, codec: entry.codec });
    }, (err: Error) => {
      if (this.entries.get(held) !== entry) return;
      this.entries.delete(held);
      this.h.send(held, { t: 'closeReceive', ref: entry.ref, passThru: entry.ref });
      this.h.log.warn(`hold music: ${device}: start towards ${ip}:${port}: ${err.message}; the held party hears silence`);
    });
    return true;
  }

  /** Ends `leg`'s music, if any: the stream stops, the phone's channel closes. Idempotent. */
  stop(leg: Leg): void {
    const e = this.entries.get(leg);
    if (!e) return;
    this.entries.delete(leg);
    if (e.id !== undefined) {
      const id = e.id;
      this.h.moh!.stop(id).catch((err: Error) => this.h.log.warn(`hold music: ${leg.dev.name}: stop stream ${id}: ${err.message}`));
    }
    if (e.phase === 'playing') this.h.send(leg, { t: 'stopMedia', ref: e.ref, passThru: e.ref });
    if (e.phase === 'opening') {
      const key = `${leg.dev.name}/${e.ref}`;
      this.staleAcks.set(key, (this.staleAcks.get(key) ?? 0) + 1);
    }
    this.h.send(leg, { t: 'closeReceive', ref: e.ref, passThru: e.ref });
  }
}
