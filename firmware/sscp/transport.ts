/**
 * SSCP reliable datagram layer (docs/sscp.md §4) over node:dgram, udp4 or udp6. Used by both the
 * phone and the call manager.
 *
 * - Reliable messages carry `seq` (1, 2, ... per sender session `sid` and destination) and are
 *   acknowledged by `<SSCP name="Ack" ack=seq sid=sid/>` (the Ack echoes the data's sid).
 * - Unacknowledged messages are retransmitted after an RTO that doubles per attempt
 *   (RFC 6298 §5.5 style backoff) up to `maxRtoMs`; after `retries` retransmissions `send()` rejects
 *   with SscpTimeoutError and the sender starts a fresh session (new sid, seq 1) to that peer.
 * - The receiver delivers in seq order, exactly once: seqs below the window are duplicates (re-acked,
 *   dropped), seqs beyond the window are dropped unacked; a new sid resets the window.
 * - Only Ack travels without seq (docs/sscp.md §4, docs/security.md §5): any other datagram without
 *   seq is dropped ('unsequenced'), so a forged datagram must hit the session's sid and window.
 * - Phone side (`peer` given): the first sid the peer uses is pinned; a datagram with another sid is
 *   dropped ('unknownSession') and reported, so the station can register again over a fresh socket.
 * - Server side (`admit` given): a sender without receive state is not given any until `admit` says
 *   so; its datagrams go to `onStranger` (stateless) and `accept()` creates the state. Nothing is kept
 *   per sender before that, and `sendOnce` answers a stranger without keeping state or retransmitting.
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { decodeSscp, encodeSscp, SSCP_MAX_DATAGRAM, type SscpDecoded, type SscpMessage } from './codec.js';
import type { TraceSink } from '../station/trace.js';

export interface SscpPeer { address: string; port: number }
export type SscpDropReason = 'unexpectedPeer' | 'oversize' | 'malformed' | 'duplicate' | 'outOfWindow' | 'staleSession'
  | 'unsequenced' | 'unknownSession';

export interface SscpStats {
  sent: number; retransmits: number; received: number; delivered: number; acksSent: number; acksReceived: number;
  duplicates: number; droppedUnexpectedPeer: number; droppedOversize: number; droppedMalformed: number;
  droppedOutOfWindow: number; droppedStaleSession: number; droppedUnsequenced: number; droppedUnknownSession: number;
  timeouts: number;
}

export interface SscpEndpointOptions {
  /** A udp4/udp6 socket to use (bound or not); otherwise one is created from `bind`. */
  socket?: Socket;
  bind?: { address?: string; port?: number };
  clock: Clock;
  /** Phone side: the only accepted source, and the default destination. */
  peer?: SscpPeer;
  /** Server side: filter for sources (default: accept all). */
  acceptPeer?: (from: SscpPeer) => boolean;
  /** Our device id, put into every envelope we send. */
  device?: string;
  maxDatagram?: number;
  /** Retransmissions before giving up (default 5: 0.5+1+2+4+4+4 s ≈ 15.5 s to fail). */
  retries?: number;
  initialRtoMs?: number;
  maxRtoMs?: number;
  /** Messages in flight per peer, and the receive reorder window (default 16). */
  window?: number;
  /** RTO randomisation ±fraction (default 0.2) so a window's retransmits do not march in lockstep. */
  jitter?: number;
  /** Random source in [0,1) for the jitter (default Math.random). */
  random?: () => number;
  /** Server side: may a sender without receive state get some? (default: yes). */
  admit?: (from: SscpPeer) => boolean;
  /** Server side: a sequenced message from a sender `admit` refused; handled without state. */
  onStranger?: (msg: SscpDecoded, from: SscpPeer, bytes: number) => void;
  onMessage: (msg: SscpDecoded, from: SscpPeer) => void;
  /** `--trace`: every message sent (first transmission) and delivered, decoded. */
  trace?: TraceSink;
  onDrop?: (reason: SscpDropReason, from: SscpPeer, err?: Error) => void;
}

export class SscpTimeoutError extends Error {
  constructor(readonly messageName: string, readonly seq: number, readonly peer: SscpPeer, readonly attempts: number) {
    super(`SSCP ${messageName} seq ${seq} to ${fmt(peer)} not acknowledged after ${attempts} transmissions ` +
      '(peer down or path dropping UDP?)');
    this.name = 'SscpTimeoutError';
  }
}

interface Pending {
  seq: number; name: string; buf: Buffer; attempts: number; timer: TimerHandle | undefined;
  resolve: () => void; reject: (e: Error) => void;
}
interface TxState { sid: string; nextSeq: number; inflight: Map<number, Pending>; queue: Pending[] }
interface RxState { sid: string; next: number; buffer: Map<number, SscpDecoded>; retired: string[] }

