/**
 * Conferences in the call core (calls.ts), as a Cisco 7960 on CUCM offers them (docs/features.md
 * §2 "Conference", docs/conference.md "Using it from the call core"):
 * - Confrn on a connected call holds it and gives dial tone on a new call; Confrn again on the
 *   consultation call (connected) puts the three parties on one bridge. A connected controller's
 *   Confrn adds a further party the same way, up to maxParticipants.
 * - Join with one held and one connected call on the device merges the two.
 * - RmLstC (the controller) drops the party added last.
 * - Meet-me: dialling a configured room number (from any phone, or after the MeetMe soft key)
 *   joins that room's shared bridge; the room closes when empty.
 * Each participant's phone is re-pointed at its own bridge endpoint: the old stream is closed
 * (CloseReceiveChannel / StopMediaTransmission), OpenReceiveChannel is sent again, and once both
 * the phone's OpenReceiveChannelAck and the bridge endpoint are there, StartMediaTransmission to
 * the endpoint's localAddress:localPort and `bridge.setRemote` with the phone's address.
 */
import type { Device, Leg } from './call-types.js';
import type { CallUi, UiArgs } from './call-ui.js';
import { PACKET_MS } from './call-media.js';
import { CONFIG_NAME_BY_CODEC, pickCodec, type CodecName } from './codec-choice.js';
import type { CallManagerConfig } from './config.js';
import type { Logger } from './log.js';
import type { ConferenceBridge, ParticipantInfo } from './media/conference.js';
import type { MediaServices } from './media/services.js';
import type { CmCommand } from './station.js';

/** The core operations this drives (CallCore passes closures over its private methods). */
export interface ConferenceHost {
  readonly config: CallManagerConfig;
  readonly log: Logger;
  readonly services?: MediaServices;
  hold(leg: Leg): void;
  startDialing(dev: Device, line: number): void;
  /** Ends `leg`'s two-party call quietly (both legs forget it, media closed). */
  detachCall(leg: Leg): void;
  teardown(leg: Leg): void;
  hangup(leg: Leg, byUser: boolean): void;
  /** Closes the phone's receive/transmit streams of `leg` (CloseReceiveChannel, StopMediaTransmission). */
  closeMedia(leg: Leg): void;
  /** Stops music on hold to `leg`'s device for that call (hold-music.ts; idempotent). */
  stopHoldMusic(leg: Leg): void;
  reorder(leg: Leg, text: string): void;
  tell(leg: Leg, ui: CallUi, args?: UiArgs): void;
  send(leg: Leg, cmd: CmCommand): void;
  other(leg: Leg): Leg | undefined;
}

/** One conference: a bridge and its members in the order they joined. */
interface Conference { name: string; bridge: ConferenceBridge; members: Member[]; controller?: Leg; room?: string }
interface Member { leg: Leg; conf: Conference; codec: CodecName; info?: ParticipantInfo; remote?: { ip: string; port: number }; gone?: boolean }

/** What a bridge endpoint can speak (media/leg.ts), as registry names. */
const BRIDGE_CODECS: readonly CodecName[] = ['PCMU', 'PCMA', 'G722'];

export class ConferenceCalls {
  private readonly members = new Map<Leg, Member>();
  /** Consultation call (dialling a party to add) → the held call or conference leg it will join. */
  private readonly consult = new Map<Leg, Leg>();
  /** Legs dialling after the MeetMe soft key: the number must be a room. */
  private readonly meetmeDial = new Set<Leg>();
  private readonly rooms = new Map<string, Conference>();

  constructor(private readonly h: ConferenceHost) {}

  /** True when `leg` is on a bridge (the core's two-party logic must leave it alone). */
  has(leg: Leg | undefined): boolean { return !!leg && this.members.has(leg); }
  /** The meet-me numbers, for the dial plan. */
  numbers(): string[] { return this.h.config.meetme.map((m) => m.number); }

  /** Confrn: start a consultation call (first press) or add the consulted party (second press). */
  confrn(dev: Device, leg: Leg | undefined): void {
    if (!leg) return;
    const target = this.consult.get(leg);
    if (target && leg.state === 'connected') return this.complete(leg, target);
    if (target || leg.state !== 'connected') return; // still dialling or ringing: Confrn waits for an answer
    if (!this.services(dev)) return;
    const m = this.members.get(leg);
    if (m && m.conf.controller !== leg) return this.notice(dev, 'Not the conference controller');
    if (m && m.conf.members.length >= m.conf.bridge.maxParticipants) return this.notice(dev, 'Exceed maximum parties');
    this.h.hold(leg);
    this.h.startDialing(dev, leg.line);
    if (dev.leg && dev.leg !== leg) this.consult.set(dev.leg, leg);
  }

  /** Join: the focused connected call and a held call of the device become one conference. */
  join(dev: Device, leg: Leg | undefined): void {
    const cur = leg?.state === 'connected' ? leg : dev.leg;
    const held = dev.calls.find((l) => l !== cur && l.state === 'hold' && (l.call || this.members.has(l)));
    if (!cur || cur.state !== 'connected' || !held) return this.notice(dev, 'Can not join calls');
    if (!this.services(dev)) return;
    this.complete(cur, held);
  }

