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
import type { Clock } from '../../hal/api/clock.js';
import type { MediaEngine } from '../media/engine.js';
import { defaultIpv4, resolveDeviceName } from '../station/device-name.js';
import { StationFacade } from '../station/facade.js';
import { RegistrationEngine, checkServers, type CmServer } from '../station/registration.js';
import { typedSscp, type SscpDecoded, type SscpReceived } from './codec.js';
import { SSCP_DEFAULT_CODEC, sscpCodecOf } from './codecs.js';
import type { SscpFieldsOf } from './messages.js';
import { callRefOf, translateSscp, type LayoutState } from './station-events.js';
import { SscpStationInput, type SscpOut } from './station-input.js';
import { SscpStationMedia, type SscpLog } from './station-media.js';
import { InbandDtmf } from '../station/inband-dtmf.js';
import { SscpEndpoint, type SscpEndpointOptions, type SscpPeer } from './transport.js';
import { registerDigest } from './auth.js';
import { sscpReachable } from './primary-probe.js';
import { SscpDirectory } from './station-directory.js';
import type { DirectoryEntry } from '../station/signalling.js';

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
  /** Wait for the PhoneBookResult of a directory search (default 3 s, station-directory.ts). */
  phoneBookTimeoutMs?: number;
  /** Reliable-transport tuning (§4 defaults: RTO 0.5 s doubling to 4 s, 5 retransmissions). */
  transport?: Pick<SscpEndpointOptions, 'retries' | 'initialRtoMs' | 'maxRtoMs' | 'jitter' | 'random' | 'trace'>;
  /** Shared secret configured for this device at the CM: Register then carries its digest (docs/security.md §4). */
  secret?: string;
}

const DEFAULT_RECONNECT = { initialMs: 1000, maxMs: 60_000 };
const REJECT_RETRY_MS = 30_000;
const REGISTER_TIMEOUT_MS = 10_000;
/** Longest wait for the primary's answer to a probe (a LAN answers in milliseconds). */
const PROBE_TIMEOUT_MS = 2000;
const noLog: SscpLog = () => {};

/** SSCP over reliable UDP on the shared registration engine: open/register/send/close and the message mapping. */
export class SscpStation extends StationFacade<SscpOut> {
  readonly protocol = 'sscp' as const;
  readonly deviceName: string;
  private readonly opts: SscpStationOptions;
  protected readonly log: SscpLog;
  protected readonly mapper = new SscpStationInput();
  private readonly media: SscpStationMedia;
  protected readonly dtmf: InbandDtmf;
  protected readonly reg: RegistrationEngine;
  private endpoint: SscpEndpoint | undefined;
  private peer: SscpPeer | undefined;
  private localIp = '';
  private probing = false;
  /** The OSD layout last announced by the CM (message 124). */
  layout: LayoutState = { view: 'Local', page: 1, pages: 1, line: 0, callRef: 0 };
  /** Function-key page of each call a Layout named (dropped when the call clears). */
  private readonly callPages = new Map<number, { page: number; pages: number }>();
  /** Directory search: 14 PhoneBook → 125 PhoneBookResult, one at a time (station-directory.ts). */
  private readonly directory: SscpDirectory;
  /** Function-key page of the set that names no call (the idle set). */
  private idlePage = { page: 1, pages: 1 };

