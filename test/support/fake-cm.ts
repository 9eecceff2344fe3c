/**
 * A scripted call manager for station tests: a raw TCP server on 127.0.0.1:0 speaking SCCP through
 * the shared codec, answering the registration script of docs/sccp.md §5 the way Asterisk does
 * (SetLamp before RegisterAck, ForwardStatReq unanswered ...). Behaviour switches let a test
 * reject, stay silent on keepalives, or inject bytes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { decodeMessage, encodeMessage } from '../../firmware/sccp/codec.js';
import { SccpFramer } from '../../firmware/sccp/framer.js';
import type { MediaEndpoint, MediaEngine, MediaStats, CodecChoice } from '../../firmware/media/engine.js';

export interface Rx { id: number; name: string; headerVersion: number; fields: Record<string, any>; raw: Buffer; conn: number }

export interface CmBehaviour {
  /** 'ack' (default), 'none' (stay silent) or a RegisterReject text; may depend on the connection number (0-based). */
  register: 'ack' | 'none' | { reject: string } | ((conn: number) => 'ack' | 'none' | { reject: string });
  keepAliveAck: boolean;
  keepAliveInterval: number;
  /** Close the connection on Unregister, as Asterisk does (default true). */
  closeOnUnregister?: boolean;
  /** Softkey template and sets to hand out (default SOFTKEYS and SETS). */
  softKeys?: Array<{ softKeyLabel: string; softKeyEvent: number }>;
  softKeySets?: number[][];
}

/** Softkey template with non-standard event codes, so a test proves the station uses the template. */
export const SOFTKEYS = [
  { softKeyLabel: '\x80\x01', softKeyEvent: 1 },      // Redial
  { softKeyLabel: '\x80\x02', softKeyEvent: 2 },      // NewCall
  { softKeyLabel: 'Answer', softKeyEvent: 11 },
  { softKeyLabel: '\x80\x09', softKeyEvent: 9 },      // EndCall
  { softKeyLabel: 'Magic', softKeyEvent: 77 },
];
/** Set 0 (OnHook): Redial, NewCall. Set 3 (RingIn): Answer, EndCall, Magic (template indexes are 1-based). */
export const SETS = [[1, 2], [], [], [3, 4, 5]];

const pad16 = (a: number[]): number[] => [...a, ...Array<number>(16 - a.length).fill(0)];

export class FakeCm {
  readonly rx: Rx[] = [];
  readonly conns: Socket[] = [];
  private server: Server | undefined;
  behaviour: CmBehaviour = { register: 'ack', keepAliveAck: true, keepAliveInterval: 30 };

  static async start(b: Partial<CmBehaviour> = {}): Promise<FakeCm> {
    const cm = new FakeCm();
    Object.assign(cm.behaviour, b);
    await new Promise<void>((resolve) => {
      cm.server = createServer((s) => cm.accept(s)).listen(0, '127.0.0.1', resolve);
    });
    return cm;
  }

  get port(): number { return (this.server!.address() as { port: number }).port; }
  names(conn?: number): string[] { return this.rx.filter((m) => conn === undefined || m.conn === conn).map((m) => m.name); }
  last(name: string): Rx | undefined { return [...this.rx].reverse().find((m) => m.name === name); }
  count(name: string): number { return this.rx.filter((m) => m.name === name).length; }

  /** Sends to the newest connection (or `conn`). */
  send(name: string, fields: Record<string, unknown> = {}, conn = this.conns.length - 1): void {
    this.conns[conn]!.write(encodeMessage(name as never, fields as never));
  }
  sendRaw(buf: Buffer, conn = this.conns.length - 1): void { this.conns[conn]!.write(buf); }
  dropAll(): void { for (const c of this.conns) c.destroy(); }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private accept(s: Socket): void {
    const conn = this.conns.push(s) - 1;
    const framer = new SccpFramer();
    s.on('error', () => {});
    s.on('data', (chunk: Buffer) => {
      for (const pdu of framer.push(chunk)) {
        const m = decodeMessage(pdu);
        const rx: Rx = { ...(m as Omit<Rx, 'raw' | 'conn'>), raw: Buffer.from(pdu), conn };
        this.rx.push(rx);
        this.react(rx, conn);
      }
    });
  }