  /** RmLstC: the controller drops the participant that joined last; it goes idle. */
  rmLstC(dev: Device, leg: Leg | undefined): void {
    const m = leg ? this.members.get(leg) : undefined;
    if (!m || m.conf.controller !== leg) return this.notice(dev, 'Not the conference controller');
    const last = [...m.conf.members].reverse().find((x) => x.leg !== leg);
    if (last) this.h.hangup(last.leg, true);
  }

  /** MeetMe soft key: dial tone; the number dialled must be a meet-me room. */
  meetMe(dev: Device, leg: Leg | undefined, line: number): void {
    if (!this.services(dev)) return;
    if (!leg) {
      this.h.startDialing(dev, line);
      if (dev.leg) this.meetmeDial.add(dev.leg);
    } else if (leg.state === 'dialing' && leg.digits === '') this.meetmeDial.add(leg);
  }

  /** A dialled number: a meet-me room joins it (true); after MeetMe a number that is none gets reorder (true). */
  dialed(leg: Leg, number: string): boolean {
    const viaKey = this.meetmeDial.delete(leg);
    const s = this.h.services;
    if (!s?.isMeetme(number)) {
      if (viaKey) this.h.reorder(leg, 'Not a conference');
      return viaKey;
    }
    let conf = this.rooms.get(number);
    if (!conf) {
      conf = { name: `meetme ${number}`, bridge: s.meetme(number)!, members: [], room: number };
      this.rooms.set(number, conf);
    }
    if (conf.members.length >= conf.bridge.maxParticipants) { this.h.reorder(leg, 'Exceed maximum parties'); return true; }
    const name = this.h.config.meetme.find((m) => m.number === number)?.name ?? 'Conference';
    const me = leg.dev.lines[leg.line - 1] ?? leg.dev.lines[0]!;
    this.h.send(leg, { t: 'dialedNumber', line: leg.line, ref: leg.ref, number });
    this.h.send(leg, { t: 'callInfo', line: leg.line, ref: leg.ref, callingName: me.name, calling: me.number,
      calledName: name, called: number, direction: 'outbound' });
    this.moveIn(leg, conf);
    return true;
  }

  /** Hold of a conference leg: its phone's streams close, the bridge endpoint stays (true = handled). */
  hold(leg: Leg): boolean {
    const m = this.members.get(leg);
    if (!m) return false;
    this.h.closeMedia(leg);
    leg.state = 'hold';
    this.h.tell(leg, 'hold');
    return true;
  }

  /** Resume of a held conference leg (the selected one, else the device's first): false when there is none. */
  resume(dev: Device, sel: Leg | undefined): boolean {
    const held = sel && this.members.has(sel) && sel.state === 'hold' ? sel
      : sel?.state === 'hold' ? undefined : dev.calls.find((l) => l.state === 'hold' && this.members.has(l));
    if (!held) return false;
    const cur = dev.leg;
    if (cur && cur !== held && cur.state === 'connected') this.h.hold(cur);
    dev.leg = held;
    this.reopen(this.members.get(held)!);
    return true;
  }

  /** OpenReceiveChannelAck for a conference leg (true = handled here). */
  mediaReady(dev: Device, passThru: number, status: number, ip: string, port: number): boolean {
    const leg = dev.calls.find((l) => l.ref === passThru && this.members.has(l));
    const m = leg && this.members.get(leg);
    if (!leg || !m || !leg.mediaOpen) return false;
    if (status !== 0) { // MediaStatus, docs/sccp.md §4
      this.h.log.warn(`${dev.name}: OpenReceiveChannel for ${m.conf.name} failed with MediaStatus ${status}; leaving it`);
      this.h.hangup(leg, false);
      return true;
    }
    m.remote = { ip, port };
    if (m.info) m.conf.bridge.setRemote(m.info.id, ip, port);
    this.start(m);
    return true;
  }

  /** The core tore `leg` down: it leaves its bridge; an emptied conference closes. */
  left(leg: Leg): void {
    this.consult.delete(leg);
    this.meetmeDial.delete(leg);
    for (const [c, t] of this.consult) if (t === leg) this.consult.delete(c);
    const m = this.members.get(leg);
    if (!m) return;
    this.members.delete(leg);
    m.gone = true;
    const conf = m.conf;
    conf.members.splice(conf.members.indexOf(m), 1);
    if (m.info) this.drop(conf, m.info.id);
    this.h.log.info(`${conf.name}: ${leg.dev.name} left; ${conf.members.length} remain`);
    if (conf.controller === leg) conf.controller = conf.members.find((x) => x.leg.dev === leg.dev)?.leg;
    if (conf.members.length === 1 && !conf.room) { // an ad-hoc conference of one is over (CUCM drops it)
      const last = conf.members[0]!.leg;
      this.left(last);
      last.state = 'ended';
      this.h.closeMedia(last);
      this.h.tell(last, 'ended');
      return;
    }
    if (conf.members.length === 0) this.close(conf);
  }

