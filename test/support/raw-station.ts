/**
 * A raw SCCP test station built only on the codec (socket + SccpFramer + decodeMessage): it
 * records every message the CM sends, in order, so tests can assert exact sequences.
 */
import { connect, type Socket } from 'node:net';
import { decodeMessage, encodeMessage } from '../../firmware/sccp/codec.js';
import { SccpFramer } from '../../firmware/sccp/framer.js';
import type { FieldsOf, MessageName } from '../../firmware/sccp/messages.js';

export interface Rx { name: string; fields: Record<string, any> }

export class RawStation {
  readonly rx: Rx[] = [];
  /** Index of the first message not yet consumed by next()/until(). */
  cursor = 0;
  closed = false;
  private readonly framer = new SccpFramer();
  private waiters: Array<() => void> = [];
  errors: string[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      try {
        for (const pdu of this.framer.push(c)) {
          const m = decodeMessage(pdu);
          this.rx.push({ name: m.name, fields: m.fields as Record<string, any> });
        }
      } catch (e) { this.errors.push((e as Error).message); }
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  /** `localAddress` picks the source (another 127.x address plays a second host on loopback). */
  static connect(port: number, localAddress?: string): Promise<RawStation> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) }, () => resolve(new RawStation(s)));
      s.once('error', reject);
    });
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }
  private changed(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => { clearTimeout(t); resolve(true); });
    });
  }

  send<N extends MessageName>(name: N, fields: FieldsOf<N> = {} as FieldsOf<N>): void {
    this.socket.write(encodeMessage(name, fields));
  }
  sendRaw(buf: Buffer): void { this.socket.write(buf); }

  /** Messages from the cursor up to and including the first `name` (matching `pred`); advances the cursor. */
  async until(name: string, pred: (f: Record<string, any>) => boolean = () => true, ms = 3000): Promise<Rx[]> {
    const end = Date.now() + ms;
    for (;;) {
      for (let i = this.cursor; i < this.rx.length; i++) {
        const m = this.rx[i]!;
        if (m.name === name && pred(m.fields)) {
          const out = this.rx.slice(this.cursor, i + 1);
          this.cursor = i + 1;
          return out;
        }
      }
      const left = end - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`timeout waiting for ${name}; got after cursor: ${this.rx.slice(this.cursor).map((m) => m.name).join(', ') || '(nothing)'}${this.closed ? ' [socket closed]' : ''}`);
      }
      await this.changed(left);
    }
  }

  /** The next matching message (skipping others). */
  async next(name: string, pred?: (f: Record<string, any>) => boolean, ms?: number): Promise<Record<string, any>> {
    const seq = await this.until(name, pred, ms);
    return seq[seq.length - 1]!.fields;
  }

  /** Waits until nothing new has arrived for `quietMs`, then returns what arrived after the cursor (consumed). */
  async drain(quietMs = 60): Promise<Rx[]> {
    while (await this.changed(quietMs)) { /* keep waiting while messages flow */ }
    const out = this.rx.slice(this.cursor);
    this.cursor = this.rx.length;
    return out;
  }

  async waitClosed(ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() >= end) throw new Error('socket was not closed by the call manager');
      await this.changed(end - Date.now());
    }
  }

  /** Register, answer nothing, consume up to CapabilitiesReq; then send CapabilitiesRes with `codecs`. */
  async register(deviceName: string, codecs: number[] = [4, 2]): Promise<Rx[]> {
    this.send('Register', { deviceName, userId: 0, instance: 1, stationIpAddr: '127.0.0.1', deviceType: 7, maxStreams: 5,
      activeStreams: 0, protocolVer: 11 });
    const seq = await this.until('CapabilitiesReq');
    this.send('CapabilitiesRes', { capCount: codecs.length, caps: codecs.map((c) => ({ payloadCapability: c, maxFramesPerPacket: 40 })) });
    return seq;
  }

  close(): void { this.socket.destroy(); }
}

/** Compact "Name(field=value,...)" rendering for readable sequence assertions. */
export function names(seq: Rx[]): string[] { return seq.map((m) => m.name); }
