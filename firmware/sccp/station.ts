/**
 * The SCCP (Skinny) station client: registers with one of up to three call managers, keeps the
 * registration alive, fails over, translates CM messages into SignallingEvents and PhoneInput
 * into station messages, and drives the MediaEngine from media control messages.
 * Script: sccp-facts.md §5 (Asterisk chan_skinny registration order and session rules).
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { MediaEngine } from '../media/engine.js';
import type { RegistrationState, SignallingEvent, StationSignalling } from '../phone/signalling.js';
import { defaultIpv4, resolveDeviceName } from './device-name.js';
import { decodeLabels as decodeLabelText } from './labels.js';
import { StationCalls, type OutMsg } from './station-calls.js';
import { translateCmMessage } from './station-events.js';
import { StationMedia, capabilitiesFields } from './station-media.js';
import { PhoneFeature } from './enums.js';
import { InbandDtmf } from '../station/inband-dtmf.js';
import { StationSession, type Decoded, type StationLog } from './station-session.js';
import { StationTemplates } from './station-templates.js';
import { tcpReachable } from './primary-probe.js';

export type { StationLog } from './station-session.js';

export interface SccpServer { host: string; port: number }

export interface SccpStationOptions {
  /** "SEP" + 12 hex; default from `mac`, else from the first non-internal interface's MAC. */
  deviceName?: string;
  mac?: string;
  /** Register.deviceType (sccp-facts.md §4); default 7 = 7960: Asterisk gives it 6 line/speed-dial buttons. */
  deviceType?: number;
  /** Register.protocolVer; default 11 (< 17 keeps Asterisk on the IPv4 layouts, §1 "Recommendation"). */
  protocolVersion?: number;
  /** 1..3 call managers in failover order (CUCM groups hold up to three). */
  servers: SccpServer[];
  clock: Clock;
  media: MediaEngine;
  /** Register.stationIpAddr and the ORC ack address for wildcard binds; default: the socket's local address. */
  localAddress?: string;
  log?: StationLog;
  /** Backoff between connection attempts: initialMs, doubled per failure up to maxMs. */
  reconnect?: { initialMs: number; maxMs: number };
  /** TCP connect timeout (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Time to wait for RegisterAck/Reject after Register (default 30000 ms = Asterisk authtimeout, §5). */
  registerTimeoutMs?: number;
}

/** Register.maxStreams (sccp-facts.md §3 example "e.g. 5"). */
const MAX_STREAMS = 5;
/** Register.instance is 1 (§3). */
const REGISTER_INSTANCE = 1;
/** KeepAlive interval when RegisterAck carries 0; Asterisk's default keepalive is 120 s (§5). */
const DEFAULT_KEEPALIVE_S = 120;
/** Missed KeepAliveAcks before the CM counts as lost (brief; Asterisk drops a station after 3 × keepalive, §5). */
const MAX_MISSED_KEEPALIVES = 3;
/** Wait for the ButtonTemplate before requesting line status anyway (the CM may not answer). */
const BUTTON_TEMPLATE_WAIT_MS = 5000;
const DEFAULT_RECONNECT = { initialMs: 1000, maxMs: 32_000 };
const noLog: StationLog = () => {};

export class SccpStation implements StationSignalling {
  readonly protocol = 'sccp' as const;
  readonly deviceName: string;
  private readonly opts: SccpStationOptions;
  private readonly log: StationLog;
  private readonly listeners = new Set<(ev: SignallingEvent) => void>();
  private readonly templates = new StationTemplates();
  private readonly calls = new StationCalls(() => this.templates.lines[0] ?? 1);
  private readonly media: StationMedia;
  private readonly dtmf: InbandDtmf;
  private session: StationSession | undefined;
  private st: RegistrationState = 'unregistered';
  private running = false;
  private serverIndex = 0;
  private failures = 0;
  private missedAcks = 0;
  private statusRequested = false;
  private probing = false;
  private retryTimer: TimerHandle | undefined;
  private registerTimer: TimerHandle | undefined;
  private keepAliveTimer: TimerHandle | undefined;
  private buttonWaitTimer: TimerHandle | undefined;

