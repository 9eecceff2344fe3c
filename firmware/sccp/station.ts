/**
 * The SCCP (Skinny) station client: registers with one of up to three call managers, keeps the
 * registration alive, fails over, translates CM messages into SignallingEvents and PhoneInput
 * into station messages, and drives the MediaEngine from media control messages.
 * Script: docs/sccp.md §5 (Asterisk chan_skinny registration order and session rules).
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { MediaEngine } from '../media/engine.js';
import { defaultIpv4, resolveDeviceName } from '../station/device-name.js';
import { StationFacade } from '../station/facade.js';
import { RegistrationEngine, checkServers } from '../station/registration.js';
import { DEFAULT_PROTOCOL_VERSION } from './codec.js';
import { decodeLabels as decodeLabelText } from './labels.js';
import { StationCalls, type OutMsg } from './station-calls.js';
import { translateCmMessage } from './station-events.js';
import { StationMedia, capabilitiesFields } from './station-media.js';
import { DeviceType, PhoneFeature } from './enums.js';
import type { ReceivedFieldsOf } from './messages.js';
import { InbandDtmf } from '../station/inband-dtmf.js';
import { StationSession, type Decoded, type StationLog } from './station-session.js';
import { StationTemplates } from './station-templates.js';
import type { TraceSink } from '../station/trace.js';
import { tcpReachable } from './primary-probe.js';
import { XmlDirectory, type XmlDirectoryOptions } from './xml-directory.js';
import type { DirectoryEntry } from '../station/signalling.js';

export type { StationLog } from './station-session.js';

export interface SccpServer { host: string; port: number }

export interface SccpStationOptions {
  /** "SEP" + 12 hex; default from `mac`, else from the first non-internal interface's MAC. */
  deviceName?: string;
  mac?: string;
  /** Register.deviceType (docs/sccp.md §4); default DeviceType.Cisco7960: Asterisk gives it 6 line/speed-dial buttons. */
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
  /** `--trace`: every message sent and received, decoded. */
  trace?: TraceSink;
  /** stop(): longest wait for the CM to close the session after Unregister (default 2000 ms). */
  leaveTimeoutMs?: number;
  /** CiscoIPPhoneDirectory URL for searchDirectory (xml-directory.ts; `{cm}` = the CM's host); none = no directory. */
  directoryUrl?: string;
  /** Timeout, size cap and fetch of the directory client (tests). */
  directory?: Pick<XmlDirectoryOptions, 'timeoutMs' | 'maxBytes' | 'fetch'>;
}

/** Register.maxStreams (docs/sccp.md §3 example "e.g. 5"). */
const MAX_STREAMS = 5;
/** Register.instance is 1 (§3). */
const REGISTER_INSTANCE = 1;
/** KeepAlive interval when RegisterAck carries 0; Asterisk's default keepalive is 120 s (§5). */
const DEFAULT_KEEPALIVE_S = 120;
/** Missed KeepAliveAcks before the CM counts as lost (brief; Asterisk drops a station after 3 × keepalive, §5). */
const MAX_MISSED_KEEPALIVES = 3;
/** Wait for the ButtonTemplate before requesting line status anyway (the CM may not answer). */
const BUTTON_TEMPLATE_WAIT_MS = 5000;
const DEFAULT_LEAVE_TIMEOUT_MS = 2000;
const DEFAULT_RECONNECT = { initialMs: 1000, maxMs: 32_000 };
/** Longest wait between retries after RegisterReject: a CM that refuses us will not change its mind every few seconds. */
const REJECTED_MAX_MS = 60_000;
const noLog: StationLog = () => {};

/** SCCP over TCP on the shared registration engine: open/register/send/close and the message mapping. */
export class SccpStation extends StationFacade<OutMsg> {
  readonly protocol = 'sccp' as const;
  readonly deviceName: string;
  private readonly opts: SccpStationOptions;
  protected readonly log: StationLog;
  private readonly templates = new StationTemplates();
  protected readonly mapper = new StationCalls(() => this.templates.lines[0] ?? 1);
  private readonly media: StationMedia;
  protected readonly dtmf: InbandDtmf;
  protected readonly reg: RegistrationEngine;
  private session: StationSession | undefined;
  private statusRequested = false;
  private probing = false;
  private buttonWaitTimer: TimerHandle | undefined;
  /** The CM's directory over HTTP (docs/directory.md §4); absent without `directoryUrl`. */
  readonly searchDirectory?: (name: string) => Promise<DirectoryEntry[]>;

