/**
 * Network impairment proxy for RTP tests: sits between two endpoints on loopback UDP and, per
 * direction, drops, duplicates, delays (uniform jitter) and reorders packets, driven by a seeded
 * xorshift32 PRNG and the injected Clock, so a run is reproducible on a VirtualClock.
 *
 * Topology (symmetric RTP, RFC 3550 §11 pairs): A ⇄ [sideA | proxy | sideB] ⇄ B. A sends to sideA's
 * RTP port, the proxy forwards from sideB to B's RTP port; B sends to sideB, forwarded from sideA.
 * So each engine sees its packets coming from the address it sends to (its source check passes).
 * RTCP (port + 1) is forwarded the same way, unimpaired.
 */
import type dgram from 'node:dgram';
import type { Clock } from '../../../hal/api/clock.js';
import type { MediaEndpoint } from '../../../firmware/media/engine.js';
import { bindRtpPair } from '../../../firmware/media/udp-pair.js';
import { prng } from '../../support/signals.js';

export interface Impairment {
  /** Probability a packet is dropped (0..1). */
  loss?: number;
  /** Probability a forwarded packet is sent twice (the copy 0..jitter ms later). */
  duplicate?: number;
  /** Fixed one-way delay in ms. */
  delayMs?: number;
  /** Extra delay, uniform in [0, jitterMs) ms, per packet (reorders when it exceeds the packet spacing). */
  jitterMs?: number;
  /** Probability a packet is held back one more packet time (20 ms) on top of the jitter. */
  reorder?: number;
}

export interface DirectionCounters { received: number; dropped: number; duplicated: number; forwarded: number; reordered: number }

interface Side { rtp: dgram.Socket; rtcp: dgram.Socket; port: number }

class Direction {
  readonly c: DirectionCounters = { received: 0, dropped: 0, duplicated: 0, forwarded: 0, reordered: 0 };
  imp: Impairment = {};
  private lastDue = 0;
  constructor(private readonly rand: () => number) {}

  /** Delays for this packet: [] = dropped, one or two entries otherwise. */
  plan(now: number): number[] {
    this.c.received++;
    const i = this.imp;
    if (this.rand() < (i.loss ?? 0)) { this.c.dropped++; return []; }
    const base = (i.delayMs ?? 0) + this.rand() * (i.jitterMs ?? 0) + (this.rand() < (i.reorder ?? 0) ? 20 : 0);
    if (now + base < this.lastDue) this.c.reordered++;
    this.lastDue = Math.max(this.lastDue, now + base);
    if (this.rand() < (i.duplicate ?? 0)) { this.c.duplicated++; return [base, base + this.rand() * (i.jitterMs ?? 0)]; }
    return [base];
  }
}

export class ImpairmentProxy {
  /** Where engine A must send (its remote endpoint), and where B must send. */
  readonly forA: MediaEndpoint;
  readonly forB: MediaEndpoint;
  readonly aToB: Direction;
  readonly bToA: Direction;

  private constructor(private readonly clock: Clock, private readonly sideA: Side, private readonly sideB: Side, seed: number) {
    this.forA = { address: '127.0.0.1', port: sideA.port };
    this.forB = { address: '127.0.0.1', port: sideB.port };
    const r = prng(seed);
    this.aToB = new Direction(r);
    this.bToA = new Direction(r);
  }

  static async create(clock: Clock, seed: number): Promise<ImpairmentProxy> {
    const side = async (): Promise<Side> => {
      const [rtp, rtcp] = await bindRtpPair('127.0.0.1', 'impairment proxy');
      return { rtp, rtcp, port: rtp.address().port };
    };
    return new ImpairmentProxy(clock, await side(), await side(), seed);
  }

  /** Starts forwarding between A's and B's receive endpoints (their OpenReceiveChannelAck addresses). */
  connect(a: MediaEndpoint, b: MediaEndpoint): void {
    this.wire(this.sideA, this.sideB, b, this.aToB);
    this.wire(this.sideB, this.sideA, a, this.bToA);
  }

  set(dir: 'aToB' | 'bToA' | 'both', imp: Impairment): void {
    if (dir !== 'bToA') this.aToB.imp = imp;
    if (dir !== 'aToB') this.bToA.imp = imp;
  }

  async close(): Promise<void> {
    const socks = [this.sideA.rtp, this.sideA.rtcp, this.sideB.rtp, this.sideB.rtcp];
    await Promise.all(socks.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private wire(from: Side, out: Side, dest: MediaEndpoint, d: Direction): void {
    from.rtp.on('message', (msg) => {
      for (const ms of d.plan(this.clock.now())) {
        const copy = Buffer.from(msg);
        const send = (): void => { d.c.forwarded++; out.rtp.send(copy, dest.port, dest.address); };
        if (ms <= 0) send(); else this.clock.setTimeout(send, ms);
      }
    });
    from.rtcp.on('message', (msg) => { out.rtcp.send(Buffer.from(msg), dest.port + 1, dest.address); });
  }
}