  /**
   * A held two-party call is about to be moved onto a bridge: it stops being held (its media is
   * re-pointed by the caller). Music on hold for its far party stops here (docs/features.md §2).
   */
  leaveHold(leg: Leg): void {
    const call = leg.call;
    if (call) call.heldBy = undefined;
    const far = this.h.other(leg);
    for (const l of far ? [leg, far] : [leg]) this.h.stopHoldMusic(l); // the held party's music (docs/conference.md)
  }

  // ---- internals ----------------------------------------------------------------------------

  /** `cur` (connected, focused) and `target` (held call or held conference leg) of one device become one conference. */
  private complete(cur: Leg, target: Leg): void {
    this.consult.delete(cur);
    const dev = cur.dev;
    const existing = (this.members.get(target) ?? this.members.get(cur))?.conf;
    if (existing) {
      const [member, other] = this.members.has(target) ? [target, cur] : [cur, target];
      const party = this.h.other(other);
      if (!party) return;
      if (existing.members.length >= existing.bridge.maxParticipants) return this.notice(dev, 'Exceed maximum parties');
      this.leaveHold(other);
      this.h.detachCall(other);
      this.h.teardown(other);
      this.moveIn(party, existing);
      if (member.state === 'hold') { dev.leg = member; this.reopen(this.members.get(member)!); }
      return;
    }
    const b = this.h.other(target); const c = this.h.other(cur);
    if (!b || !c) return;
    this.leaveHold(target);
    this.h.detachCall(target); this.h.detachCall(cur);
    this.h.teardown(target);
    const bridge = this.h.services!.conference();
    const conf: Conference = { name: bridge.name, bridge, members: [], controller: cur };
    this.h.log.info(`${conf.name}: ${dev.name} joins ${b.dev.name} and ${c.dev.name}`);
    for (const leg of [cur, b, c]) this.moveIn(leg, conf);
  }

  /** `leg` joins `conf`: the "Conference" screen, OpenReceiveChannel, and a bridge endpoint in its codec. */
  private moveIn(leg: Leg, conf: Conference): void {
    const codec = pickCodec(leg.dev.codecs, BRIDGE_CODECS, this.h.config.server.codecs);
    const m: Member = { leg, conf, codec };
    this.members.set(leg, m);
    conf.members.push(m);
    this.reopen(m);
    conf.bridge.addParticipant({ codec: CONFIG_NAME_BY_CODEC[codec], ptimeMs: PACKET_MS }).then((info) => {
      if (m.gone) return this.drop(conf, info.id);
      m.info = info;
      if (m.remote) conf.bridge.setRemote(info.id, m.remote.ip, m.remote.port);
      this.start(m);
    }, (e: Error) => {
      this.h.log.warn(`${leg.dev.name}: cannot join ${conf.name}: ${e.message}`);
      if (m.gone) return;
      this.notice(leg.dev, 'Exceed maximum parties');
      this.h.hangup(leg, false);
    });
  }

  /** The leg shows the conference and opens its receive channel again (after a join or a resume). */
  private reopen(m: Member): void {
    const leg = m.leg;
    this.h.closeMedia(leg);
    leg.state = 'connected';
    this.h.tell(leg, 'conference');
    leg.mediaOpen = true; leg.mediaStarted = false; leg.rtp = undefined; m.remote = undefined;
    this.h.send(leg, { t: 'openReceive', ref: leg.ref, passThru: leg.ref, ms: PACKET_MS, codec: m.codec });
  }

  /** StartMediaTransmission to the bridge endpoint once the phone listens and the endpoint exists. */
  private start(m: Member): void {
    const leg = m.leg;
    if (!m.info || !m.remote || leg.mediaStarted || !leg.mediaOpen || leg.state !== 'connected') return;
    leg.mediaStarted = true;
    leg.rtp = m.remote;
    this.h.send(leg, { t: 'startMedia', ref: leg.ref, passThru: leg.ref, ip: m.info.localAddress, port: m.info.localPort, ms: PACKET_MS, codec: m.codec });
  }

  private drop(conf: Conference, id: number): void {
    conf.bridge.remove(id).catch((e: Error) => this.h.log.warn(`${conf.name}: removing participant ${id}: ${e.message}`));
  }

  private close(conf: Conference): void {
    if (conf.room) this.rooms.delete(conf.room);
    this.h.log.info(`${conf.name}: empty; bridge closed`);
    conf.bridge.close().catch((e: Error) => this.h.log.warn(`${conf.name}: close: ${e.message}`));
  }

  private services(dev: Device): MediaServices | undefined {
    if (!this.h.services) this.notice(dev, 'No conference bridge');
    return this.h.services;
  }

  private notice(dev: Device, text: string): void {
    dev.sink?.send({ t: 'notify', text, timeoutS: 5 });
    this.h.log.info(`${dev.name}: ${text}`);
  }
}