const fmt = (p: SscpPeer): string => (isIPv6(p.address) ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`);
/** IPv4-mapped IPv6 (RFC 4291 §2.5.5.2) compares equal to the plain IPv4 address. */
const norm = (a: string): string => a.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
const key = (p: SscpPeer): string => `${norm(p.address)}|${p.port}`;
const newSid = (): string => randomBytes(4).toString('hex');
/** Retired sids remembered per peer so late retransmits of an old session cannot reset the window. */
const RETIRED_SIDS = 4;

export class SscpEndpoint {
  readonly stats: SscpStats = {
    sent: 0, retransmits: 0, received: 0, delivered: 0, acksSent: 0, acksReceived: 0, duplicates: 0,
    droppedUnexpectedPeer: 0, droppedOversize: 0, droppedMalformed: 0, droppedOutOfWindow: 0,
    droppedStaleSession: 0, droppedUnsequenced: 0, droppedUnknownSession: 0, timeouts: 0,
  };
  private readonly socket: Socket;
  private readonly ownSocket: boolean;
  private readonly tx = new Map<string, TxState>();
  private readonly rx = new Map<string, RxState>();
  private readonly heard = new Map<string, number>();
  private readonly maxDatagram: number;
  private readonly retries: number;
  private readonly rto0: number;
  private readonly rtoMax: number;
  private readonly window: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private closed = false;

  constructor(private readonly opts: SscpEndpointOptions) {
    this.maxDatagram = opts.maxDatagram ?? SSCP_MAX_DATAGRAM;
    this.retries = opts.retries ?? 5;
    this.rto0 = opts.initialRtoMs ?? 500;      // RFC 8085 §3.1.3: ≥ 1 s unless RTT known; LAN desk phones: 0.5 s
    this.rtoMax = opts.maxRtoMs ?? 4000;
    this.window = opts.window ?? 16;
    this.jitter = opts.jitter ?? 0.2;
    this.random = opts.random ?? Math.random;
    this.ownSocket = !opts.socket;
    const family = opts.bind?.address && isIPv6(opts.bind.address) ? 'udp6' : 'udp4';
    this.socket = opts.socket ?? createSocket({ type: family, ipv6Only: family === 'udp6' });
    this.socket.on('message', (buf, rinfo) => this.onDatagram(buf, { address: rinfo.address, port: rinfo.port }));
    this.socket.on('error', (e) => this.opts.onDrop?.('malformed', { address: '', port: 0 }, e));
  }

  /** Binds (if this endpoint created the socket) and returns the local address. */
  async start(): Promise<SscpPeer> {
    if (this.ownSocket) {
      await new Promise<void>((resolve, reject) => {
        this.socket.once('error', reject);
        this.socket.bind(this.opts.bind?.port ?? 0, this.opts.bind?.address, () => {
          this.socket.off('error', reject);
          resolve();
        });
      });
    }
    return this.local;
  }

  get local(): SscpPeer {
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }

  /** The sid our next reliable message to `peer` will carry (what a Register digest covers, docs/security.md §4). */
  sessionId(peer: SscpPeer | undefined = this.opts.peer): string | undefined { return peer ? this.txState(peer).sid : undefined; }

  /** Monotonic time (Clock) a valid datagram was last received from `peer`. */
  lastHeard(peer: SscpPeer): number | undefined { return this.heard.get(key(peer)); }

  /** Sends reliably; resolves when acknowledged, rejects with SscpTimeoutError or SscpEncodeError. */
  send(msg: SscpMessage, peer: SscpPeer | undefined = this.opts.peer): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`SSCP send ${msg.name}: endpoint closed`));
    if (!peer) return Promise.reject(new Error(`SSCP send ${msg.name}: no peer given and no default peer`));
    const st = this.txState(peer);
    const seq = st.nextSeq++;
    let buf: Buffer;
    try {
      buf = encodeSscp({ ...msg, seq, sid: st.sid, device: msg.device ?? this.opts.device }, { maxDatagram: this.maxDatagram });
    } catch (e) {
      st.nextSeq--;
      return Promise.reject(e);
    }
    this.opts.trace?.('SSCP', 'send', fmt(peer), msg.name, msg.fields);
    return new Promise<void>((resolve, reject) => {
      st.queue.push({ seq, name: msg.name, buf, attempts: 0, timer: undefined, resolve, reject });
      this.pump(peer, st);
    });
  }

  /** Sends once in the session's sequence, never retransmitted (for messages whose loss is harmless). */
  sendUnreliable(msg: SscpMessage, peer: SscpPeer | undefined = this.opts.peer): Promise<void> {
    if (!peer || this.closed) return Promise.resolve();
    const st = this.txState(peer);
    const buf = encodeSscp({ ...msg, seq: st.nextSeq++, sid: st.sid, device: msg.device ?? this.opts.device }, { maxDatagram: this.maxDatagram });
    this.stats.sent++;
    this.opts.trace?.('SSCP', 'send', fmt(peer), msg.name, msg.fields);
    // Resolves once the datagram has left (or failed): closing the socket sooner would discard it.
    return new Promise((resolve) => this.socket.send(buf, peer.port, peer.address, () => resolve()));
  }

  /**
   * Answers a stranger with one datagram (seq 1 of a throwaway sid): no state is kept, nothing is
   * retransmitted (docs/security.md §5). Returns the bytes sent.
   */
  sendOnce(msg: SscpMessage, peer: SscpPeer): number {
    if (this.closed) return 0;
    const buf = encodeSscp({ ...msg, seq: 1, sid: newSid(), device: msg.device ?? this.opts.device }, { maxDatagram: this.maxDatagram });
    this.stats.sent++;
    this.socket.send(buf, peer.port, peer.address);
    return buf.length;
  }

  /**
   * Server side: gives `from` receive state starting after `m` (a message delivered to onStranger)
   * and acknowledges `m`, as if it had arrived in a session.
   */
  accept(from: SscpPeer, m: SscpDecoded): void {
    if (this.closed || m.seq === undefined || m.sid === undefined) return;
    const k = key(from);
    const old = this.rx.get(k);
    this.rx.set(k, { sid: m.sid, next: m.seq + 1, buffer: new Map(), retired: old ? [old.sid, ...old.retired].slice(0, RETIRED_SIDS) : [] });
    this.heard.set(k, this.opts.clock.now());
    this.ack(from, m);
  }

  /** Peers with receive or send state (bounded by what the owner accepted). */
  get peers(): number { return new Set([...this.rx.keys(), ...this.tx.keys(), ...this.heard.keys()]).size; }

  /**
   * Keepalive / registration-refresh hook: every `intervalMs` sends `message()` reliably (skipped while
   * the previous one is unacknowledged); `onLost` is called once the send times out.
   */
  startKeepalive(o: { intervalMs: number; message: () => SscpMessage; onLost: (e: Error) => void; peer?: SscpPeer }): () => void {
    let busy = false;
    const h = this.opts.clock.setInterval(() => {
      if (busy || this.closed) return;
      busy = true;
      this.send(o.message(), o.peer).then(() => { busy = false; }, (e: Error) => { busy = false; o.onLost(e); });
    }, o.intervalMs);
    return () => this.opts.clock.clearInterval(h);
  }

  /** Forgets all state for a peer (pending sends reject), e.g. when a registration expires. */
  forgetPeer(peer: SscpPeer, why = 'peer forgotten'): void {
    const k = key(peer);
    const st = this.tx.get(k);
    if (st) this.failAll(st, new Error(`SSCP to ${fmt(peer)}: ${why}`));
    this.tx.delete(k);
    this.rx.delete(k);
    this.heard.delete(k);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const st of this.tx.values()) this.failAll(st, new Error('SSCP endpoint closed'));
    this.tx.clear();
    if (this.ownSocket) await new Promise<void>((r) => this.socket.close(() => r()));
  }

  // ---- sender --------------------------------------------------------------------------------
  private txState(peer: SscpPeer): TxState {
    let st = this.tx.get(key(peer));
    if (!st) {
      st = { sid: newSid(), nextSeq: 1, inflight: new Map(), queue: [] };
      this.tx.set(key(peer), st);
    }
    return st;
  }

  private pump(peer: SscpPeer, st: TxState): void {
    while (st.inflight.size < this.window && st.queue.length > 0) {
      const p = st.queue.shift()!;
      st.inflight.set(p.seq, p);
      this.transmit(peer, st, p);
    }
  }

  private transmit(peer: SscpPeer, st: TxState, p: Pending): void {
    if (p.attempts > 0) this.stats.retransmits++;
    p.attempts++;
    this.stats.sent++;
    this.socket.send(p.buf, peer.port, peer.address);
    const base = Math.min(this.rto0 * 2 ** (p.attempts - 1), this.rtoMax);
    const rto = base * (1 + this.jitter * (2 * this.random() - 1));
    p.timer = this.opts.clock.setTimeout(() => {
      if (p.attempts <= this.retries) return this.transmit(peer, st, p);
      // The receiver delivers in order, so everything after a lost message is stuck: fail the
      // whole session and start a new one (new sid resets the receiver's window).
      this.stats.timeouts++;
      this.tx.delete(key(peer));
      this.failAll(st, new SscpTimeoutError(p.name, p.seq, peer, p.attempts), p);
    }, rto);
  }

  private failAll(st: TxState, err: Error, first?: Pending): void {
    const all = [...st.inflight.values(), ...st.queue];
    st.inflight.clear();
    st.queue.length = 0;
    for (const p of all) {
      this.opts.clock.clearTimeout(p.timer);
      p.reject(p === first || !(err instanceof SscpTimeoutError) ? err
        : new Error(`SSCP ${p.name} seq ${p.seq} abandoned: ${err.message}`));
    }
  }

  private onAck(from: SscpPeer, m: SscpDecoded): void {
    const st = this.tx.get(key(from));
    if (!st || m.sid !== st.sid || m.ack === undefined) return;
    this.heard.set(key(from), this.opts.clock.now());
    const p = st.inflight.get(m.ack);
    if (!p) return;                        // duplicate ack
    this.stats.acksReceived++;
    this.opts.clock.clearTimeout(p.timer);
    st.inflight.delete(m.ack);
    p.resolve();
    this.pump(from, st);
  }

  // ---- receiver ------------------------------------------------------------------------------
  private drop(reason: SscpDropReason, from: SscpPeer, err?: Error): void {
    const field = ({
      unexpectedPeer: 'droppedUnexpectedPeer', oversize: 'droppedOversize', malformed: 'droppedMalformed',
      duplicate: 'duplicates', outOfWindow: 'droppedOutOfWindow', staleSession: 'droppedStaleSession',
      unsequenced: 'droppedUnsequenced', unknownSession: 'droppedUnknownSession',
    } as const)[reason];
    this.stats[field]++;
    this.opts.onDrop?.(reason, from, err);
  }

  private onDatagram(buf: Buffer, from: SscpPeer): void {
    if (this.closed) return;
    this.stats.received++;
    const want = this.opts.peer;
    if (want ? key(want) !== key(from) : this.opts.acceptPeer && !this.opts.acceptPeer(from)) {
      return this.drop('unexpectedPeer', from);
    }
    if (buf.length > this.maxDatagram) return this.drop('oversize', from);
    let m: SscpDecoded;
    try {
      m = decodeSscp(buf, { maxDatagram: this.maxDatagram });
    } catch (e) {
      return this.drop('malformed', from, e as Error);
    }
    const k = key(from);
    if (m.name === 'Ack') return this.onAck(from, m);
    if (m.seq === undefined) return this.drop('unsequenced', from, new Error(`SSCP ${m.name} without seq: only Ack is unsequenced`));
    if (m.sid === undefined) return this.drop('malformed', from, new Error(`SSCP ${m.name}: seq without sid`));
    let st = this.rx.get(k);
    if (!st && this.opts.admit && !this.opts.admit(from)) {
      this.opts.onStranger?.(m, from, buf.length);     // no state for a sender not yet accepted
      return;
    }
    this.heard.set(k, this.opts.clock.now());
    if (!st || st.sid !== m.sid) {
      if (st?.retired.includes(m.sid)) return this.drop('staleSession', from);
      if (st && this.opts.peer) return this.drop('unknownSession', from, new Error(`SSCP ${m.name}: sid ${m.sid} is not the CM's session ${st.sid}`));
      const retired = st ? [st.sid, ...st.retired].slice(0, RETIRED_SIDS) : [];
      st = { sid: m.sid, next: 1, buffer: new Map(), retired };
      this.rx.set(k, st);
    }
    if (m.seq < st.next || st.buffer.has(m.seq)) {
      this.ack(from, m);                    // our ack was lost: ack again
      return this.drop('duplicate', from);
    }
    if (m.seq >= st.next + this.window) return this.drop('outOfWindow', from);
    this.ack(from, m);
    st.buffer.set(m.seq, m);
    for (let next = st.buffer.get(st.next); next; next = st.buffer.get(st.next)) {
      st.buffer.delete(st.next);
      st.next++;
      this.deliver(next, from);
    }
  }

  private deliver(m: SscpDecoded, from: SscpPeer): void {
    this.stats.delivered++;
    this.opts.trace?.('SSCP', 'recv', fmt(from), m.name, m.fields);
    try {
      this.opts.onMessage(m, from);
    } catch (e) {
      this.opts.onDrop?.('malformed', from, e as Error);   // a throwing handler must not stall the window
    }
  }

  private ack(to: SscpPeer, m: SscpDecoded): void {
    this.stats.acksSent++;
    const buf = encodeSscp({ name: 'Ack', ack: m.seq, sid: m.sid, device: this.opts.device, fields: {} });
    this.socket.send(buf, to.port, to.address);
  }
}
