/**
 * Media set-up for the call core (calls.ts): OpenReceiveChannel to both legs, and once both
 * OpenReceiveChannelAcks are in, StartMediaTransmission to each phone with the far end's address
 * (phone to phone, docs/sccp.md §5) — or, when the call needs the RTP proxy, with the address of
 * the proxy's socket for that leg (docs/rtp-proxy.md §2: the legs differ in address family, or a
 * device is configured `media: proxy`).
 */
import { isIP } from 'node:net';
import type { CallManagerConfig } from './config.js';
import type { CmCommand, StationSink } from './station.js';
import type { Logger } from './log.js';
import type { CodecName } from '../firmware/media/codecs.js';

/** Packetisation used by Asterisk for G.711 (docs/sccp.md §5: "20 ms"). */
export const PACKET_MS = 20;

export interface RtpAddr { ip: string; port: number }

/** One leg as the relay sees it: where the phone listens, and the local address to bind for it. */
export interface RelayLegSpec { device: string; remote: RtpAddr; bind: string }

/** A running relay for one call. */
export interface RelaySession {
  /** The proxy's address the caller's phone sends to (bound in the caller's address space). */
  readonly a: RtpAddr;
  /** The proxy's address the callee's phone sends to. */
  readonly b: RtpAddr;
  close(): void;
}

/** What the core needs from an RTP proxy (implemented by rtp-proxy.ts). */
export interface MediaRelay {
  open(callId: number, a: RelayLegSpec, b: RelayLegSpec): Promise<RelaySession>;
}

/** The parts of a call leg the media code uses (calls.ts Leg is a superset). */
export interface MediaLeg {
  dev: { name: string; sink?: StationSink };
  ref: number;
  state: string;
  mediaOpen: boolean;
  mediaStarted: boolean;
  rtp?: RtpAddr;
  call?: MediaCall;
}
export interface MediaCall {
  id: number; caller: MediaLeg; callee: MediaLeg; codec: CodecName;
  relay?: RelaySession; relayPending?: object;
}

export interface MediaHost {
  config: CallManagerConfig;
  log: Logger;
  relay?: MediaRelay;
  send(leg: MediaLeg, cmd: CmCommand): void;
  /** Media could not be set up: the core ends the call. */
  fail(leg: MediaLeg, reason: string): void;
}

/** 4 or 6; an IPv4-mapped IPv6 address ("::ffff:10.0.0.1") counts as IPv4. */
export function addressFamily(ip: string): 4 | 6 {
  return isIP(ip) === 6 && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? 6 : 4;
}

export class CallMedia {
  constructor(private readonly h: MediaHost) {}

  open(call: MediaCall): void {
    for (const leg of [call.caller, call.callee]) {
      leg.mediaOpen = true; leg.mediaStarted = false; leg.rtp = undefined;
      // conferenceId = passThruPartyId = per-leg id, like Asterisk's call id (docs/sccp.md §3 OpenReceiveChannel).
      this.h.send(leg, { t: 'openReceive', ref: leg.ref, passThru: leg.ref, ms: PACKET_MS, codec: call.codec });
    }
  }

  close(leg: MediaLeg): void {
    const call = leg.call;
    if (call) {
      call.relayPending = undefined;
      call.relay?.close();
      call.relay = undefined;
    }
    if (!leg.mediaOpen) return;
    this.h.send(leg, { t: 'closeReceive', ref: leg.ref, passThru: leg.ref });
    if (leg.mediaStarted) this.h.send(leg, { t: 'stopMedia', ref: leg.ref, passThru: leg.ref });
    leg.mediaOpen = false; leg.mediaStarted = false; leg.rtp = undefined;
  }

  /** OpenReceiveChannelAck OK: `leg` listens at ip:port. Starts transmission once both legs are ready. */
  ready(leg: MediaLeg, ip: string, port: number): void {
    leg.rtp = { ip, port };
    const call = leg.call;
    if (!call || call.caller.state !== 'connected' || call.callee.state !== 'connected') return;
    const a = call.caller; const b = call.callee;
    if (!a.rtp || !b.rtp) return;
    const why = this.proxyReason(a, b);
    if (!why) return this.start(call, b.rtp, a.rtp);
    if (!this.h.relay) {
      this.h.log.warn(`call ${call.id}: media needs the RTP proxy (${why}) but none is running; sending phone to phone`);
      return this.start(call, b.rtp, a.rtp);
    }
    if (call.relay) return this.start(call, call.relay.a, call.relay.b);
    if (call.relayPending) return;
    const token = {};
    call.relayPending = token;
    const specA = this.spec(a); const specB = this.spec(b);
    this.h.log.info(`call ${call.id}: RTP via proxy (${why}): ${a.dev.name} ${a.rtp.ip} ↔ ${specA.bind} | ${specB.bind} ↔ ${b.dev.name} ${b.rtp.ip}`);
    this.h.relay.open(call.id, specA, specB).then((s) => {
      if (call.relayPending !== token || !a.mediaOpen || !b.mediaOpen) { s.close(); return; }
      call.relayPending = undefined;
      call.relay = s;
      this.start(call, s.a, s.b);
    }, (e: Error) => {
      if (call.relayPending !== token) return;
      call.relayPending = undefined;
      this.h.fail(a, `RTP proxy for call ${call.id}: ${e.message}`);
    });
  }

  /** StartMediaTransmission: the caller sends to `toA`, the callee to `toB`. */
  private start(call: MediaCall, toA: RtpAddr, toB: RtpAddr): void {
    for (const [leg, dst] of [[call.caller, toA], [call.callee, toB]] as const) {
      if (leg.mediaStarted) continue;
      leg.mediaStarted = true;
      this.h.send(leg, { t: 'startMedia', ref: leg.ref, passThru: leg.ref, ip: dst.ip, port: dst.port, ms: PACKET_MS, codec: call.codec });
    }
  }

  private deviceConfig(name: string) { return this.h.config.devices.find((d) => d.name === name); }

  /** Why the call must be relayed (docs/rtp-proxy.md §2), or undefined for phone-to-phone media. */
  proxyReason(a: MediaLeg, b: MediaLeg): string | undefined {
    const fa = addressFamily(a.rtp!.ip); const fb = addressFamily(b.rtp!.ip);
    if (fa !== fb) return `IPv${fa} ↔ IPv${fb}`;
    for (const leg of [a, b]) if (this.deviceConfig(leg.dev.name)?.media === 'proxy') return `${leg.dev.name} is configured media: proxy`;
    return undefined;
  }

  /**
   * The proxy's local address for a leg (docs/rtp-proxy.md §3): the device's `proxyAddress`, else
   * `rtpProxy.ipv4|ipv6` for the family of the phone's RTP address, else the CM's own signalling
   * address towards the phone when it is of that family, else loopback.
   */
  private spec(leg: MediaLeg): RelayLegSpec {
    const fam = addressFamily(leg.rtp!.ip);
    const dev = this.deviceConfig(leg.dev.name);
    const sig = leg.dev.sink?.localAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    const sigOk = sig && sig !== '0.0.0.0' && sig !== '::' && addressFamily(sig) === fam ? sig : undefined;
    const bind = dev?.proxyAddress ?? (fam === 6 ? this.h.config.rtpProxy?.ipv6 : this.h.config.rtpProxy?.ipv4)
      ?? sigOk ?? (fam === 6 ? '::1' : '127.0.0.1');
    return { device: leg.dev.name, remote: { ...leg.rtp! }, bind };
  }
}