  constructor(opts: SccpStationOptions) {
    if (!Array.isArray(opts.servers) || opts.servers.length < 1 || opts.servers.length > 3) {
      throw new Error(`SccpStation: servers must list 1..3 call managers, got ${opts.servers?.length ?? 'none'}`);
    }
    for (const [i, s] of opts.servers.entries()) {
      if (!s.host || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
        throw new Error(`SccpStation: servers[${i}] ${JSON.stringify(s)} needs a host and a TCP port 1..65535 (Asterisk: 2000)`);
      }
    }
    this.opts = opts;
    this.log = opts.log ?? noLog;
    this.deviceName = resolveDeviceName(opts);
    this.dtmf = new InbandDtmf(opts.media, (level, msg) => this.log(level, `SCCP ${msg}`));
    this.media = new StationMedia(opts.media, this.log, this.dtmf);
  }

  get state(): RegistrationState { return this.st; }
  /** "host:port" of the CM currently connected or being tried. */
  get server(): string { const s = this.opts.servers[this.serverIndex]!; return `${s.host}:${s.port}`; }

  onEvent(cb: (ev: SignallingEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearTimers();
    this.clock.clearTimeout(this.retryTimer);
    const s = this.session;
    this.session = undefined;
    if (s?.isOpen && this.st === 'registered') s.send('Unregister', {}); // Asterisk just closes the session (§5)
    s?.close();
    this.setState('unregistered', 'stopped');
  }

  // ---- PhoneInput ----
  offHook(line?: number): void { this.input(this.calls.offHook(line)); }
  onHook(): void { this.input(this.calls.onHook()); this.media.hangUp(); }
  /** KeypadButton as always; in a connected call also an RFC 4733 telephone-event on the call's RTP stream. */
  keypad(key: string): void {
    this.input(this.calls.keypad(key));
    this.dtmf.key(key, this.calls.currentCallRef, this.calls.currentState);
  }
  dial(number: string): void { this.input(this.calls.dial(number)); }
  softkey(slot: number): void { this.input(this.calls.softkey(slot)); }
  lineButton(line: number): void { this.input(this.calls.lineButton(line)); }
  speedDial(index: number): void { this.input(this.calls.speedDial(index)); }
  hookFlash(): void { this.input(this.calls.hookFlash()); }
  headset(on: boolean): void { this.input(this.calls.headset(on)); }

  private input(m: OutMsg | Error): void {
    if (m instanceof Error) { this.log('warn', `SCCP input ignored: ${m.message}`); return; }
    if (this.st !== 'registered' || !this.session) {
      this.log('warn', `SCCP ${m.name} not sent: station is ${this.st}`, { message: m.name });
      return;
    }
    this.session.send(m.name, m.fields);
  }

  // ---- connection lifecycle ----
  private get clock(): Clock { return this.opts.clock; }

  private emit(ev: SignallingEvent): void {
    for (const cb of [...this.listeners]) {
      try { cb(ev); } catch (e) { this.log('error', `SignallingEvent listener threw on ${ev.type}: ${(e as Error).message}`); }
    }
  }

  private setState(state: RegistrationState, reason?: string): void {
    this.st = state;
    this.emit({ type: 'registration', state, server: this.server, ...(reason !== undefined ? { reason } : {}) });
  }

  private clearTimers(): void {
    this.clock.clearTimeout(this.registerTimer);
    this.clock.clearInterval(this.keepAliveTimer);
    this.clock.clearTimeout(this.buttonWaitTimer);
    this.registerTimer = this.keepAliveTimer = this.buttonWaitTimer = undefined;
  }

  private connect(): void {
    if (!this.running) return;
    const { host, port } = this.opts.servers[this.serverIndex]!;
    const session = new StationSession(host, port, this.clock, this.log, {
      message: (m) => { if (this.session === session) this.onMessage(m); },
      closed: (reason) => { if (this.session === session) this.drop('lost', reason); },
    }, this.opts.protocolVersion ?? 11);
    this.session = session;
    this.setState('registering');
    session.connect(this.opts.connectTimeoutMs ?? 5000).then(() => {
      if (this.session !== session) return;
      this.templates.reset();
      this.calls.reset();
      this.statusRequested = false;
      this.sendRegister(session);
      this.registerTimer = this.clock.setTimeout(() => {
        this.drop('lost', `no RegisterAck within ${this.opts.registerTimeoutMs ?? 30_000} ms`);
      }, this.opts.registerTimeoutMs ?? 30_000);
    }, (e: Error) => {
      if (this.session === session) this.drop('lost', e.message);
    });
  }

  /** Ends the current session and schedules the next attempt: next CM (round robin), exponential backoff. */
  private drop(state: 'lost' | 'rejected', reason: string, opts: { sameServer?: boolean; delayMs?: number } = {}): void {
    this.clearTimers();
    const s = this.session;
    this.session = undefined;
    s?.close();
    if (!this.running) return;
    this.log(state === 'lost' ? 'warn' : 'error', `SCCP ${state} (${this.server}): ${reason}`, { server: this.server });
    this.setState(state, reason);
    const r = this.opts.reconnect ?? DEFAULT_RECONNECT;
    const delay = opts.delayMs ?? Math.min(r.maxMs, r.initialMs * 2 ** this.failures);
    if (opts.delayMs === undefined) this.failures++;
    if (!opts.sameServer) this.serverIndex = (this.serverIndex + 1) % this.opts.servers.length;
    this.clock.clearTimeout(this.retryTimer);
    if (delay === 0) this.connect();
    else this.retryTimer = this.clock.setTimeout(() => this.connect(), delay);
  }

  private sendRegister(s: StationSession): void {
    const ip = this.opts.localAddress ?? s.localAddress ?? defaultIpv4() ?? '0.0.0.0';
    // Register ≥ 52 body bytes so tshark shows protocolVer (sccp-facts.md §3); the codec writes the first tail segment.
    s.send('Register', {
      deviceName: this.deviceName, userId: 0, instance: REGISTER_INSTANCE,
      stationIpAddr: /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? ip : '0.0.0.0',
      deviceType: this.opts.deviceType ?? 7, maxStreams: MAX_STREAMS,
      activeStreams: this.opts.media.activeStreams().length, protocolVer: this.opts.protocolVersion ?? 11,
      // phoneFeatures 0x0200: RFC 2833 DTMF in RTP (sccp-facts.md §3 Register), sent by InbandDtmf.
      unknown: 0, phoneFeatures: this.opts.media.sendDtmf ? PhoneFeature.Rfc2833 : 0, maxConferences: 0, activeConferences: 0,
    });
  }

  private onRegisterAck(s: StationSession, f: Record<string, unknown>): void {
    this.clock.clearTimeout(this.registerTimer);
    this.failures = 0;
    this.missedAcks = 0;
    this.setState('registered');
    // maxProtocolVer is ignored: Asterisk writes '0' (48) there (sccp-facts.md §3).
    const interval = typeof f.keepAliveInterval === 'number' && f.keepAliveInterval > 0 ? f.keepAliveInterval : DEFAULT_KEEPALIVE_S;
    this.keepAliveTimer = this.clock.setInterval(() => this.keepAliveTick(s), interval * 1000);
    // Station-driven part of registration, in the order of the client in the Asterisk peer log (§5).
    s.send('IpPort', { rtpMediaPort: 0 }); // RTP ports are per stream (OpenReceiveChannelAck); Asterisk ignores IpPort
    s.send('CapabilitiesRes', capabilitiesFields(this.opts.media));
    s.send('ButtonTemplateReq');
    s.send('SoftKeyTemplateReq');
    s.send('SoftKeySetReq');
    this.buttonWaitTimer = this.clock.setTimeout(() => {
      this.log('warn', `SCCP no ButtonTemplate from ${s.server} within ${BUTTON_TEMPLATE_WAIT_MS} ms; assuming line 1`);
      this.requestStatus(s);
    }, BUTTON_TEMPLATE_WAIT_MS);
  }

  /** LineStatReq per line, SpeedDialStatReq per speed dial, ForwardStatReq (never awaited), lines, time. */
  private requestStatus(s: StationSession): void {
    if (this.statusRequested) return;
    this.statusRequested = true;
    this.clock.clearTimeout(this.buttonWaitTimer);
    const lines = this.templates.lines.length > 0 ? this.templates.lines : [1];
    for (const l of lines) s.send('LineStatReq', { lineNumber: l });
    for (const n of this.templates.speedDials) s.send('SpeedDialStatReq', { speedDialNumber: n });
    for (const l of lines) s.send('ForwardStatReq', { lineNumber: l }); // Asterisk never answers (§5)
    s.send('RegisterAvailableLines', { maxNumOfAvailLines: lines.length });
    s.send('TimeDateReq');
  }

  private keepAliveTick(s: StationSession): void {
    if (this.missedAcks >= MAX_MISSED_KEEPALIVES) {
      this.drop('lost', `${MAX_MISSED_KEEPALIVES} KeepAliveAcks missed`);
      return;
    }
    this.missedAcks++;
    s.send('KeepAlive');
    if (this.serverIndex !== 0) void this.probePrimary(s);
  }

  /** On a backup CM: back to the primary once it answers and the phone is idle (primary-probe.ts). */
  private async probePrimary(s: StationSession): Promise<void> {
    const idle = (): boolean => this.opts.media.activeStreams().length === 0 &&
      ['idle', 'onhook', undefined].includes(this.calls.currentState);
    if (this.probing || !idle()) return;
    this.probing = true;
    const { host, port } = this.opts.servers[0]!;
    const back = await tcpReachable(host, port, this.opts.connectTimeoutMs ?? 5000);
    this.probing = false;
    if (!back || this.session !== s || this.st !== 'registered' || !idle()) return;
    this.log('info', `SCCP primary CM ${host}:${port} is back and the phone is idle: registering there again`, { server: this.server });
    s.send('Unregister', {});
    this.serverIndex = 0;
    this.drop('lost', 'returning to the primary CM', { sameServer: true, delayMs: 0 });
  }

  private emitSoftkeys(): void {
    const sel = this.calls.softkeys;
    if (!sel || !this.templates.haveSoftKeys) return;
    sel.keys = this.templates.resolve(sel.setIndex, sel.mask);
    this.emit({ type: 'softkeys', line: sel.line, callRef: sel.callRef, keys: sel.keys });
  }

  private onMessage(m: Decoded): void {
    const s = this.session!;
    const f = m.fields;
    const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
    switch (m.name) {
      case 'RegisterAck': if (this.st !== 'registered') this.onRegisterAck(s, f); return;
      case 'RegisterReject':
        this.drop('rejected', typeof f.text === 'string' && f.text ? f.text : 'RegisterReject without text');
        return;
      case 'KeepAliveAck': this.missedAcks = 0; return;
      case 'CapabilitiesReq': s.send('CapabilitiesRes', capabilitiesFields(this.opts.media)); return;
      case 'Reset':
        // resetType 1 reset, 2 restart, 3 apply config (§3): all mean re-register here; media is kept.
        this.drop('lost', `Reset (resetType ${n(f.resetType)}) from the CM`, { sameServer: true, delayMs: 0 });
        return;
      case 'ButtonTemplate':
        this.templates.applyButtonTemplate(f);
        if (this.templates.buttonsComplete && this.st === 'registered') this.requestStatus(s);
        return;
      case 'SoftKeyTemplateRes': this.templates.applySoftKeyTemplate(f, decodeLabelText); this.emitSoftkeys(); return;
      case 'SoftKeySetRes': this.templates.applySoftKeySets(f); this.emitSoftkeys(); return;
      case 'SelectSoftKeys':
        this.calls.softkeys = { line: n(f.lineInstance), callRef: n(f.callReference), setIndex: n(f.softKeySetIndex),
          mask: n(f.validKeyMask), keys: [] };
        this.emitSoftkeys();
        return;
      case 'Unknown':
        this.log('debug', `SCCP unknown message id 0x${m.id.toString(16)} ignored`, { id: m.id });
        return;
    }
    const local = this.opts.localAddress ?? s.localAddress ?? '0.0.0.0';
    if (this.media.handle(m.name, f, (name, fields) => { if (s.isOpen) s.send(name, fields); }, local)) return;
    const ev = translateCmMessage(m.name, f, decodeLabelText);
    if (ev instanceof Error) { this.log('warn', `SCCP ${m.name} ignored: ${ev.message}`, { message: m.name }); return; }
    if (!ev) { this.log('debug', `SCCP ${m.name} not handled`, { message: m.name }); return; }
    if (ev.type === 'callState') this.calls.callState(ev.line, ev.callRef, ev.state);
    if (ev.type === 'callPlane' && ev.active) this.calls.activateCallPlane(ev.line);
    this.emit(ev);
  }
}