  constructor(opts: SscpStationOptions) {
    super();
    checkServers(opts.servers, 'SscpStation', 'UDP', 'docs/sscp.md: 5070');
    this.opts = opts;
    this.log = opts.log ?? noLog;
    this.deviceName = resolveDeviceName(opts);
    this.dtmf = new InbandDtmf(opts.media, (level, msg) => this.log(level, `SSCP ${msg}`));
    this.media = new SscpStationMedia(opts.media, this.log, this.dtmf);
    this.reg = new RegistrationEngine({
      protocol: 'SSCP', servers: opts.servers, clock: opts.clock, log: this.log,
      reconnect: opts.reconnect ?? DEFAULT_RECONNECT,
      formatServer: (s) => (isIPv6(s.host) ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`),
    }, { open: (server, attempt) => { void this.open(server, attempt); }, close: (o) => this.close(o.unregister) });
    this.directory = new SscpDirectory(opts.clock, (q) => {
      if (this.reg.state !== 'registered' || !this.connected) return new Error('Not registered');
      this.deliver({ name: 'PhoneBook', fields: q });
      return undefined;
    }, this.log, opts.phoneBookTimeoutMs);
  }

  /** StationSignalling.searchDirectory over 14 PhoneBook / 125 PhoneBookResult (docs/sscp.md §5 "Directory"). */
  searchDirectory(name: string): Promise<DirectoryEntry[]> { return this.directory.search(name); }

  /** Transport counters of the current registration (drops from strangers, retransmits ...). */
  get stats(): SscpEndpoint['stats'] | undefined { return this.endpoint?.stats; }

  /** The user hung up: media stops locally whatever the CM says (docs/security.md). */
  protected override hungUp(): void { this.media.hangUp(); }

  /**
   * "Display another function key" (§5 "Layout"): asks the CM for the next page of the function keys
   * shown now — with several calls the selected call's, named by Line + CallIdentifier (our
   * several-calls extension, docs/sscp.md §5), its page taken from that call's last Layout.
   */
  nextFunctionKeyPage(): void {
    const shown = this.mapper.softkeys;
    const ref = shown?.callRef ?? 0;
    const at = this.pageOf(ref);
    const page = at.page >= at.pages ? 1 : at.page + 1;
    const where = ref > 0 ? { ...(shown!.line > 0 ? { line: shown!.line } : {}), callId: String(ref) } : {};
    this.send({ name: 'FunctionKeyPage', fields: { page, ...where } });
  }

  /** PhoneInput: "more" on a set the CM pages (docs/sscp.md §5 "Layout"): 16 FunctionKeyPage. */
  nextSoftkeyPage(): void { this.nextFunctionKeyPage(); }

  private pageOf(callRef: number): { page: number; pages: number } {
    return callRef > 0 ? this.callPages.get(callRef) ?? { page: 1, pages: 1 } : this.idlePage;
  }

  /** The `paged` of a 'softkeys' event for call `callRef`: set when the CM announced several pages of its set. */
  private pagedOf(callRef: number): { page: number; pages: number } | undefined {
    const p = this.pageOf(callRef);
    return p.pages > 1 ? { page: p.page, pages: p.pages } : undefined;
  }

  protected get connected(): boolean { return this.endpoint !== undefined; }
  /** Announces the SoftKeySet shown now (after a call was selected or cleared, or its page changed). */
  protected softkeysChanged(): void {
    const k = this.mapper.softkeys;
    const paged = this.pagedOf(k?.callRef ?? 0);
    this.reg.emit({ type: 'softkeys', line: k?.line ?? 0, callRef: k?.callRef ?? 0, keys: k ? k.keys.slice() : [],
      ...(paged ? { paged } : {}) });
  }
  protected deliver(m: SscpOut): void {
    this.endpoint!.send({ name: m.name, fields: m.fields }).catch((e: Error) =>
      this.log('warn', `SSCP ${m.name} to ${this.server} failed: ${e.message}`, { message: m.name }));
  }

  // ---- registration lifecycle ----
  private get clock(): Clock { return this.opts.clock; }

  private async close(unregister: boolean): Promise<void> {
    const ep = this.endpoint;
    this.directory.cancel('Connection to the CM lost');
    if (ep && unregister) {
      // Best effort, unreliable: stop() must not wait out retransmissions (docs/sscp.md §2, message 2).
      try { await ep.sendUnreliable({ name: 'Unregister', fields: { reason: 'stopped' } }); } catch { /* closing anyway */ }
    }
    this.endpoint = undefined;
    this.peer = undefined;
    await ep?.close();
  }

  private async open({ host, port }: CmServer, attempt: number): Promise<void> {
    let address: string;
    try {
      address = isIP(host) ? host : (await lookup(host)).address;
    } catch (e) {
      return this.reg.drop('lost', `cannot resolve ${host}: ${(e as Error).message}`);
    }
    if (!this.reg.isCurrent(attempt)) return;
    const peer = { address, port };
    this.localIp = this.opts.localAddress ?? await routeTo(peer) ?? defaultIpv4() ?? '127.0.0.1';
    if (!this.reg.isCurrent(attempt)) return;
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
        if (reason === 'unknownSession' && this.endpoint === ep && this.reg.state === 'registered') {
          this.reg.drop('lost', 'the CM started a new SSCP session', { sameServer: true, delayMs: 0 });
        }
      },
    });
    try {
      await ep.start();
    } catch (e) {
      await ep.close();
      return this.reg.drop('lost', `cannot open a UDP socket: ${(e as Error).message}`);
    }
    if (!this.reg.isCurrent(attempt)) { await ep.close(); return; }
    this.endpoint = ep;
    this.peer = peer;
    const sid = ep.sessionId();
    const auth = this.opts.secret && sid ? { authDigest: registerDigest(this.opts.secret, this.deviceName, sid) } : {};
    const register: SscpOut = { name: 'Register', fields: { ...this.registerFields(), ...auth } };
    ep.send(register).then(() => {
      if (this.endpoint !== ep || this.state === 'registered') return;
      const ms = this.opts.registerTimeoutMs ?? REGISTER_TIMEOUT_MS;
      this.reg.armRegisterTimeout(ms, `Register acknowledged but no RegisterAck within ${ms} ms`);
    }, (e: Error) => { if (this.endpoint === ep) this.reg.drop('lost', e.message); });
  }

  private registerFields(): SscpFieldsOf<'Register'> {
    // Register <Capabilities codecs>: the engine's codecs SSCP has a name for (firmware/sscp/codecs.ts), in its order.
    const codecs = this.opts.media.capabilities().flatMap((c) => sscpCodecOf(c.codec) ?? []);
    const d = this.opts.display;
    return {
      model: this.opts.model ?? 'deskphone', firmware: this.opts.firmware ?? 'deskphone-1', lines: this.opts.lines ?? 1,
      ...(d ? { cols: d.cols, rows: d.rows, softkeySlots: d.softkeys } : {}),
      codecs: [...new Set(codecs)].join(' ') || SSCP_DEFAULT_CODEC, ipv6: true,
    };
  }

  private onRegisterAck(ep: SscpEndpoint, f: SscpFieldsOf<'RegisterAck'>): void {
    const interval = f.keepAliveS > 0 ? f.keepAliveS : 30;
    this.reg.registered(f.server);
    if (f.epochS !== undefined && f.epochS > 0) this.reg.emit({ type: 'timeDate', date: new Date(f.epochS * 1000) });
    this.reg.supervise(ep.startKeepalive({
      intervalMs: interval * 1000,
      message: () => {
        if (this.reg.onBackup) void this.probePrimary(ep, Math.min(interval * 1000, PROBE_TIMEOUT_MS));
        return { name: 'KeepAlive', fields: {} };
      },
      onLost: (e) => { if (this.endpoint === ep) this.reg.drop('lost', `keepalive not acknowledged: ${e.message}`); },
    }));
    // After a failover: name the streams still open, so this CM closes them at on-hook (docs/security.md §8).
    this.media.reannounce((out) => {
      if (this.endpoint === ep) ep.send(out).catch((e: Error) => this.log('warn', `SSCP ${out.name} failed: ${e.message}`));
    });
  }

  /** On a backup CM: back to the primary once it answers and the phone is idle (primary-probe.ts), as SCCP does. */
  private async probePrimary(ep: SscpEndpoint, timeoutMs: number): Promise<void> {
    const idle = (): boolean => this.opts.media.activeStreams().length === 0 &&
      ['idle', 'onhook', undefined].includes(this.mapper.currentState);
    if (this.probing || !idle()) return;
    this.probing = true;
    const { host, port } = this.reg.primary;
    const back = await sscpReachable({ host, port, device: this.deviceName, clock: this.clock, timeoutMs });
    this.probing = false;
    if (!back || this.endpoint !== ep || this.reg.state !== 'registered' || !idle()) return;
    this.log('info', `SSCP primary CM ${host}:${port} is back and the phone is idle: registering there again`, { server: this.server });
    // Sent once, in sequence, never retransmitted, like the Unregister at stop (docs/sscp.md §2, message 2).
    try { await ep.sendUnreliable({ name: 'Unregister', fields: { reason: 'returning to the primary CM' } }); } catch { /* leaving anyway */ }
    if (this.endpoint !== ep || this.reg.state !== 'registered') return;
    this.reg.returnToPrimary('returning to the primary CM');
  }

  private keepPage(callRef: number, page: number, pages: number): void {
    this.callPages.delete(callRef);
    this.callPages.set(callRef, { page, pages });
    if (this.callPages.size > MAX_CALL_PAGES) this.callPages.delete(this.callPages.keys().next().value!);
  }

  private onMessage(raw: SscpDecoded): void {
    const ep = this.endpoint!;
    const m: SscpReceived = typedSscp(raw);
    if (m.device !== undefined && m.device.toUpperCase() !== this.deviceName) {
      this.log('warn', `SSCP ${m.name} addressed to ${m.device}, not ${this.deviceName}: ignored`, { message: m.name });
      return;
    }
    switch (m.name) {
      case 'RegisterAck': if (this.state !== 'registered') this.onRegisterAck(ep, m.fields); return;
      case 'RegisterReject':
        this.reg.drop('rejected', m.fields.reason || 'RegisterReject without reason',
          { delayMs: this.opts.rejectRetryMs ?? REJECT_RETRY_MS });
        return;
      case 'KeepAliveAck': return;
      case 'Reset':
        // ReRegister and Restart both mean: register again with the same CM now; media is kept.
        this.reg.drop('lost', `Reset (${m.fields.reason}) from the CM`, { sameServer: true, delayMs: 0 });
        return;
      case 'PhoneBookResult': return this.directory.result(m.fields);
    }
    if (this.state !== 'registered') {
      this.log('debug', `SSCP ${m.name} before RegisterAck processed anyway`, { message: m.name });
    }
    if (this.media.handle(m, (out) => {
      if (this.endpoint === ep) ep.send(out).catch((e: Error) => this.log('warn', `SSCP ${out.name} failed: ${e.message}`));
    }, () => this.localIp)) return;
    let repage = false;
    if (m.name === 'Layout') {
      const f = m.fields;
      const ref = callRefOf(f.callId);
      // A Layout without FunctionKeys (a view change) leaves the call's page as it was.
      const was = this.pageOf(ref);
      const pg = f.page !== undefined ? { page: f.page || 1, pages: f.pages || 1 } : was;
      this.layout = { view: f.view, page: pg.page, pages: pg.pages, line: f.line ?? 0, callRef: ref };
      if (ref > 0) this.keepPage(ref, pg.page, pg.pages);
      else this.idlePage = pg;
      // The shown set's page changed: the phone redraws it with the CM's page (and "more").
      repage = (pg.page !== was.page || pg.pages !== was.pages) && (this.mapper.softkeys?.callRef ?? 0) === ref;
    }
    const evs = translateSscp(m);
    if (evs instanceof Error) { this.log('warn', `SSCP ${m.name} ignored: ${evs.message}`, { message: m.name }); return; }
    if (evs.length === 0 && m.name !== 'Layout') this.log('debug', `SSCP ${m.name} not handled`, { message: m.name });
    for (const ev of evs) {
      // A SoftKeySet for a call other than the selected one is kept until that call is selected.
      if (ev.type === 'softkeys') {
        // A new set starts on its first page; a Layout with FunctionKeys after it says otherwise.
        if (ev.callRef > 0) this.callPages.delete(ev.callRef);
        else this.idlePage = { page: 1, pages: 1 };
        if (!this.mapper.putSoftkeys({ line: ev.line, callRef: ev.callRef, keys: ev.keys })) continue;
      }
      const cleared = ev.type === 'callState' && this.mapper.callState(ev.line, ev.callRef, ev.state);
      if (ev.type === 'callState' && (ev.state === 'onhook' || ev.state === 'idle')) this.callPages.delete(ev.callRef);
      if (ev.type === 'callState' && ev.state === 'hold') this.media.held(ev.callRef); // a held call sends and plays nothing
      if (ev.type === 'callPlane' && ev.active) this.mapper.callPlane(ev.line);
      this.reg.emit(ev);
      if (cleared) this.softkeysChanged();
    }
    if (repage) this.softkeysChanged();
  }
}

/** Calls whose function-key page is remembered; more than a phone holds, so only a CM that never clears calls hits it. */
const MAX_CALL_PAGES = 32;

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
