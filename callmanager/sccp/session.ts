/**
 * One SCCP station session on the CM side: framing, decoding, registration, the status requests
 * a station makes after registering, keepalive supervision, and hand-off of call events to the
 * call core. Behaviour follows Asterisk 20 chan_skinny (docs/sccp.md §5 "Session rules" and
 * "Registration as seen from the station"), but also answers ForwardStatReq and ConfigStatReq.
 * Malformed input drops this connection only.
 */
import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import {
  decodeMessage, encodeMessage, encodeOutgoing, ipString, traceFields, DEFAULT_PROTOCOL_VERSION, type DecodedMessage,
} from '../../firmware/sccp/codec.js';
import { LampMode, Stimulus, UnregisterStatus } from '../../firmware/sccp/enums.js';
import { SccpFramer } from '../../firmware/sccp/framer.js';
import type { FieldsOf, MessageName } from '../../firmware/sccp/messages.js';
import type { CallCore } from '../calls.js';
import type { CallManagerConfig, DeviceConfig } from '../config.js';
import type { CmCommand, StationSink } from '../station.js';
import type { Logger } from '../log.js';
import { commandToMessage, forwardStatFields } from './commands.js';
import { blfLamp } from '../features/blf.js';
import { codecsOf, sccpInput } from './inputs.js';
import { buttonTemplateFields, deviceSets, softKeySetFields, softKeyTemplateFields, type DeviceSets } from './templates.js';
import type { TraceSink } from '../../firmware/station/trace.js';

/** Hooks into the server (registry of sessions per device). */
export interface SessionHost {
  readonly config: CallManagerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly core: CallCore;
  readonly localPort: number;
  /** Called when `session` registers as `device`; returns why it may not (undefined = claimed). */
  claim(session: SccpSession, device: DeviceConfig): string | undefined;
  released(session: SccpSession, reason: string): void;
  emit(event: string, payload: unknown): void;
  /** `--trace`: every message sent and received, decoded. */
  readonly trace?: TraceSink;
}

/** §5: the drop timer is 3 × keepalive. */
const KEEPALIVE_MISSES = 3;
/** A registered session heard from within this many keepalive intervals is alive (docs/security.md §2). */
const ALIVE_INTERVALS = 2;
/** RegisterReject.text is char[32] (docs/sccp.md §3). */
const REJECT_TEXT_MAX = 31;
/** We negotiate at most v11 so hdr-0 layouts apply (docs/sccp.md §1 "Recommendation"). */
const MAX_PROTOCOL_VERSION = DEFAULT_PROTOCOL_VERSION;

let nextSessionId = 1;

export class SccpSession implements StationSink {
  readonly id = nextSessionId++;
  device: DeviceConfig | undefined;
  protocolVersion = MAX_PROTOCOL_VERSION;
  closed = false;
  private readonly framer = new SccpFramer();
  private sets: DeviceSets = { sets: [], masks: [] };
  private lastRx: number;
  private timer: TimerHandle | undefined;
  private readonly limitMs: number;
  private authTimer: TimerHandle | undefined;

  constructor(readonly socket: Socket, private readonly host: SessionHost) {
    this.lastRx = host.clock.now();
    this.limitMs = KEEPALIVE_MISSES * host.config.server.keepalive * 1000;
    this.timer = host.clock.setTimeout(() => this.supervise(), this.limitMs);
    // docs/security.md §3 (Asterisk authtimeout): register within authTimeout or be dropped; traffic does not extend it.
    const authMs = host.config.server.authTimeout * 1000;
    this.authTimer = host.clock.setTimeout(() => {
      if (this.device) return;
      this.host.log.warn(`${this.who}: not registered within authTimeout ${host.config.server.authTimeout} s; dropping connection`);
      this.close('not registered within authTimeout');
    }, authMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.close(`socket error: ${e.message}`));
    socket.on('close', () => this.close('connection closed by station'));
  }

  /** config.server.maxProtocolVersion (default 11). */
  private get maxVersion(): number { return this.host.config.server.maxProtocolVersion ?? MAX_PROTOCOL_VERSION; }
  /** StationSink: the CM's address on this connection (RTP proxy bind default). */
  get localAddress(): string | undefined { return this.socket.localAddress; }
  get peer(): string { return `${this.socket.remoteAddress}:${this.socket.remotePort}`; }
  private get who(): string { return this.device ? `${this.device.name} (${this.peer})` : `session ${this.id} (${this.peer})`; }