  constructor(opts: SccpStationOptions) {
    super();
    checkServers(opts.servers, 'SccpStation', 'TCP', 'Asterisk: 2000');
    this.opts = opts;
    this.log = opts.log ?? noLog;
    this.deviceName = resolveDeviceName(opts);
    this.dtmf = new InbandDtmf(opts.media, (level, msg) => this.log(level, `SCCP ${msg}`));
    this.media = new StationMedia(opts.media, this.log, this.dtmf);
    this.reg = new RegistrationEngine({
      protocol: 'SCCP', servers: opts.servers, clock: opts.clock, log: this.log,
      reconnect: opts.reconnect ?? DEFAULT_RECONNECT, rejectedMaxMs: REJECTED_MAX_MS, retryZeroDelayAtOnce: true,
    }, { open: (server) => this.open(server.host, server.port), close: (o) => this.close(o.unregister) });
    if (opts.directoryUrl !== undefined) {
      const dir = new XmlDirectory({ ...opts.directory, url: opts.directoryUrl, clock: opts.clock, cmHost: () => this.reg.current.host });
      this.searchDirectory = (name) => dir.search(name);
    }
  }

  protected get connected(): boolean { return this.session !== undefined; }
  protected deliver(m: OutMsg): void { this.session!.sendMessage(m); }
  protected softkeysChanged(): void { this.emitSoftkeys(); }
  /** The user hung up: media stops locally whatever the CM says (docs/security.md). */
  protected override hungUp(): void { this.media.hangUp(); }

  // ---- connection lifecycle ----
  private get clock(): Clock { return this.opts.clock; }

  private open(host: string, port: number): void {
    const session = new StationSession(host, port, this.clock, this.log, {
      message: (m) => { if (this.session === session) this.onMessage(m); },
      closed: (reason) => { if (this.session === session) this.reg.drop('lost', reason); },
    }, this.opts.protocolVersion ?? DEFAULT_PROTOCOL_VERSION, this.opts.trace);
    this.session = session;
    session.connect(this.opts.connectTimeoutMs ?? 5000).then(() => {
      if (this.session !== session) return;
      this.templates.reset();
      this.mapper.reset();
      this.statusRequested = false;
      this.sendRegister(session);
      const ms = this.opts.registerTimeoutMs ?? 30_000;
      this.reg.armRegisterTimeout(ms, `no RegisterAck within ${ms} ms`);
    }, (e: Error) => {
      if (this.session === session) this.reg.drop('lost', e.message);
    });
  }

  /**
   * Leaves cleanly when stopping a registered station: OnHook for the calls the phone is in (or for
   * a lifted handset), Unregister, then waits (at most leaveTimeoutMs) for the CM to close the
   * session: Asterisk closes it without an UnregisterAck (docs/sccp.md §5). Without the OnHook
   * chan_skinny keeps the dead session's off-hook state for about 10 s and ignores the next
   * registration's lift.
   */
  private async close(unregister: boolean): Promise<void> {
    this.clock.clearTimeout(this.buttonWaitTimer);
    this.buttonWaitTimer = undefined;
    const s = this.session;
    this.session = undefined;
    if (unregister && s?.isOpen) {
      for (const m of this.mapper.leaving()) s.sendMessage(m);
      s.send('Unregister', {});
      const closed = await s.whenClosed(this.opts.leaveTimeoutMs ?? DEFAULT_LEAVE_TIMEOUT_MS);
      if (!closed) this.log('debug', `SCCP ${s.server} did not close the session after Unregister; closing it`);
    }
    s?.close();
  }

  private sendRegister(s: StationSession): void {
    const ip = this.opts.localAddress ?? s.localAddress ?? defaultIpv4() ?? '0.0.0.0';
    // Register ≥ 52 body bytes so tshark shows protocolVer (docs/sccp.md §3); the codec writes the first tail segment.
    s.send('Register', {
      deviceName: this.deviceName, userId: 0, instance: REGISTER_INSTANCE,
      stationIpAddr: /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? ip : '0.0.0.0',
      deviceType: this.opts.deviceType ?? DeviceType.Cisco7960, maxStreams: MAX_STREAMS,
      activeStreams: this.opts.media.activeStreams().length, protocolVer: this.opts.protocolVersion ?? DEFAULT_PROTOCOL_VERSION,
      // phoneFeatures 0x0200: RFC 2833 DTMF in RTP (docs/sccp.md §3 Register), sent by InbandDtmf.
      unknown: 0, phoneFeatures: this.opts.media.sendDtmf ? PhoneFeature.Rfc2833 : 0, maxConferences: 0, activeConferences: 0,
    });
  }