  private react(m: Rx, conn: number): void {
    if (s(this.conns[conn])) return;
    const send = (name: string, f: Record<string, unknown> = {}): void => this.send(name, f, conn);
    switch (m.name) {
      case 'Register': {
        const r = typeof this.behaviour.register === 'function' ? this.behaviour.register(conn) : this.behaviour.register;
        if (r === 'none') return;
        if (typeof r === 'object') { send('RegisterReject', { text: r.reject }); return; }
        // §5: SetLamp(VoiceMail) per line, then (15, 0, Off), BEFORE RegisterAck.
        send('SetLamp', { stimulus: 15, stimulusInstance: 1, lampMode: 1 });
        send('SetLamp', { stimulus: 15, stimulusInstance: 0, lampMode: 1 });
        // Asterisk puts '0' (48) in maxProtocolVer (§3): must be ignored.
        send('RegisterAck', { keepAliveInterval: this.behaviour.keepAliveInterval, dateTemplate: 'M-D-Y',
          secondaryKeepAliveInterval: this.behaviour.keepAliveInterval, maxProtocolVer: 48 });
        send('CapabilitiesReq');
        return;
      }
      case 'KeepAlive': if (this.behaviour.keepAliveAck) send('KeepAliveAck'); return;
      // §5: Asterisk answers Unregister by closing the session (no UnregisterAck).
      case 'Unregister': if (this.behaviour.closeOnUnregister !== false) this.conns[conn]!.end(); return;
      case 'ButtonTemplateReq':
        send('ButtonTemplate', { buttonOffset: 0, buttonCount: 3, totalButtonCount: 3, buttons: [
          { instanceNumber: 1, buttonDefinition: 9 }, { instanceNumber: 1, buttonDefinition: 2 },
          { instanceNumber: 2, buttonDefinition: 2 }] });
        return;
      case 'SoftKeyTemplateReq':
      {
        const keys = this.behaviour.softKeys ?? SOFTKEYS;
        send('SoftKeyTemplateRes', { softKeyOffset: 0, softKeyCount: keys.length, totalSoftKeyCount: keys.length, softKeys: keys });
        return;
      }
      case 'SoftKeySetReq':
      {
        const sets = this.behaviour.softKeySets ?? SETS;
        send('SoftKeySetRes', { softKeySetOffset: 0, softKeySetCount: sets.length, totalSoftKeySetCount: sets.length,
          softKeySets: sets.map((t) => ({ softKeyTemplateIndex: pad16(t), softKeyInfoIndex: pad16(t.map((x) => 300 + x)) })) });
        send('SelectSoftKeys', { lineInstance: 0, callReference: 0, softKeySetIndex: 0, validKeyMask: 0x3 });
        return;
      }
      case 'LineStatReq':
        send('LineStat', { lineNumber: m.fields.lineNumber, lineDirNumber: '100', lineFullyQualifiedDisplayName: 'Alice',
          lineTextLabel: 'Alice 100' });
        return;
      case 'SpeedDialStatReq':
        send('SpeedDialStat', { speedDialNumber: m.fields.speedDialNumber, speedDialDirNumber: `20${m.fields.speedDialNumber}`,
          speedDialDisplayName: `SD ${m.fields.speedDialNumber}` });
        return;
      case 'TimeDateReq':
        send('DefineTimeDate', { year: 2026, month: 3, dayOfWeek: 2, day: 17, hour: 9, minute: 41, second: 5, milliseconds: 0,
          systemTime: 0 });
        return;
      default: // ForwardStatReq: Asterisk never answers (§5).
    }
  }
}

const s = (sock: Socket | undefined): boolean => !sock || sock.destroyed;

/** Polls `pred` on real time (network events) until true; fails with `what` after `ms`. */
export async function waitUntil(pred: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A MediaEngine that records every call; openReceive answers 127.0.0.1:<40000 + id % 10000>. */
export class FakeMedia implements MediaEngine {
  readonly calls: Array<{ op: string; id?: number; args?: unknown[] }> = [];
  readonly open = new Set<number>();
  failOpen = false;
  capabilities(): readonly CodecChoice[] { return [{ codec: 'PCMU', ptimeMs: 20 }, { codec: 'PCMA', ptimeMs: 30 }, { codec: 'G722', ptimeMs: 20 }]; }
  async openReceive(id: number, choice: CodecChoice): Promise<MediaEndpoint> {
    this.calls.push({ op: 'openReceive', id, args: [choice] });
    if (this.failOpen) throw new Error('EADDRINUSE');
    this.open.add(id);
    return { address: '127.0.0.1', port: 40000 + (id % 10000) };
  }
  async startTransmit(id: number, remote: MediaEndpoint, choice: CodecChoice): Promise<void> {
    this.calls.push({ op: 'startTransmit', id, args: [remote, choice] });
  }
  async stopTransmit(id: number): Promise<void> { this.calls.push({ op: 'stopTransmit', id }); }
  async closeReceive(id: number): Promise<void> { this.calls.push({ op: 'closeReceive', id }); this.open.delete(id); }
  stats(id: number): MediaStats | undefined {
    return this.open.has(id) ? { packetsSent: 10, octetsSent: 1600, packetsReceived: 9, octetsReceived: 1440, packetsLost: 1, jitterMs: 2.4, latencyMs: 0 } : undefined;
  }
  activeStreams(): number[] { return [...this.open]; }
  async close(): Promise<void> { this.calls.push({ op: 'close' }); }
}