  /** StationSink: one command from the call core → one SCCP message. */
  send(cmd: CmCommand): void {
    const m = commandToMessage(cmd, this.sets, this.protocolVersion);
    this.transmit(m.name, m.fields, () => encodeOutgoing(m, { version: this.protocolVersion }));
  }

  /** Encodes and writes one whole PDU in one socket write (docs/sccp.md §1). */
  write<N extends MessageName>(name: N, fields: FieldsOf<N>): void {
    this.transmit(name, fields, () => encodeMessage(name, fields, { version: this.protocolVersion }));
  }

  private transmit(name: string, fields: Readonly<Record<string, unknown>>, encode: () => Buffer): void {
    if (this.closed) return;
    let pdu: Buffer;
    try { pdu = encode(); } catch (e) {
      this.host.log.warn(`${this.who}: cannot encode ${name}: ${(e as Error).message}`);
      return;
    }
    this.host.trace?.('SCCP', 'send', this.device?.name ?? this.peer, name, fields);
    this.socket.write(pdu);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.host.clock.clearTimeout(this.timer);
    this.host.clock.clearTimeout(this.authTimer);
    this.socket.destroy();
    this.host.released(this, reason);
  }

  /** Heard from within ALIVE_INTERVALS keepalive intervals: a second registration elsewhere is refused. */
  alive(): boolean {
    return !this.closed && this.host.clock.now() - this.lastRx < ALIVE_INTERVALS * this.host.config.server.keepalive * 1000;
  }

  private supervise(): void {
    const idle = this.host.clock.now() - this.lastRx;
    if (idle >= this.limitMs) {
      this.host.log.warn(`${this.who}: no traffic for ${Math.round(idle / 1000)} s (${KEEPALIVE_MISSES} × keepalive ${this.host.config.server.keepalive} s); dropping session`);
      this.close('keepalive timeout');
    } else this.timer = this.host.clock.setTimeout(() => this.supervise(), this.limitMs - idle);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastRx = this.host.clock.now();
    let pdus: Uint8Array[];
    try { pdus = this.framer.push(chunk); } catch (e) {
      return this.protocolError(`framing: ${(e as Error).message}`, e);
    }
    for (const pdu of pdus) {
      if (this.closed) return;
      let msg;
      try { msg = decodeMessage(pdu, { version: this.protocolVersion, allowUnknown: true }); } catch (e) {
        return this.protocolError(`decode: ${(e as Error).message}`, e);
      }
      if (msg.name === 'Unknown') {
        return this.protocolError(`unknown message id 0x${msg.id.toString(16).padStart(4, '0')} (${pdu.length}-byte PDU)`, undefined);
      }
      this.host.trace?.('SCCP', 'recv', this.device?.name ?? this.peer, msg.name, traceFields(msg));
      try { this.dispatch(msg); } catch (e) {
        return this.protocolError(`handling ${msg.name}: ${(e as Error).message}`, e);
      }
    }
  }

  private protocolError(detail: string, err: unknown): void {
    this.host.log.warn(`${this.who}: malformed SCCP input, ${detail}; dropping this connection`);
    this.host.emit('protocol-error', { device: this.device?.name, session: this.id, detail, error: err });
    this.close(`protocol error: ${detail}`);
  }

