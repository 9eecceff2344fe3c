/**
 * One registered SSCP phone on the CM side (docs/sscp.md §5): a StationSink that turns the call
 * core's CmCommands into SSCP messages for the phone's current address, and the dispatcher that
 * feeds the phone's messages into the CallCore the same way the SCCP glue
 * (callmanager/sccp/session.ts) does. Keyed by device: a re-registration from a new address
 * moves the session instead of replacing it, so a call in progress survives.
 */
import { encodeSscp, SscpEncodeError, type SscpDecoded } from '../../firmware/sscp/codec.js';
import type { SscpFields } from '../../firmware/sscp/messages.js';
import type { SscpPeer } from '../../firmware/sscp/transport.js';
import type { CallCore } from '../calls.js';
import type { CallManagerConfig, DeviceConfig } from '../config.js';
import type { CmCommand, SoftKeySetName, StationSink } from '../station.js';
import type { Logger } from '../log.js';
import { keypadKey } from '../inputs.js';
import { commandToSscp, softKeyOf, softKeysFor, type SscpOutMessage } from './commands.js';

/** What a session needs from the server. */
export interface SscpSessionHost {
  readonly config: CallManagerConfig;
  readonly core: CallCore;
  readonly log: Logger;
  /** Sends reliably to `peer`; never throws (failures are logged by the host). */
  send(peer: SscpPeer, device: string, msg: SscpOutMessage): void;
  /** The CM's own address phones reach it at (undefined when bound to a wildcard). */
  readonly localAddress: string | undefined;
  /** The phone said Unregister. */
  unregister(session: SscpSession): void;
}

/** One call's soft key set and the function-key page shown of it (docs/sscp.md §5 "Several calls"). */
interface KeyState { line: number; ref: number; set: SoftKeySetName; page: number; pages?: number }

/** Soft key sets kept per call; a phone holds far fewer calls (the core's per-line maxCalls). */
const MAX_CALL_SETS = 32;

/** PhoneBookResult holds at most 16 users (messages.ts). */
const PHONEBOOK_MAX = 16;

/** Seed soft key events 19 Play, 20 Store, 21 Delete (docs/sscp.md §2) act on the current voicemail message. */
const VOICEMAIL_KEYS: Readonly<Record<number, 'play' | 'store' | 'delete'>> = { 19: 'play', 20: 'store', 21: 'delete' };

let nextId = 1;

export class SscpSession implements StationSink {
  readonly id = nextId++;
  lastRx: number;
  private view: 'Local' | 'Conversation' = 'Local';
  /** The set sent last (the default for a FunctionKeyPage that names no call). */
  private keys: KeyState = { line: 0, ref: 0, set: 'OnHook', page: 1 };
  /** Each live call's set, by call reference, so a FunctionKeyPage pages the phone's selected call (§5). */
  private readonly callKeys = new Map<number, KeyState>();

  constructor(
    readonly device: DeviceConfig,
    public peer: SscpPeer,
    /** Soft key slots from Register <Display softkeys>; 0 = send whole sets (the phone pages itself). */
    public softkeySlots: number,
    private readonly host: SscpSessionHost,
    now: number,
  ) { this.lastRx = now; }

  get name(): string { return this.device.name; }
  /** StationSink: the CM's address towards this phone (RTP proxy bind default), when known. */
  get localAddress(): string | undefined { return this.host.localAddress; }
  /** "ip:port" / "[ip6]:port" with IPv4-mapped IPv6 (RFC 4291 §2.5.5.2) shown as plain IPv4. */
  get peerText(): string {
    const a = this.peer.address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
    return a.includes(':') ? `[${a}]:${this.peer.port}` : `${a}:${this.peer.port}`;
  }

  write(name: string, fields: SscpFields): void { this.host.send(this.peer, this.name, { name, fields }); }