  private onRegisterAck(s: StationSession, f: ReceivedFieldsOf<'RegisterAck'>): void {
    this.reg.registered();
    // The clock row follows the CM's date template, as a 7960 does (docs/sccp.md §3 RegisterAck).
    if (typeof f.dateTemplate === 'string') this.reg.emit({ type: 'dateTemplate', template: f.dateTemplate });
    // maxProtocolVer is ignored: Asterisk writes '0' (48) there (docs/sccp.md §3).
    const interval = f.keepAliveInterval || DEFAULT_KEEPALIVE_S;
    this.reg.superviseKeepalive(interval * 1000, MAX_MISSED_KEEPALIVES, () => {
      s.send('KeepAlive');
      if (this.reg.onBackup) void this.probePrimary(s);
    }, 'KeepAliveAck');
    // Station-driven part of registration, in the order of the client in the Asterisk peer log (§5).
    s.send('IpPort', { rtpMediaPort: 0 }); // RTP ports are per stream (OpenReceiveChannelAck); Asterisk ignores IpPort
    s.send('CapabilitiesRes', capabilitiesFields(this.opts.media));
    s.send('ButtonTemplateReq');
    s.send('SoftKeyTemplateReq');
    s.send('SoftKeySetReq');
    this.media.reannounce((name, fields) => { if (s.isOpen) s.send(name, fields); }); // after a failover (docs/security.md §8)
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

  /** On a backup CM: back to the primary once it answers and the phone is idle (primary-probe.ts). */
  private async probePrimary(s: StationSession): Promise<void> {
    const idle = (): boolean => this.opts.media.activeStreams().length === 0 &&
      ['idle', 'onhook', undefined].includes(this.mapper.currentState);
    if (this.probing || !idle()) return;
    this.probing = true;
    const { host, port } = this.reg.primary;
    const back = await tcpReachable(host, port, this.opts.connectTimeoutMs ?? 5000);
    this.probing = false;
    if (!back || this.session !== s || this.reg.state !== 'registered' || !idle()) return;
    this.log('info', `SCCP primary CM ${host}:${port} is back and the phone is idle: registering there again`, { server: this.server });
    s.send('Unregister', {});
    this.reg.returnToPrimary('returning to the primary CM');
  }

  private emitSoftkeys(): void {
    if (!this.templates.haveSoftKeys) return;
    const sel = this.mapper.softkeys;
    if (!sel) { this.reg.emit({ type: 'softkeys', line: 0, callRef: 0, keys: [] }); return; }
    sel.keys = this.templates.resolve(sel.setIndex, sel.mask);
    this.reg.emit({ type: 'softkeys', line: sel.line, callRef: sel.callRef, keys: sel.keys });
  }

  private onMessage(m: Decoded): void {
    const s = this.session!;
    switch (m.name) {
      case 'RegisterAck': if (this.state !== 'registered') this.onRegisterAck(s, m.fields); return;
      case 'RegisterReject':
        this.reg.drop('rejected', m.fields.text || 'RegisterReject without text');
        return;
      case 'KeepAliveAck': this.reg.keepAliveAck(); return;
      case 'CapabilitiesReq': s.send('CapabilitiesRes', capabilitiesFields(this.opts.media)); return;
      case 'Reset':
        // Every ResetType (1 reset, 2 restart, 3 apply config; §3) means re-register here; media is kept.
        this.reg.drop('lost', `Reset (resetType ${m.fields.resetType}) from the CM`,
          { sameServer: true, delayMs: 0 });
        return;
      case 'ButtonTemplate':
        this.templates.applyButtonTemplate(m.fields);
        if (this.templates.buttonsComplete && this.state === 'registered') this.requestStatus(s);
        return;
      case 'SoftKeyTemplateRes': this.templates.applySoftKeyTemplate(m.fields, decodeLabelText); this.emitSoftkeys(); return;
      case 'SoftKeySetRes': this.templates.applySoftKeySets(m.fields); this.emitSoftkeys(); return;
      case 'SelectSoftKeys': {
        const f = m.fields;
        // Shown (and announced) unless the user selected another call: then kept for when this one is selected.
        if (this.mapper.selectSoftkeys({ line: f.lineInstance, callRef: f.callReference, setIndex: f.softKeySetIndex,
          mask: f.validKeyMask, keys: [] })) this.emitSoftkeys();
        return;
      }
      case 'Unknown':
        this.log('debug', `SCCP unknown message id 0x${m.id.toString(16)} ignored`, { id: m.id });
        return;
    }
    const local = this.opts.localAddress ?? s.localAddress ?? '0.0.0.0';
    if (this.media.handle(m, (name, fields) => { if (s.isOpen) s.send(name, fields); }, local)) return;
    const ev = translateCmMessage(m, decodeLabelText);
    if (ev instanceof Error) { this.log('warn', `SCCP ${m.name} ignored: ${ev.message}`, { message: m.name }); return; }
    if (!ev) { this.log('debug', `SCCP ${m.name} not handled`, { message: m.name }); return; }
    const cleared = ev.type === 'callState' && this.mapper.callState(ev.line, ev.callRef, ev.state);
    if (ev.type === 'callState' && ev.state === 'hold') this.media.held(ev.callRef); // a held call sends and plays nothing
    if (ev.type === 'callPlane' && ev.active) this.mapper.activateCallPlane(ev.line);
    this.reg.emit(ev);
    if (cleared) this.emitSoftkeys(); // the cleared call's set goes; the focused call's (or the default) shows
  }
}