  private dispatch(m: Exclude<DecodedMessage, { name: 'Unknown' }>): void {
    const name = m.name;
    if (m.name === 'Register') return this.register(m.fields.deviceName, m.fields.protocolVer, m.fields.activeStreams ?? 0);
    const dev = this.device;
    if (!dev) {
      // docs/security.md §3: before registration nothing but Register is answered (not even KeepAlive, unlike
      // Asterisk), so an unregistered connection cannot keep itself open past authTimeout.
      this.host.log.debug?.(`${this.who}: ${name} before registration ignored (only Register is accepted)`);
      return;
    }
    if (name === 'KeepAlive') return this.write('KeepAliveAck', {});
    if (m.name === 'Alarm') return this.host.log.info(`${this.who}: alarm severity ${m.fields.severity}: ${m.fields.text.slice(0, 80)}`);
    const core = this.host.core;
    const cfg = this.host.config;
    switch (m.name) {
      case 'Unregister': this.write('UnregisterAck', { status: UnregisterStatus.Ok }); return this.close('unregistered');
      case 'CapabilitiesRes': {
        return core.setCapabilities(dev.name, codecsOf(m.fields.caps.map((c) => c.payloadCapability)));
      }
      case 'ButtonTemplateReq': return this.write('ButtonTemplate', buttonTemplateFields(dev));
      case 'SoftKeyTemplateReq': return this.write('SoftKeyTemplateRes', softKeyTemplateFields());
      case 'SoftKeySetReq':
        this.write('SoftKeySetRes', softKeySetFields(this.sets));
        // §5: Asterisk follows SoftKeySetRes with SelectSoftKeys(0, 0, set 0 OnHook, mask).
        return this.write('SelectSoftKeys', { lineInstance: 0, callReference: 0, softKeySetIndex: 0, validKeyMask: this.sets.masks[0] ?? 0 });
      case 'LineStatReq': {
        const num = m.fields.lineNumber;
        const line = cfg.lines.find((l) => l.number === dev.lines[num - 1]);
        // chan_skinny puts `linelabel` in the display-name field and leaves the text label empty.
        const label = line ? (line.label ?? line.name) : '';
        if (cfg.server.compat === 'chan_skinny') {
          return this.write('LineStat', { lineNumber: num, lineDirNumber: line?.number ?? '', lineFullyQualifiedDisplayName: label, lineTextLabel: '' });
        }
        return this.write('LineStat', { lineNumber: num, lineDirNumber: line?.number ?? '',
          lineFullyQualifiedDisplayName: line?.name ?? '', lineTextLabel: label });
      }
      case 'SpeedDialStatReq': {
        const num = m.fields.speedDialNumber;
        const sd = dev.speeddials[num - 1];
        this.write('SpeedDialStat', { speedDialNumber: num, speedDialDirNumber: sd?.number ?? '', speedDialDisplayName: sd?.label ?? '' });
        // A BLF key's lamp again now that the phone knows the button (docs/sccp.md §5 "Busy-lamp-field speed dials").
        const mode = sd ? blfLamp(sd, core.presenceOf(sd.number)) : undefined;
        return mode ? this.send({ t: 'lamp', target: 'speeddial', instance: num, mode }) : undefined;
      }
      case 'ForwardStatReq': { // answered with the line's forwards (features/forward.ts, forward-cond.ts)
        const l = m.fields.lineNumber;
        return this.write('ForwardStat', forwardStatFields(l, core.forwardOf(dev.name, l), core.condForwardOf(dev.name, l, 'busy'), core.condForwardOf(dev.name, l, 'noAnswer')));
      }
      case 'TimeDateReq': return this.sendTimeDate();
      case 'VersionReq': return this.write('Version', { version: cfg.server.version });
      case 'ConfigStatReq':
        return this.write('ConfigStat', { deviceName: dev.name, userId: 0, instance: 1,
          userName: cfg.lines.find((l) => l.number === dev.lines[0])?.name ?? '', serverName: cfg.server.name,
          numberOfLines: dev.lines.length, numberOfSpeedDials: dev.speeddials.length });
      case 'ServerReq': {
        const ip = this.socket.localAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0';
        return this.write('ServerRes', { serverName: [cfg.server.name, '', '', '', ''],
          serverTcpListenPort: [this.host.localPort, 0, 0, 0, 0],
          serverIpAddr: [ip.includes(':') ? '0.0.0.0' : ip, '0.0.0.0', '0.0.0.0', '0.0.0.0', '0.0.0.0'] });
      }
      case 'ServiceURLStatReq': return this.write('ServiceURLStat', { index: m.fields.index, url: '', displayName: '' });
      case 'OffHook': return core.offHook(dev.name, m.fields.lineInstance ?? 0);
      case 'OnHook': return core.onHook(dev.name);
      case 'KeypadButton': return sccpInput.keypad(core, dev.name, m.fields.kpButton);
      case 'EnblocCall': return core.dial(dev.name, m.fields.calledParty ?? '', m.fields.lineInstance ?? 0);
      case 'OffHookWithCgpn': return core.dial(dev.name, m.fields.calledParty ?? '', m.fields.lineInstance);
      case 'Stimulus': return sccpInput.stimulus(core, dev.name, m.fields.stimulus, m.fields.lineInstance);
      case 'SoftKeyEvent':
        return sccpInput.softKey(core, dev.name, m.fields.softKeyEvent, m.fields.lineInstance, m.fields.callReference);
      case 'OpenReceiveChannelAck': {
        const f = m.fields;
        // §3: the u32 at body offset 12 is the passThruPartyId we sent in OpenReceiveChannel.
        return core.mediaReady(dev.name, f.passThruPartyId, f.status, ipString(f.ipAddr), f.portNumber);
      }
      default:
        // IpPort, HeadsetStatus, RegisterAvailableLines, StartMediaTransmissionAck, ...: nothing to do (as Asterisk).
        this.host.log.debug?.(`${this.who}: ${name} ignored`);
    }
  }