  /** StationSink: one CmCommand → SSCP message(s). */
  send(cmd: CmCommand): void {
    if (cmd.t === 'softkeys') {
      this.keys = { line: cmd.line, ref: cmd.ref, set: cmd.set, page: 1 };
      if (cmd.ref > 0) {
        this.callKeys.delete(cmd.ref);
        this.callKeys.set(cmd.ref, this.keys);
        // Bounded even if a CallState onhook went missing: the oldest call's set goes first.
        if (this.callKeys.size > MAX_CALL_SETS) this.callKeys.delete(this.callKeys.keys().next().value!);
      }
      this.sendSoftKeys(this.keys, false);
      return;
    }
    if (cmd.t === 'callState' && (cmd.state === 'onhook' || cmd.state === 'idle')) this.callKeys.delete(cmd.ref);
    for (const m of commandToSscp(cmd)) {
      if (m.name === 'Layout') {
        this.view = m.fields.view === 'Conversation' ? 'Conversation' : 'Local';
        // A view change keeps the call's function-key page (§5 "Layout"): say which it is.
        const k = this.callKeys.get(Number(m.fields.callId) || 0);
        if (k?.pages !== undefined && k.pages > 1) m.fields = { ...m.fields, page: k.page, pages: k.pages };
      }
      this.host.send(this.peer, this.name, m);
    }
  }

  /** What follows RegisterAck: line and speed-dial status, voicemail lamps off, idle soft keys, local view. */
  sendStatus(): void {
    const cfg = this.host.config;
    this.device.lines.forEach((n, i) => {
      const line = cfg.lines.find((l) => l.number === n);
      this.write('LineStatus', { line: i + 1, number: n, label: (line?.label ?? line?.name ?? '').slice(0, 32),
        displayName: (line?.name ?? '').slice(0, 64) });
      this.write('Lamp', { target: 'message', instance: i + 1, mode: 'off' });
    });
    this.device.speeddials.forEach((sd, i) => this.write('SpeedDialStatus', { index: i + 1, address: sd.number, label: sd.label.slice(0, 32) }));
    this.keys = { line: 0, ref: 0, set: 'OnHook', page: 1 };
    this.callKeys.clear();
    this.view = 'Local';
    this.sendSoftKeys(this.keys, true);
  }

  /** SoftKeySet for one call's set (or the default set) at its page; with `layout` (or when paged) also 124 Layout. */
  private sendSoftKeys(k: KeyState, layout: boolean): void {
    const all = softKeysFor(this.device, k.set);
    const slots = this.softkeySlots > 0 ? this.softkeySlots : all.length || 1;
    // A set longer than the phone's softkeys goes slots - 1 keys a page: the last softkey is the
    // phone's "more" (our extension, docs/sscp.md §5 "Layout").
    const per = all.length > slots && slots > 1 ? slots - 1 : slots;
    const pages = Math.max(1, Math.ceil(all.length / per));
    k.page = Math.min(Math.max(1, k.page), pages);
    k.pages = pages;
    const keys = all.slice((k.page - 1) * per, k.page * per);
    const where: SscpFields = { ...(k.line > 0 ? { line: k.line } : {}), ...(k.ref > 0 ? { callId: String(k.ref) } : {}) };
    this.write('SoftKeySet', { ...where, keys: keys.map((x) => ({ label: x.label, event: x.event })) });
    if (layout || pages > 1) this.write('Layout', { view: this.view, page: k.page, pages, ...where });
  }

