/**
 * The SSCP (AddPac XML over UDP) station client, the SSCP twin of firmware/sccp/station.ts:
 * registers with one of up to three call managers over the reliable datagram layer
 * (transport.ts), keeps the registration alive, fails over, translates CM messages into
 * SignallingEvents and PhoneInput into phone→CM messages, and drives the MediaEngine.
 * State machine and flows: docs/sscp.md §5. Datagrams from anyone but the CM being registered
 * with are dropped by the endpoint (peer filter) and logged here.
 */
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, isIPv6 } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { MediaEngine } from '../media/engine.js';
import type { RegistrationState, SignallingEvent, StationSignalling } from '../phone/signalling.js';
import { defaultIpv4, resolveDeviceName } from '../sccp/device-name.js';
import type { SscpDecoded } from './codec.js';
import { callRefOf, translateSscp, type LayoutState } from './station-events.js';
import { SscpStationInput, type SscpOut } from './station-input.js';
import { SscpStationMedia, type SscpLog } from './station-media.js';
import { InbandDtmf } from '../station/inband-dtmf.js';
import { SscpEndpoint, type SscpEndpointOptions, type SscpPeer } from './transport.js';
import { registerDigest } from './auth.js';

export type { SscpLog } from './station-media.js';
export interface SscpServer { host: string; port: number }

export interface SscpStationOptions {
  /** "SEP" + 12 hex (the envelope's `device`); default from `mac`, else the host's first MAC. */
  deviceName?: string;
  mac?: string;
  /** Register <Device model firmware lines> (docs/sscp.md §2, message 1). */
  model?: string;
  firmware?: string;
  lines?: number;
  /** Register <Display>: when `softkeys` is given the CM pages function keys to fit (§5 "Layout"). */
  display?: { cols: number; rows: number; softkeys: number };
  /** 1..3 call managers in failover order. */
  servers: SscpServer[];
  clock: Clock;
  media: MediaEngine;
  /** Address put into MediaOpenAck when RTP is bound to a wildcard; default: the route to the CM. */
  localAddress?: string;
  log?: SscpLog;
  /** Backoff after a lost registration: initialMs doubled per failure up to maxMs (§5: 1, 2, 4 … 60 s). */
  reconnect?: { initialMs: number; maxMs: number };
  /** Wait after a RegisterReject before trying again (§5: 30 s). */
  rejectRetryMs?: number;
  /** Wait for RegisterAck once the Register itself was acknowledged (default 10 s). */
  registerTimeoutMs?: number;
  /** Reliable-transport tuning (§4 defaults: RTO 0.5 s doubling to 4 s, 5 retransmissions). */
  transport?: Pick<SscpEndpointOptions, 'retries' | 'initialRtoMs' | 'maxRtoMs' | 'jitter' | 'random'>;
  /** Shared secret configured for this device at the CM: Register then carries its digest (docs/security.md §4). */
  secret?: string;
}

const DEFAULT_RECONNECT = { initialMs: 1000, maxMs: 60_000 };
const REJECT_RETRY_MS = 30_000;
const REGISTER_TIMEOUT_MS = 10_000;
/** Codecs we name in Register <Capabilities codecs> (docs/sscp.md §2: "PCMU PCMA G722"). */
const SSCP_CODECS = new Set(['PCMU', 'PCMA', 'G722']);
const noLog: SscpLog = () => {};

export class SscpStation implements StationSignalling {
  readonly protocol = 'sscp' as const;
  readonly deviceName: string;
  private readonly opts: SscpStationOptions;
  private readonly log: SscpLog;
  private readonly listeners = new Set<(ev: SignallingEvent) => void>();
  private readonly input = new SscpStationInput();
  private readonly media: SscpStationMedia;
  private readonly dtmf: InbandDtmf;
  private endpoint: SscpEndpoint | undefined;
  private peer: SscpPeer | undefined;
  private localIp = '';
  private st: RegistrationState = 'unregistered';
  private running = false;
  private serverIndex = 0;
  private failures = 0;
  private attempt = 0;
  private retryTimer: TimerHandle | undefined;
  private registerTimer: TimerHandle | undefined;
  private stopKeepalive: (() => void) | undefined;
  /** The OSD layout last announced by the CM (message 124). */
  layout: LayoutState = { view: 'Local', page: 1, pages: 1, line: 0, callRef: 0 };