  private register(rawName: string, protocolVer: unknown, activeStreams = 0): void {
    const name = rawName.toUpperCase(); // §5: device names match case-insensitively
    const dev = this.host.config.devices.find((d) => d.name === name) as DeviceConfig | undefined;
    if (this.device) {
      if (this.device.name === name) return; // a repeated Register on a registered session: nothing new
      return this.reject(rawName, 'Already registered', `Register as "${rawName}" on a session registered as ${this.device.name}`);
    }
    if (!dev) return this.reject(rawName, `No Authority: ${rawName}`, `Register from unknown device "${rawName}" rejected`);
    if (dev.protocol === 'sscp') {
      return this.reject(rawName, `SSCP only: ${rawName}`, `Register from "${rawName}" over SCCP rejected: the config says protocol sscp`);
    }
    const refused = this.host.claim(this, dev);
    if (refused) return this.reject(rawName, `No Authority: ${rawName}`, `Register refused: ${refused}`);
    this.protocolVersion = typeof protocolVer === 'number' && protocolVer > 0
      ? Math.min(protocolVer, this.maxVersion) : this.maxVersion;
    this.device = dev;
    this.host.clock.clearTimeout(this.authTimer);
    this.sets = deviceSets(dev);
    // §5 step 2: voicemail lamps off per line, then for instance 0, before RegisterAck.
    dev.lines.forEach((_, i) => this.write('SetLamp', { stimulus: Stimulus.VoiceMail, stimulusInstance: i + 1, lampMode: LampMode.Off }));
    this.write('SetLamp', { stimulus: Stimulus.VoiceMail, stimulusInstance: 0, lampMode: LampMode.Off });
    const ka = this.host.config.server.keepalive;
    this.write('RegisterAck', { keepAliveInterval: ka, dateTemplate: this.host.config.server.dateTemplate,
      alignmentPadding: 0, secondaryKeepAliveInterval: ka, maxProtocolVer: this.maxVersion });
    this.write('CapabilitiesReq', {});
    this.host.core.attach(dev.name, this);
    this.host.log.info(`${this.who}: registered (protocol v${this.protocolVersion})`);
    if (activeStreams > 0 && this.host.core.legState(dev.name) === 'idle') {
      // docs/security.md §8: streams from a call another CM set up (failover). Register only counts them; a
      // deskphone phone names each one next (OpenReceiveChannelAck) and the core closes those at on-hook.
      this.host.log.info(`${this.who}: reports ${activeStreams} active stream(s) this CM did not open; they are closed when the phone goes on hook`);
      this.host.emit('foreign-streams', { device: dev.name, session: this.id, activeStreams });
    }
    this.host.emit('registered', { device: dev.name, session: this.id, peer: this.peer });
  }

  /**
   * RegisterReject, then the connection is closed (docs/security.md §3; Asterisk leaves it open until
   * its keepalive timer fires, which lets a refused peer hold a connection).
   */
  private reject(device: string, text: string, why: string): void {
    const reason = text.slice(0, REJECT_TEXT_MAX);
    this.host.log.warn(`${this.who}: ${why}`);
    this.write('RegisterReject', { text: reason });
    this.host.emit('rejected', { device, reason, session: this.id });
    this.closed = true;
    this.host.clock.clearTimeout(this.timer);
    this.host.clock.clearTimeout(this.authTimer);
    this.socket.end(() => this.socket.destroy());
    this.host.released(this, `registration rejected: ${reason}`);
  }

  private sendTimeDate(): void {
    const d = this.host.clock.wallTime();
    // §3 DefineTimeDate: full year, month 1-12, dayOfWeek 0 = Sunday, ..., systemTime = Unix seconds.
    this.write('DefineTimeDate', { year: d.getFullYear(), month: d.getMonth() + 1, dayOfWeek: d.getDay(), day: d.getDate(),
      hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), milliseconds: d.getMilliseconds(),
      systemTime: Math.floor(d.getTime() / 1000) });
  }
}