  /** One message from the phone (already known to come from this session's address). */
  dispatch(m: SscpDecoded): void {
    const f = m.fields;
    const core = this.host.core;
    const name = this.name;
    const n = (k: string): number => (typeof f[k] === 'number' ? f[k] as number : 0);
    const s = (k: string): string => (typeof f[k] === 'string' ? f[k] as string : '');
    switch (m.name) {
      case 'KeepAlive': return this.write('KeepAliveAck', {});
      case 'Unregister': return this.host.unregister(this);
      case 'OffHook': return core.offHook(name, n('line'));
      case 'OnHook': return core.onHook(name);
      case 'HookFlash': return this.host.log.debug?.(`${name}: HookFlash ignored (no feature bound)`);
      case 'Digit': {
        const key = keypadKey(s('key'));
        return key === undefined ? undefined : core.keypad(name, key);
      }
      case 'Dial': return core.dial(name, s('number'), n('line'));
      case 'LineButton': return core.lineButton(name, n('line'));
      case 'SpeedDial': return core.speedDial(name, n('index'));
      case 'SoftKeyEvent': {
        const ev = n('event');
        const key = softKeyOf(ev);
        if (key) return core.softkey(name, key, n('line'), Number(s('callId')) || 0);
        const vmKey = VOICEMAIL_KEYS[ev];
        if (vmKey && core.voicemailKey(name, vmKey)) return;
        this.host.log.info(`${name}: soft key event ${ev} (${s('eventName')}) not implemented`);
        return this.write('Notify', { text: 'Not available', timeoutS: 5 });
      }
      case 'Forward': { // seed example 10: Address number sets the forward, empty or "0" cancels; Mode (our extension) all/busy/no answer
        const mode = s('mode') || 'All';
        const to = s('number') === '0' ? '' : s('number');
        const r = mode === 'All' ? core.setForward(name, n('line'), to) : core.setCondForward(name, n('line'), mode === 'Busy' ? 'busy' : 'noAnswer', to);
        if (!r.ok) this.write('Notify', { text: `Forward refused: ${r.reason ?? ''}`.slice(0, 64), timeoutS: 5 });
        return;
      }
      case 'HeadsetStatus': return this.host.log.debug?.(`${name}: headset ${s('mode')}`);
      case 'PhoneBook': return this.phoneBook(s('userId'), s('lastName'), s('firstName'));
      case 'MediaOpenAck': return core.mediaReady(name, n('mediaId'), 0, s('localIp'), n('localPort'));
      case 'FunctionKeyPage': {
        // With a CallIdentifier (our extension, docs/sscp.md §5): that call's set; without: the set sent last.
        const ref = Number(s('callId')) || 0;
        const k = ref > 0 ? this.callKeys.get(ref) : this.keys;
        if (!k) return this.host.log.info(`${name}: FunctionKeyPage for call ${ref}, which has no soft key set, ignored`);
        k.page = n('page') || 1;
        return this.sendSoftKeys(k, true);
      }
      default:
        this.host.log.warn(`${name} (${this.peerText}): unexpected ${m.name} from a phone ignored`);
    }
  }

  /**
   * Directory query (seed example 14) over the configured lines: name or number contains the query.
   * Each User carries the line's presence (our extension, docs/sscp.md §2); the list is cut to what
   * fits one datagram (codec.ts SSCP_MAX_DATAGRAM) as well as to 16 entries.
   */
  private phoneBook(userId: string, last: string, first: string): void {
    const q = [userId, last, first].map((x) => x.toLowerCase()).filter(Boolean);
    const users = this.host.config.lines
      .filter((l) => q.every((x) => l.name.toLowerCase().includes(x) || l.number.includes(x)))
      .slice(0, PHONEBOOK_MAX)
      .map((l) => ({ userId: l.number, lastName: l.name.slice(0, 64), number: l.number, presence: this.host.core.presenceOf(l.number) }));
    while (users.length > 0 && !fitsDatagram(this.name, users)) users.pop();
    this.write('PhoneBookResult', { users });
  }
}

/** PhoneBookResult with `users` fits one datagram, with the largest envelope the transport adds (seq, ack, sid). */
function fitsDatagram(device: string, users: SscpFields['users']): boolean {
  try {
    encodeSscp({ name: 'PhoneBookResult', fields: { users: users! }, seq: 0xffffffff, ack: 0xffffffff, sid: 'f'.repeat(16), device });
    return true;
  } catch (e) {
    if (e instanceof SscpEncodeError) return false;
    throw e;
  }
}