  constructor(opts: SscpStationOptions) {
    if (!Array.isArray(opts.servers) || opts.servers.length < 1 || opts.servers.length > 3) {
      throw new Error(`SscpStation: servers must list 1..3 call managers, got ${opts.servers?.length ?? 'none'}`);
    }
    for (const [i, s] of opts.servers.entries()) {
      if (!s.host || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
        throw new Error(`SscpStation: servers[${i}] ${JSON.stringify(s)} needs a host and a UDP port 1..65535 (docs/sscp.md: 5070)`);
      }
    }
    this.opts = opts;
    this.log = opts.log ?? noLog;
    this.deviceName = resolveDeviceName(opts);
    this.dtmf = new InbandDtmf(opts.media, (level, msg) => this.log(level, `SSCP ${msg}`));
    this.media = new SscpStationMedia(opts.media, this.log, this.dtmf);
  }

  get state(): RegistrationState { return this.st; }
  /** "host:port" of the CM registered with or being tried. */
  get server(): string { const s = this.opts.servers[this.serverIndex]!; return isIPv6(s.host) ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`; }
  /** Transport counters of the current registration (drops from strangers, retransmits ...). */
  get stats(): SscpEndpoint['stats'] | undefined { return this.endpoint?.stats; }

  onEvent(cb: (ev: SignallingEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clock.clearTimeout(this.retryTimer);
    const ep = this.endpoint;
    if (ep && this.st === 'registered') {
      // Best effort, unreliable: stop() must not wait out retransmissions (docs/sscp.md §2, message 2).
      try { ep.sendUnreliable({ name: 'Unregister', fields: { reason: 'stopped' } }); } catch { /* closing anyway */ }
    }
    await this.closeEndpoint();
    this.setState('unregistered', 'stopped');
  }

  // ---- PhoneInput ----
  offHook(line?: number): void { this.send(this.input.offHook(line)); }
  onHook(): void { this.send(this.input.onHook()); this.media.hangUp(); }
  /** Digit as always; in a connected call also an RFC 4733 telephone-event on the call's RTP stream. */
  keypad(key: string): void {
    this.send(this.input.keypad(key));
    this.dtmf.key(key, this.input.currentCallRef, this.input.currentState);
  }
  dial(number: string): void { this.send(this.input.dial(number)); }
  softkey(slot: number): void { this.send(this.input.softkey(slot)); }
  lineButton(line: number): void { this.send(this.input.lineButton(line)); }
  speedDial(index: number): void { this.send(this.input.speedDial(index)); }
  hookFlash(): void { this.send(this.input.hookFlash()); }
  headset(on: boolean): void { this.send(this.input.headset(on)); }

  /** "Display another function key" (§5 "Layout"): asks the CM for the next page of function keys. */
  nextFunctionKeyPage(): void {
    const page = this.layout.page >= this.layout.pages ? 1 : this.layout.page + 1;
    this.send({ name: 'FunctionKeyPage', fields: { page } });
  }

  private send(m: SscpOut | Error): void {
    if (m instanceof Error) { this.log('warn', `SSCP input ignored: ${m.message}`); return; }
    if (this.st !== 'registered' || !this.endpoint) {
      this.log('warn', `SSCP ${m.name} not sent: station is ${this.st}`, { message: m.name });
      return;
    }
    this.endpoint.send({ name: m.name, fields: m.fields }).catch((e: Error) =>
      this.log('warn', `SSCP ${m.name} to ${this.server} failed: ${e.message}`, { message: m.name }));
  }

  // ---- registration lifecycle ----
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

  private async closeEndpoint(): Promise<void> {
    this.clock.clearTimeout(this.registerTimer);
    this.stopKeepalive?.();
    this.stopKeepalive = undefined;
    const ep = this.endpoint;
    this.endpoint = undefined;
    this.peer = undefined;
    await ep?.close();
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const attempt = ++this.attempt;
    const { host, port } = this.opts.servers[this.serverIndex]!;
    this.setState('registering');
    let address: string;
    try {
      address = isIP(host) ? host : (await lookup(host)).address;
    } catch (e) {
      return this.drop('lost', `cannot resolve ${host}: ${(e as Error).message}`);
    }
    if (attempt !== this.attempt || !this.running) return;
    const peer = { address, port };
    this.localIp = this.opts.localAddress ?? await routeTo(peer) ?? defaultIpv4() ?? '127.0.0.1';
    if (attempt !== this.attempt || !this.running) return;
    const ep = new SscpEndpoint({
      clock: this.clock, bind: { address: isIPv6(address) ? '::' : '0.0.0.0' }, peer, device: this.deviceName,
      ...this.opts.transport,
      onMessage: (m) => { if (this.endpoint === ep) this.onMessage(m); },
      onDrop: (reason, from, err) => {
        const who = from.address ? `${from.address}:${from.port}` : 'socket';
        this.log(reason === 'duplicate' ? 'debug' : 'warn', `SSCP datagram from ${who} dropped (${reason})${err ? `: ${err.message}` : ''}`,
          { reason, from: who });
        // The CM's transport session changed (it gave up on us and started afresh): register again over a
        // fresh socket rather than accept a new session on this one (docs/security.md §5).
        if (reason === 'unknownSession' && this.endpoint === ep && this.st === 'registered') {
          this.drop('lost', 'the CM started a new SSCP session', { sameServer: true, delayMs: 0 });
        }
      },
    });
    try {
      await ep.start();
    } catch (e) {
      await ep.close();
      return this.drop('lost', `cannot open a UDP socket: ${(e as Error).message}`);
    }
    if (attempt !== this.attempt || !this.running) { await ep.close(); return; }
    this.endpoint = ep;
    this.peer = peer;
    const sid = ep.sessionId();
    const auth: Record<string, string> = this.opts.secret && sid ? { authDigest: registerDigest(this.opts.secret, this.deviceName, sid) } : {};
    ep.send({ name: 'Register', fields: { ...this.registerFields(), ...auth } }).then(() => {
      if (this.endpoint !== ep || this.st === 'registered') return;
      const ms = this.opts.registerTimeoutMs ?? REGISTER_TIMEOUT_MS;
      this.registerTimer = this.clock.setTimeout(() => {
        if (this.endpoint === ep) this.drop('lost', `Register acknowledged but no RegisterAck within ${ms} ms`);
      }, ms);
    }, (e: Error) => { if (this.endpoint === ep) this.drop('lost', e.message); });
  }

  private registerFields(): Record<string, string | number | boolean> {
    const codecs = this.opts.media.capabilities().map((c) => c.codec.toUpperCase()).filter((c) => SSCP_CODECS.has(c));
    const d = this.opts.display;
    return {
      model: this.opts.model ?? 'deskphone', firmware: this.opts.firmware ?? 'deskphone-1', lines: this.opts.lines ?? 1,
      ...(d ? { cols: d.cols, rows: d.rows, softkeySlots: d.softkeys } : {}),
      codecs: [...new Set(codecs)].join(' ') || 'PCMU', ipv6: true,
    };
  }

  /** Ends the registration and schedules the next attempt (next CM unless `sameServer`); media is not touched. */
  private drop(state: 'lost' | 'rejected', reason: string, o: { sameServer?: boolean; delayMs?: number } = {}): void {
    void this.closeEndpoint();
    if (!this.running) return;
    this.log(state === 'lost' ? 'warn' : 'error', `SSCP ${state} (${this.server}): ${reason}`, { server: this.server });
    this.setState(state, reason);
    const r = this.opts.reconnect ?? DEFAULT_RECONNECT;
    const delay = o.delayMs ?? Math.min(r.maxMs, r.initialMs * 2 ** this.failures);
    if (o.delayMs === undefined) this.failures++;
    if (!o.sameServer) this.serverIndex = (this.serverIndex + 1) % this.opts.servers.length;
    this.clock.clearTimeout(this.retryTimer);
    this.attempt++;
    this.retryTimer = this.clock.setTimeout(() => { void this.connect(); }, delay);
  }

  private onRegisterAck(ep: SscpEndpoint, m: SscpDecoded): void {
    this.clock.clearTimeout(this.registerTimer);
    this.failures = 0;
    const interval = typeof m.fields.keepAliveS === 'number' && m.fields.keepAliveS > 0 ? m.fields.keepAliveS : 30;
    this.setState('registered', typeof m.fields.server === 'string' ? m.fields.server : undefined);
    if (typeof m.fields.epochS === 'number' && m.fields.epochS > 0) this.emit({ type: 'timeDate', date: new Date(m.fields.epochS * 1000) });
    this.stopKeepalive = ep.startKeepalive({
      intervalMs: interval * 1000, message: () => ({ name: 'KeepAlive', fields: {} }),
      onLost: (e) => { if (this.endpoint === ep) this.drop('lost', `keepalive not acknowledged: ${e.message}`); },
    });
  }

  private onMessage(m: SscpDecoded): void {
    const ep = this.endpoint!;
    if (m.device !== undefined && m.device.toUpperCase() !== this.deviceName) {
      this.log('warn', `SSCP ${m.name} addressed to ${m.device}, not ${this.deviceName}: ignored`, { message: m.name });
      return;
    }
    switch (m.name) {
      case 'RegisterAck': if (this.st !== 'registered') this.onRegisterAck(ep, m); return;
      case 'RegisterReject':
        this.drop('rejected', String(m.fields.reason || 'RegisterReject without reason'),
          { delayMs: this.opts.rejectRetryMs ?? REJECT_RETRY_MS });
        return;
      case 'KeepAliveAck': return;
      case 'Reset':
        // ReRegister and Restart both mean: register again with the same CM now; media is kept.
        this.drop('lost', `Reset (${String(m.fields.reason)}) from the CM`, { sameServer: true, delayMs: 0 });
        return;
      case 'PhoneBookResult':
        this.log('debug', `SSCP PhoneBookResult with ${Array.isArray(m.fields.users) ? m.fields.users.length : 0} entries`);
        return;
    }
    if (this.st !== 'registered') {
      this.log('debug', `SSCP ${m.name} before RegisterAck processed anyway`, { message: m.name });
    }
    if (this.media.handle(m.name, m.fields, (name, fields) => {
      if (this.endpoint === ep) ep.send({ name, fields }).catch((e: Error) => this.log('warn', `SSCP ${name} failed: ${e.message}`));
    }, () => this.localIp)) return;
    if (m.name === 'Layout') {
      const f = m.fields;
      this.layout = { view: f.view === 'Conversation' ? 'Conversation' : 'Local', page: Number(f.page ?? 1) || 1,
        pages: Number(f.pages ?? 1) || 1, line: Number(f.line ?? 0), callRef: callRefOf(f.callId) };
    }
    const evs = translateSscp(m.name, m.fields);
    if (evs instanceof Error) { this.log('warn', `SSCP ${m.name} ignored: ${evs.message}`, { message: m.name }); return; }
    if (evs.length === 0 && m.name !== 'Layout') this.log('debug', `SSCP ${m.name} not handled`, { message: m.name });
    for (const ev of evs) {
      if (ev.type === 'callState') this.input.callState(ev.line, ev.callRef, ev.state);
      if (ev.type === 'callPlane' && ev.active) this.input.callPlane(ev.line);
      if (ev.type === 'softkeys') this.input.softkeys = { line: ev.line, callRef: ev.callRef, keys: ev.keys };
      this.emit(ev);
    }
  }
}

/** The local address the OS would use to reach `peer` (a connected UDP socket sends nothing). */
async function routeTo(peer: SscpPeer): Promise<string | undefined> {
  const s = createSocket(isIPv6(peer.address) ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.connect(peer.port, peer.address, () => resolve());
    });
    return s.address().address;
  } catch {
    return undefined;
  } finally {
    s.close();
  }
}
