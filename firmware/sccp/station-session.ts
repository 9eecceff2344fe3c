/**
 * One TCP session from the station to one call manager: connect (with a Clock-driven timeout),
 * frame the byte stream into PDUs, decode them, and encode outgoing messages as exactly one
 * socket.write each (docs/sccp.md §1: Asterisk reads the 12-byte header, then the body; a PDU
 * split over writes risks a short read). A framing or decode error ends the session: after a bad
 * length the stream position is unknown, so resynchronising is not possible (§6).
 */
import { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { decodeMessage, encodeMessage, encodeOutgoing, traceFields, type DecodedMessage, type OutgoingMessage } from './codec.js';
import type { FieldsOf, MessageName } from './messages.js';
import { SccpFramer } from './framer.js';
import type { TraceSink } from '../station/trace.js';

export type StationLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Logging sink for the station stack; `ctx` carries structured context (server, message, offset ...). */
export type StationLog = (level: StationLogLevel, msg: string, ctx?: Record<string, unknown>) => void;

/** A decoded PDU: discriminated by name, fields typed from the table (codec.ts). */
export type Decoded = DecodedMessage;

/** Asterisk's maximum PDU (docs/sccp.md §1: "max PDU 2000 bytes"); the framer rejects larger lengths. */
export const MAX_PDU = 2000;

export interface SessionHandlers {
  message(msg: Decoded): void;
  /** Called once when the session ends for any reason other than close() by the owner. */
  closed(reason: string): void;
}

export class StationSession {
  private readonly socket = new Socket();
  private readonly framer = new SccpFramer({ maxPdu: MAX_PDU });
  private ended = false;
  private peerClosed = false;
  private readonly closeWaiters: Array<() => void> = [];
  private connectTimer: TimerHandle | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly clock: Clock,
    private readonly log: StationLog,
    private readonly handlers: SessionHandlers,
    /** Negotiated protocol version, selects version-dependent layouts (docs/sccp.md §1). */
    private readonly version: number,
    /** `--trace`: every message sent and received (firmware/station/trace.ts). */
    private readonly trace?: TraceSink,
  ) {
    this.socket.setNoDelay(true); // one PDU per segment; keepalives must not wait for Nagle
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (e: Error) => this.end(`socket error: ${e.message}`));
    this.socket.on('close', () => {
      this.peerClosed = true;
      for (const w of this.closeWaiters.splice(0)) w();
      this.end('connection closed by peer');
    });
  }

  /** Resolves true once the socket has closed, or false after `timeoutMs` of Clock time. */
  whenClosed(timeoutMs: number): Promise<boolean> {
    if (this.peerClosed || this.socket.destroyed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => { this.clock.clearTimeout(t); resolve(true); });
    });
  }

  get server(): string { return `${this.host}:${this.port}`; }
  get isOpen(): boolean { return !this.ended; }
  /** The local address of the TCP connection (IPv4-mapped IPv6 unwrapped). */
  get localAddress(): string | undefined {
    const a = this.socket.localAddress;
    return a?.startsWith('::ffff:') ? a.slice(7) : a;
  }

  /** Resolves when connected; rejects (and ends the session) on error or after `timeoutMs` of Clock time. */
  connect(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        this.clock.clearTimeout(this.connectTimer);
        this.socket.off('connect', ok);
        reject(new Error(`connect to ${this.server}: ${why}`));
      };
      const ok = (): void => {
        this.clock.clearTimeout(this.connectTimer);
        this.socket.off('error', onErr);
        resolve();
      };
      const onErr = (e: Error): void => fail(e.message);
      this.socket.once('error', onErr);
      this.socket.once('connect', ok);
      this.connectTimer = this.clock.setTimeout(() => {
        fail(`no answer within ${timeoutMs} ms`);
        this.close();
      }, timeoutMs);
      this.socket.connect({ host: this.host, port: this.port });
    });
  }

  /** Encodes and writes one message. Returns false (and logs) when closed or the fields do not encode. */
  send<N extends MessageName>(name: N, fields?: FieldsOf<N>): boolean {
    // Header version 0 ("Basic") everywhere: what Asterisk sends and tshark decodes (docs/sccp.md §1).
    return this.transmit(name, fields ?? {}, () => encodeMessage(name, fields, { version: this.version, headerVersion: 0 }));
  }

  /** send() for a queued { name, fields } message (station-calls.ts output). */
  sendMessage(m: OutgoingMessage): boolean {
    return this.transmit(m.name, m.fields, () => encodeOutgoing(m, { version: this.version, headerVersion: 0 }));
  }

  private transmit(name: string, fields: Readonly<Record<string, unknown>>, encode: () => Buffer): boolean {
    if (this.ended) {
      this.log('debug', `SCCP ${name} not sent: session to ${this.server} is closed`, { message: name });
      return false;
    }
    let pdu: Buffer;
    try {
      pdu = encode();
    } catch (e) {
      this.log('error', `SCCP encode ${name} failed: ${(e as Error).message}`, { message: name, server: this.server });
      return false;
    }
    this.trace?.('SCCP', 'send', this.server, name, fields);
    this.socket.write(pdu);
    return true;
  }

  /** Closes the socket without calling handlers.closed. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.clock.clearTimeout(this.connectTimer);
    this.socket.end();
    this.socket.destroy();
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.close();
    this.handlers.closed(reason);
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    const msgs: Decoded[] = [];
    let failure: (Error & { streamOffset?: number; offset?: number; fieldPath?: string; messageName?: string }) | undefined;
    try {
      for (const pdu of this.framer.push(chunk)) {
        msgs.push(decodeMessage(pdu, { version: this.version, allowUnknown: true }));
      }
    } catch (e) {
      failure = e as Error; // SccpFrameError: stream offset; SccpDecodeError: message, field, offset (errors.ts)
    }
    // Deliver what decoded before the bad PDU, in order, then drop the connection.
    for (const m of msgs) {
      if (this.ended) return;
      this.trace?.('SCCP', 'recv', this.server, m.name, traceFields(m));
      try {
        this.handlers.message(m);
      } catch (e) {
        this.log('error', `SCCP handling ${m.name} failed: ${(e as Error).stack ?? e}`, { message: m.name, server: this.server });
      }
    }
    if (failure && !this.ended) {
      this.log('error', `SCCP malformed input from ${this.server}, dropping the connection: ${failure.message}`, {
        server: this.server, streamOffset: failure.streamOffset, offset: failure.offset,
        message: failure.messageName, field: failure.fieldPath,
      });
      this.end(`malformed input: ${failure.message}`);
    }
  }
}
