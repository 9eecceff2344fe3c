/**
 * The call manager's RTP proxy (docs/rtp-proxy.md; seed 000 "Private IP, IPv6 Address Support":
 * "IP-PBX and RTP proxy has IPv4 and IPv6 address / IPv4 and Private address"). Per call, one
 * RTP/RTCP socket pair per leg, each bound in that leg's address family / address space. A packet
 * arriving on leg A's socket from phone A goes out of leg B's socket to phone B's receive address
 * (its OpenReceiveChannelAck address), and the other way round; RTCP likewise on port + 1
 * (RFC 3550 §11). Packets from any other source are dropped and counted.
 *
 * Per packet the relay does no allocation of its own: the datagram Node hands over is forwarded
 * as is (no copy), the source check compares against strings prepared at set-up, and counters are
 * plain numbers in objects made once per call. (Node's dgram allocates the receive Buffer itself.)
 */
import type dgram from 'node:dgram';
import { bindRtpPair } from '../firmware/media/udp-pair.js';
import type { MediaRelay, RelayLegSpec, RelaySession, RtpAddr } from './call-media.js';
import { silentLogger, type Logger } from './log.js';

/** Counters of one direction of one stream (RTP or RTCP). */
export interface FlowCounters {
  packets: number;
  bytes: number;
  /** Packets from an unexpected source (not the leg's phone, or another port once learned). */
  dropped: number;
  /** Send failures (e.g. EHOSTUNREACH). */
  errors: number;
}

export interface ProxySessionStats {
  callId: number;
  legs: [ProxyLegInfo, ProxyLegInfo];
  /** RTP and RTCP from phone A (caller) to phone B (callee) and from B to A. */
  rtp: { aToB: FlowCounters; bToA: FlowCounters };
  rtcp: { aToB: FlowCounters; bToA: FlowCounters };
}
export interface ProxyLegInfo {
  device: string;
  /** The proxy's RTP address for this leg (what the phone was told in StartMediaTransmission). */
  local: RtpAddr;
  /** The phone's RTP receive address (OpenReceiveChannelAck). */
  remote: RtpAddr;
  /** The source the phone's packets come from, once learned. */
  learned?: RtpAddr;
}

const counters = (): FlowCounters => ({ packets: 0, bytes: 0, dropped: 0, errors: 0 });

/** Canonical text of an IP address as Node reports packet sources (lower case, compressed IPv6). */
function canonicalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try { return new URL(`http://[${ip}]/`).hostname.slice(1, -1); } catch { return ip.toLowerCase(); }
}

/** One direction: packets into `rx` from the expected phone go out of `tx` to the other phone. */
class Flow {
  readonly c = counters();
  srcPort = -1;
  private readonly onError = (e: Error | null): void => { if (e) this.c.errors++; };
  constructor(rx: dgram.Socket, private readonly tx: dgram.Socket, private readonly srcIp: string,
    private readonly dstPort: number, private readonly dstIp: string) {
    rx.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => this.packet(msg, rinfo));
  }
  private packet(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (rinfo.address !== this.srcIp || (this.srcPort >= 0 && rinfo.port !== this.srcPort)) { this.c.dropped++; return; }
    if (this.srcPort < 0) this.srcPort = rinfo.port; // first packet: learn the phone's source port
    this.c.packets++;
    this.c.bytes += msg.length;
    this.tx.send(msg, this.dstPort, this.dstIp, this.onError);
  }
}

class ProxySession implements RelaySession {
  readonly a: RtpAddr;
  readonly b: RtpAddr;
  private closed = false;
  private readonly flows: { rtpAB: Flow; rtpBA: Flow; rtcpAB: Flow; rtcpBA: Flow };

  constructor(readonly callId: number, private readonly specA: RelayLegSpec, private readonly specB: RelayLegSpec,
    private readonly sa: [dgram.Socket, dgram.Socket], private readonly sb: [dgram.Socket, dgram.Socket],
    private readonly onClose: (s: ProxySession) => void, log: Logger) {
    this.a = { ip: specA.bind, port: sa[0].address().port };
    this.b = { ip: specB.bind, port: sb[0].address().port };
    const ipA = canonicalIp(specA.remote.ip); const ipB = canonicalIp(specB.remote.ip);
    const pa = specA.remote.port; const pb = specB.remote.port;
    this.flows = {
      rtpAB: new Flow(sa[0], sb[0], ipA, pb, ipB), rtpBA: new Flow(sb[0], sa[0], ipB, pa, ipA),
      // RTCP goes to the RTP port + 1 (RFC 3550 §11).
      rtcpAB: new Flow(sa[1], sb[1], ipA, pb + 1, ipB), rtcpBA: new Flow(sb[1], sa[1], ipB, pa + 1, ipA),
    };
    for (const s of [...sa, ...sb]) s.on('error', (e) => log.warn(`rtp proxy call ${callId}: socket error: ${e.message}`));
  }

  stats(): ProxySessionStats {
    const f = this.flows;
    const learned = (fl: Flow, ip: string): RtpAddr | undefined => (fl.srcPort >= 0 ? { ip, port: fl.srcPort } : undefined);
    const leg = (spec: RelayLegSpec, local: RtpAddr, fl: Flow): ProxyLegInfo => {
      const l = learned(fl, spec.remote.ip);
      return { device: spec.device, local: { ...local }, remote: { ...spec.remote }, ...(l ? { learned: l } : {}) };
    };
    return {
      callId: this.callId,
      legs: [leg(this.specA, this.a, f.rtpAB), leg(this.specB, this.b, f.rtpBA)],
      rtp: { aToB: { ...f.rtpAB.c }, bToA: { ...f.rtpBA.c } },
      rtcp: { aToB: { ...f.rtcpAB.c }, bToA: { ...f.rtcpBA.c } },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sa, ...this.sb]) { try { s.close(); } catch { /* already closed */ } }
    this.onClose(this);
  }
}

export interface RtpProxyOptions { log?: Logger }

export class RtpProxy implements MediaRelay {
  private readonly live = new Map<number, ProxySession>();
  private readonly log: Logger;
  /** Counters of sessions already closed, so totals() covers the proxy's whole life. */
  private readonly done = { packets: 0, bytes: 0, dropped: 0, errors: 0 };
  private closedAll = false;

  constructor(opts: RtpProxyOptions = {}) { this.log = opts.log ?? silentLogger; }

  async open(callId: number, a: RelayLegSpec, b: RelayLegSpec): Promise<RelaySession> {
    if (this.closedAll) throw new Error('RTP proxy is shut down');
    const sa = await bindRtpPair(a.bind, `RTP proxy call ${callId} leg ${a.device}`);
    let sb: [dgram.Socket, dgram.Socket];
    try { sb = await bindRtpPair(b.bind, `RTP proxy call ${callId} leg ${b.device}`); } catch (e) {
      for (const s of sa) s.close();
      throw e;
    }
    this.live.get(callId)?.close();
    const s = new ProxySession(callId, a, b, sa, sb, (x) => this.retire(x), this.log);
    this.live.set(callId, s);
    this.log.info(`rtp proxy call ${callId}: ${a.device} ${a.remote.ip}:${a.remote.port} ⇄ ${s.a.ip}:${s.a.port} | ` +
      `${s.b.ip}:${s.b.port} ⇄ ${b.device} ${b.remote.ip}:${b.remote.port}`);
    return s;
  }

  /** Live sessions with their counters. */
  sessions(): ProxySessionStats[] { return [...this.live.values()].map((s) => s.stats()); }

  /** Sums over every session since start (RTP and RTCP, both directions). */
  totals(): FlowCounters {
    const t = { ...this.done };
    for (const s of this.live.values()) add(t, s.stats());
    return t;
  }

  close(): void {
    this.closedAll = true;
    for (const s of [...this.live.values()]) s.close();
  }

  private retire(s: ProxySession): void {
    if (this.live.get(s.callId) !== s) return;
    this.live.delete(s.callId);
    const st = s.stats();
    add(this.done, st);
    this.log.info(`rtp proxy call ${s.callId} closed: RTP ${st.rtp.aToB.packets} → / ${st.rtp.bToA.packets} ←, ` +
      `dropped ${st.rtp.aToB.dropped + st.rtp.bToA.dropped}`);
  }
}

function add(t: FlowCounters, st: ProxySessionStats): void {
  for (const c of [st.rtp.aToB, st.rtp.bToA, st.rtcp.aToB, st.rtcp.bToA]) {
    t.packets += c.packets; t.bytes += c.bytes; t.dropped += c.dropped; t.errors += c.errors;
  }
}
