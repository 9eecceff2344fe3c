/**
 * The call core: a protocol-neutral state machine for basic two-party calls between registered
 * devices. It behaves like Asterisk 20 chan_skinny with earlyrtp=no (docs/sccp.md §5): the CM
 * plays dial tone, ringback, busy and reorder as station tones; media flows phone to phone once
 * both receive channels are open. Inputs are station events; outputs are CmCommands to sinks.
 * Time (interdigit timeouts) comes from the injected Clock.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../hal/api/clock.js';
import { CallMedia, type MediaRelay } from './call-media.js';
import type { CallManagerConfig, LineConfig } from './config.js';
import { pickCodec, type CodecName } from './codec-choice.js';
import { DialPlan } from './dialplan.js';
import { FeatureRouter, type CoreOps, type Target } from './features/router.js';
import type { CmCommand, StationSink } from './station.js';
import { silentLogger, type Logger } from './log.js';
import type { KeypadKey, SoftKeyName } from './inputs.js';
import { uiCommands, type CallUi, type UiArgs } from './call-ui.js';
import { InbandTones } from './features/inband-tones.js';
import { ChanSkinny } from './features/chan-skinny.js';
import type { CmStorage } from './store/storage.js';
import { ForeignStreams } from './foreign-streams.js';
import { MultiCall } from './multi-call.js';
import type { CallHost } from './features/recall.js';
import type { MediaServices } from './media/services.js';
import { Pickup } from './features/pickup.js';
import { toggleDnd } from './features/dnd.js';
import { ConferenceCalls } from './conference-calls.js';
import { HoldMusic } from './hold-music.js';
import { CallFeatures } from './features/call-features.js';
import { PresenceBook, type Presence } from './presence.js';
import { BlfSpeedDials } from './features/blf.js';

export type { Call, CallEvent, CoreResult, Device, Leg, LegEvent, LegState, Party } from './call-types.js';
import type { Call, CallEvent, CoreResult, Device, Leg, LegEvent, LegState, Party } from './call-types.js';

export class CallCore {
  readonly events = new EventEmitter();
  private readonly devices = new Map<string, Device>();
  private readonly lineOwner = new Map<string, { dev: Device; instance: number; line: LineConfig }>();
  private readonly plan: DialPlan;
  private nextRef = 1;
  /** Streams phones hold from a call another CM set up (docs/security.md §8). */
  private readonly foreign = new ForeignStreams();
  private readonly log: Logger;
  private readonly media: CallMedia;
  /** Forward all, blind transfer, voicemail (callmanager/features/). */
  readonly fx: FeatureRouter;
  /** Busy/reorder over RTP, and the rest of `server.compat: chan_skinny` (features/chan-skinny.ts). */
  private readonly inband: InbandTones;
  private readonly compat: ChanSkinny;
  /** Several calls per line: call waiting, per-call keys, consult transfer (multi-call.ts). */
  private readonly multi: MultiCall;
  /** PickUp / GPickUp (features/pickup.ts). */
  private readonly pickup: Pickup;
  /** Ad-hoc conference, Join, RmLstC and meet-me rooms on the media services' bridges (conference-calls.ts). */
  private readonly conf: ConferenceCalls;
  /** Music on hold to held parties (hold-music.ts); `holdMusic.stop(leg)` before moving a leg's media elsewhere. */
  readonly holdMusic: HoldMusic;
  /** Group call park and callback at busy (features/call-features.ts). */
  readonly features: CallFeatures;
  /** Line presence for directories and BLF speed dials (presence.ts); changes are 'presence' events. */
  private readonly presenceBook: PresenceBook;
  /** Busy-lamp-field speed dials follow presence (features/blf.ts). */
  private readonly blf: BlfSpeedDials;

  /**
   * `storage`: forwards, DND, redial and voicemail kept across restarts (store/storage.ts, docs/state.md).
   * `services`: the CM's own media (conference bridges, meet-me rooms, music on hold; media/services.ts).
   */
  constructor(private readonly config: CallManagerConfig, private readonly clock: Clock, log?: Logger, relay?: MediaRelay, storage?: CmStorage,
    readonly services?: MediaServices) {
    this.log = log ?? silentLogger;
    this.media = new CallMedia({ config, log: this.log, ...(relay ? { relay } : {}),
      send: (leg, cmd) => this.send(leg as Leg, cmd),
      fail: (leg, reason) => { this.log.warn(reason); if ((leg as Leg).dev.leg === leg) this.hangup(leg as Leg, false); } });
    this.holdMusic = new HoldMusic({ log: this.log, send: (leg, cmd) => this.send(leg, cmd),
      ...(services && config.moh.enabled ? { moh: services.moh } : {}) });
    const lines = new Map(config.lines.map((l) => [l.number, l]));
    for (const d of config.devices) {
      const dev: Device = { name: d.name, lines: d.lines.map((n) => lines.get(n)!), speeddials: d.speeddials, codecs: [], dnd: false, calls: [] };
      this.devices.set(d.name, dev);
      dev.lines.forEach((l, i) => this.lineOwner.set(l.number, { dev, instance: i + 1, line: l }));
    }
    this.presenceBook = new PresenceBook((n) => this.lineOwner.get(n), (ch) => this.events.emit('presence', ch),
      (n) => this.features.park.slotPresence(n));
    this.blf = new BlfSpeedDials({ devices: () => this.devices.values(), presenceOf: (n) => this.presenceOf(n) }, this.events);
    this.fx = new FeatureRouter(this.ops(), config, clock, this.log, storage);
    this.inband = new InbandTones(clock, this.log, (leg, cmd) => this.send(leg as Leg, cmd));
    this.compat = new ChanSkinny(config.server.compat === 'chan_skinny', clock, this.log);
    this.pickup = new Pickup({ config, owner: (n) => this.lineOwner.get(n), speakerOffHook: (d, line) => this.speakerOffHook(d.name, line),
      detachCall: (l) => this.ops().detachCall(l), teardown: (l) => this.teardown(l), send: (l, c) => this.send(l, c), answer: (l) => this.answer(l) });
    this.features = new CallFeatures(this.featureHost());
    this.plan = new DialPlan([...lines.keys(), ...this.fx.numbers(), ...this.pickup.numbers(), ...this.features.numbers(), ...config.meetme.map((m) => m.number)]);
    const ops = this.ops();
    this.multi = new MultiCall({ config,
      hold: (l) => this.hold(l), resume: (l) => this.resume(l), answer: (l) => this.answer(l),
      startDialing: (d, line) => this.startDialing(d, line), notAvailable: (n, w) => this.notAvailable(n, w),
      detachCall: (l) => ops.detachCall(l), teardown: (l) => this.teardown(l), tell: (l, ui, args) => this.tell(l, ui, args),
      send: (l, c) => this.send(l, c), openMedia: (c) => this.openMedia(c), emit: (ev) => this.emit(ev),
      lineOf: (l) => this.lineOf(l), other: (l) => this.other(l) });
    this.conf = new ConferenceCalls({ config, log: this.log, ...(services ? { services } : {}),
      hold: (l) => this.hold(l), startDialing: (d, line) => this.startDialing(d, line), detachCall: (l) => ops.detachCall(l),
      teardown: (l) => this.teardown(l), hangup: (l, u) => this.hangup(l, u), closeMedia: (l) => this.closeMedia(l), stopHoldMusic: (l) => this.holdMusic.stop(l),
      reorder: (l, text) => this.reorder(l, 'invalidnumber', text), tell: (l, ui, args) => this.tell(l, ui, args),
      send: (l, c) => this.send(l, c), other: (l) => this.other(l) });
  }

  // ---- registration -------------------------------------------------------------------------

  attach(name: string, sink: StationSink): void {
    const dev = this.dev(name);
    if (dev.sink && dev.sink !== sink) this.detach(name);
    dev.sink = sink;
    this.fx.attached(dev);
    this.features.attached(dev);
    this.presenceBook.touch(dev);
    this.blf.attached(dev);
  }
  /** The station's session ended: its call ends, the far end gets the "call ended" treatment. */
  detach(name: string, sink?: StationSink): void {
    const dev = this.devices.get(name);
    if (!dev || (sink && dev.sink !== sink)) return;
    const legs = [...dev.calls]; // the focused call and any held or waiting ones
    const endAll = () => { for (const l of legs) if (dev.calls.includes(l)) this.hangup(l, false); };
    // chan_skinny keeps a call the station left without OnHook for a while (features/chan-skinny.ts).
    if (legs.length > 0 && !this.compat.keepStale(name, endAll)) endAll();
    dev.sink = undefined;
    dev.codecs = [];
    this.foreign.take(name); // the phone's next CM deals with them
    this.presenceBook.touch(dev);
  }
  /** Stops the core's own timers (chan_skinny stale calls) and in-band tones; the CM is shutting down. */
  close(): void {
    this.compat.close();
    this.features.close();
    for (const d of this.devices.values()) if (d.leg) this.inband.stop(d.leg);
  }
  /** The codecs the station can receive (registry names, firmware/media/codecs.ts). */
  setCapabilities(name: string, codecs: CodecName[]): void { this.dev(name).codecs = codecs; }
  legState(name: string): LegState | 'idle' { return this.devices.get(name)?.leg?.state ?? 'idle'; }
  lastDialed(name: string): string | undefined { return this.devices.get(name)?.lastDialed; }

  // ---- third-party call control (third-party.ts, docs/tsp.md §3) --------------------------

  /** Presence of directory number `number` (presence.ts); 'unknown' when it is no line of this CM. */
  presenceOf(number: string): Presence { return this.presenceBook.of(number); }

  isRegistered(name: string): boolean { return !!this.devices.get(name)?.sink; }
  /** SetSpeakerMode(On), then the OffHook path; the leg goes back to speaker off when it ends. */
  speakerOffHook(name: string, line = 1): void {
    const dev = this.dev(name);
    if (dev.leg) return;
    dev.sink?.send({ t: 'speaker', on: true });
    this.offHook(name, line);
    const leg = dev.leg as Leg | undefined; // set by offHook (TS narrowed it to undefined above)
    if (leg) leg.speaker = true;
  }
  /** The device's current call as observers know it (LegEvent.callId), if any. */
  currentCall(name: string): { callId: number; state: LegState } | undefined {
    const leg = this.devices.get(name)?.leg;
    return leg ? { callId: leg.cid, state: leg.state } : undefined;
  }

  // ---- station input ------------------------------------------------------------------------

  offHook(name: string, line = 0): void {
    const dev = this.dev(name);
    const leg = dev.leg;
    if (this.compat.ignoresOffHook(name, !!leg)) return;
    if (leg?.state === 'ringin') return this.answer(leg);
    if (leg) return; // already off hook (NewCall then handset lifted, or held call)
    this.startDialing(dev, line);
  }

  onHook(name: string): void {
    this.closeForeign(name);
    const leg = this.dev(name).leg;
    if (!leg || leg.state === 'ringin') return; // a ringing phone's hook is down already
    if (leg.state === 'hold') return; // 7960-like: hanging up keeps the held call parked on the line
    this.hangup(leg, true);
  }

  /** A keypad key (callmanager/inputs.ts). */
  keypad(name: string, key: KeypadKey): void {
    const leg = this.dev(name).leg;
    if (!leg || leg.state !== 'dialing') return; // in a call the phone sends DTMF in RTP
    if (key === this.config.dialplan.terminator) return this.dialNow(leg);
    if (leg.digits.length === 0) {
      this.send(leg, { t: 'stopTone', line: leg.line, ref: leg.ref });
      this.send(leg, { t: 'softkeys', line: leg.line, ref: leg.ref, set: 'DigitsFollowing' });
    }
    leg.digits += key;
    this.evaluate(leg);
  }

  /** EnblocCall, speed dial, redial: a whole number at once. */
  dial(name: string, number: string, line = 0): void {
    const dev = this.dev(name);
    if (!dev.leg) this.startDialing(dev, line);
    const leg = dev.leg!;
    if (leg.state !== 'dialing') return;
    if (leg.digits.length === 0) this.send(leg, { t: 'stopTone', line: leg.line, ref: leg.ref });
    leg.digits = number;
    this.dialNow(leg);
  }

  /**
   * A soft key (callmanager/inputs.ts) pressed on line instance `line` (0 = the current call's) for
   * call `ref` (the phone's selected call; 0 = the focused one).
   */
  softkey(name: string, key: SoftKeyName, line = 0, ref = 0): void {
    const dev = this.dev(name);
    const sel = ref ? dev.calls.find((l) => l.ref === ref) : undefined;
    const leg = sel ?? dev.leg;
    if (this.features.softkey(dev, key, leg)) return; // Park, CallBack
    switch (key) {
      case 'newCall': return this.multi.newCall(dev, line);
      case 'redial':
        if (dev.lastDialed && (!leg || (leg.state === 'dialing' && leg.digits === ''))) this.dial(name, dev.lastDialed, line);
        else if (!dev.lastDialed) dev.sink?.send({ t: 'notify', text: 'No number to redial', timeoutS: 5 });
        return;
      case 'answer': return this.multi.answerKey(dev, leg);
      case 'endCall': if (leg) this.hangup(leg, true); return;
      case 'hold': if (leg?.state === 'connected') this.hold(leg); return;
      case 'resume': if (this.conf.resume(dev, sel)) return; return this.multi.resumeKey(dev, leg);
      case 'confrn': return this.conf.confrn(dev, leg);
      case 'join': return this.conf.join(dev, leg);
      case 'rmLstC': return this.conf.rmLstC(dev, leg);
      case 'meetMe': return this.conf.meetMe(dev, leg, line);
      case 'backspace': if (leg?.state === 'dialing') this.backspace(leg); return;
      case 'dial': if (leg?.state === 'dialing') this.dialNow(leg); return;
      case 'transfer':
        if (leg?.held && leg.state === 'dialing') return this.dialNow(leg); // Transfer again completes (docs/features.md §2)
        if (leg?.held && leg.consult && (leg.state === 'ringout' || leg.state === 'connected')) return this.multi.completeConsult(leg);
        if (leg?.state === 'connected' && !this.conf.has(leg)) this.fx.startTransfer(leg, this.multi.transferMode(leg) === 'consult');
        else if (leg?.state === 'ringout') this.notAvailable(name, 'Transfer while ringing out (not a consultation)');
        return;
      case 'cfwdAll': return this.fx.cfwdAll(dev, line);
      case 'cfwdBusy': return this.fx.cond.key(dev, line, 'busy'); // features/forward-cond.ts
      case 'cfwdNoAnswer': return this.fx.cond.key(dev, line, 'noAnswer');
      case 'pickUp': return this.pickup.pickUp(dev, line); // features/pickup.ts
      case 'gPickUp': return this.pickup.gPickUp(dev, line);
      case 'iDivert': return void this.fx.iDivert(dev, leg); // features/idivert.ts
      // features/dnd.ts; DND off may free a line a callback waits for (features/camp-on.ts)
      case 'dnd': return toggleDnd(dev, (d) => { this.fx.deviceChanged(d); this.features.deviceChanged(); this.presenceBook.touch(dev); });
      default: return this.notAvailable(name, `soft key ${key}`);
    }
  }

  /** An input the core has no feature for: "Not available" on the phone, logged. */
  notAvailable(name: string, what: string): void {
    this.dev(name).sink?.send({ t: 'notify', text: 'Not available', timeoutS: 5 });
    this.log.info(`${name}: ${what} not implemented`);
  }

  /** The line button of line instance `line`: answers a ringing call, or goes off hook on that line. */
  lineButton(name: string, line: number): void {
    const dev = this.dev(name);
    if (dev.leg?.state === 'ringin') this.answer(dev.leg);
    else if (!dev.leg) this.startDialing(dev, line);
  }
  /** Speed dial button `index` (1-based, the device's speeddials). */
  speedDial(name: string, index: number): void {
    const sd = this.dev(name).speeddials[index - 1];
    if (sd) this.dial(name, sd.number);
  }
  /** A fixed Hold button: holds the connected call, resumes a held one. */
  holdButton(name: string): void { this.softkey(name, this.dev(name).leg?.state === 'hold' ? 'resume' : 'hold', 0); }

  /** SSCP Forward (docs/sscp.md §2 #10): forward all of line `line` to `number` ('' cancels). */
  setForward(name: string, line: number, number: string): CoreResult { return this.fx.setForward(this.dev(name), line || 1, number); }
  forwardOf(name: string, line: number): string { return this.fx.forwardOf(this.dev(name), line || 1); }
  /** SSCP Forward with Mode Busy / NoAnswer (docs/sscp.md §2 #10): forward busy / no answer of line `line` ('' cancels). */
  setCondForward(name: string, line: number, kind: 'busy' | 'noAnswer', number: string): CoreResult { return this.fx.cond.set(this.dev(name), line || 1, kind, number); }
  condForwardOf(name: string, line: number, kind: 'busy' | 'noAnswer'): string { return this.fx.cond.get(this.dev(name).lines[(line || 1) - 1]?.number ?? '', kind) ?? ''; }
  /** Play / Store / Delete (SSCP soft key events 19-21) during a voicemail call. */
  voicemailKey(name: string, key: 'play' | 'store' | 'delete'): boolean { return this.fx.key(this.dev(name), key); }

  /** OpenReceiveChannelAck: the station listens for RTP at ip:port for leg `passThru`. */
  mediaReady(name: string, passThru: number, status: number, ip: string, port: number): void {
    if (this.holdMusic.ready(name, passThru, status, ip, port)) return;
    if (this.conf.mediaReady(this.dev(name), passThru, status, ip, port)) return; // a bridge participant (conference-calls.ts)
    const leg = this.dev(name).leg;
    if (!leg || leg.ref !== passThru || !leg.mediaOpen) {
      if (status === 0 && passThru !== 0 && leg?.ref !== passThru && this.foreign.note(name, passThru)) {
        // docs/security.md §8: a stream this CM did not open (a call set up by another CM before a failover).
        this.log.info(`${name}: holds stream ${passThru} (${ip}:${port}) this CM did not open; it is closed when the phone goes on hook`);
        this.events.emit('foreign-stream', { device: name, passThruPartyId: passThru });
      } else this.log.warn(`${name}: OpenReceiveChannelAck for unknown passThruPartyId ${passThru} ignored`);
      return;
    }
    if (status !== 0) { // MediaStatus, docs/sccp.md §4
      this.log.warn(`${name}: OpenReceiveChannel failed with MediaStatus ${status}; ending call`);
      return this.hangup(leg, false);
    }
    if (this.inband.ready(leg, ip, port)) return;
    this.media.ready(leg, ip, port);
  }

  // ---- internals ----------------------------------------------------------------------------

  /** On hook: StopMediaTransmission + CloseReceiveChannel for every stream the phone holds that this CM did not open. */
  private closeForeign(name: string): void {
    const ids = this.foreign.take(name);
    const dev = this.devices.get(name);
    if (ids.length === 0 || !dev?.sink) return;
    for (const id of ids) {
      dev.sink.send({ t: 'stopMedia', ref: id, passThru: id });
      dev.sink.send({ t: 'closeReceive', ref: id, passThru: id });
    }
    this.log.info(`${name}: on hook; closed stream(s) ${ids.join(', ')} this CM did not open`);
    this.events.emit('foreign-streams-closed', { device: name, passThruPartyIds: ids });
  }

  /** A fresh leg ref (= passThruPartyId); skips ids a phone still holds from another CM. */
  private newRef(): number {
    let ref = this.nextRef++;
    while (this.foreign.has(ref)) ref = this.nextRef++;
    return ref;
  }

  private dev(name: string): Device {
    const d = this.devices.get(name);
    if (!d) throw new Error(`call core: unknown device "${name}" (not in the config)`);
    return d;
  }
  /** Every command to a station goes through here; CallState and CallInfo are also published as 'leg' events. */
  private send(leg: Leg, cmd: CmCommand): void {
    leg.dev.sink?.send(cmd);
    if (cmd.t === 'callState') {
      leg.shown = cmd.state;
      this.presenceBook.touch(leg.dev);
      this.events.emit('leg', this.legEvent(leg, 'state'));
    } else if (cmd.t === 'callInfo') {
      leg.party = { callingName: cmd.callingName, calling: cmd.calling, calledName: cmd.calledName, called: cmd.called };
      this.events.emit('leg', this.legEvent(leg, 'info'));
    }
  }
  /** What the phone is told for `ui` (call-ui.ts, one table). */
  private tell(leg: Leg, ui: CallUi, args?: UiArgs): void {
    for (const a of uiCommands(ui, leg.line, leg.ref, args, this.compat.on ? 'chan_skinny' : 'default')) {
      if (a.t === 'inband') this.inband.play(leg, a.tone); else this.send(leg, a);
    }
  }
  private legEvent(leg: Leg, kind: 'state' | 'info'): LegEvent {
    return { device: leg.dev.name, line: leg.line, callId: leg.cid, kind, state: leg.shown, party: { ...leg.party } };
  }
  private lineOf(leg: Leg): LineConfig { return leg.dev.lines[leg.line - 1] ?? leg.dev.lines[0]!; }
  private arm(leg: Leg, seconds: number, fn: () => void): void {
    this.clock.clearTimeout(leg.timer);
    leg.timer = this.clock.setTimeout(() => { leg.timer = undefined; fn(); }, seconds * 1000);
  }
  private disarm(leg: Leg): void { this.clock.clearTimeout(leg.timer); leg.timer = undefined; }

  /**
   * A new call leg on line instance `line` of `dev`, listed in dev.calls; it becomes the focused call
   * when `focus` (default: when the device has none). `cid` is the call id observers see (default: its own ref).
   */
  private addLeg(dev: Device, line: number, state: LegState, party: Party, focus = !dev.leg, cid?: number): Leg {
    const ref = this.newRef();
    const leg: Leg = { dev, line, ref, state, digits: '', mediaOpen: false, mediaStarted: false, cid: cid ?? ref, party, shown: 'onhook' };
    if (focus) dev.leg = leg;
    dev.calls.push(leg);
    return leg;
  }

  private startDialing(dev: Device, line: number): void {
    const inst = line >= 1 && line <= dev.lines.length ? line : 1;
    const me = dev.lines[inst - 1] ?? dev.lines[0]!;
    const leg = this.addLeg(dev, inst, 'dialing', { callingName: me.name, calling: me.number, calledName: '', called: '' }, true);
    this.tell(leg, 'dialing');
    this.arm(leg, this.config.dialplan.firstDigitTimeout, () => this.reorder(leg, 'congestion', 'Dial timeout'));
  }

  private evaluate(leg: Leg): void {
    const m = this.plan.classify(leg.digits);
    const dp = this.config.dialplan;
    if (m.kind === 'exact') return this.dialNow(leg);
    if (m.kind === 'none') return this.reorder(leg, 'invalidnumber', 'Unknown number');
    if (m.kind === 'ambiguous') return this.arm(leg, dp.ambiguousTimeout, () => this.dialNow(leg));
    this.arm(leg, dp.interdigitTimeout, () => this.dialNow(leg));
  }

  private backspace(leg: Leg): void {
    if (!leg.digits) return;
    leg.digits = leg.digits.slice(0, -1);
    this.send(leg, { t: 'backspace', line: leg.line, ref: leg.ref });
    if (leg.digits) return this.evaluate(leg);
    this.tell(leg, 'redial');
    this.arm(leg, this.config.dialplan.firstDigitTimeout, () => this.reorder(leg, 'congestion', 'Dial timeout'));
  }

  /** Places the call to the collected digits, or gives reorder when they are not a number. */
  private dialNow(leg: Leg): void {
    this.disarm(leg);
    if (leg.state !== 'dialing') return;
    const number = leg.digits;
    if (!number) return this.reorder(leg, 'congestion', 'Dial timeout');
    if (leg.mode === 'groupPickup') return this.pickup.dialed(leg, number);
    if (this.fx.dialed(leg, number) || this.features.dialed(leg, number)) return;
    if (this.conf.dialed(leg, number)) return; // a meet-me room, or MeetMe then a number that is none
    if (!this.lineOwner.has(number)) return this.reorder(leg, 'invalidnumber', 'Unknown number');
    leg.dev.lastDialed = number;
    this.fx.deviceChanged(leg.dev);
    this.place(leg, number, false);
  }

  /** Calls `number` from `leg` (a dialling leg, or the far party of a blind transfer): forwards, busy, voicemail. */
  private place(leg: Leg, number: string, transferred: boolean): void {
    const l = leg.line; const r = leg.ref;
    const me = this.lineOf(leg);
    const first = this.lineOwner.get(number)!;
    const final = this.fx.forwards.resolve(number);
    const target = this.lineOwner.get(final)!;
    this.send(leg, { t: 'callInfo', line: l, ref: r, callingName: me.name, calling: me.number,
      calledName: first.line.name, called: number, direction: 'outbound' });
    if (!transferred) this.send(leg, { t: 'dialedNumber', line: l, ref: r, number });
    const original = final !== number ? { number, name: first.line.name } : undefined;
    if (!target.dev.sink) return this.reorder(leg, 'congestion', 'Unavailable');
    if (this.multi.admit(target) === 'busy') {
      const fwd = this.fx.busyForward(final); // forward busy (features/forward-cond.ts), else the mailbox
      if (fwd) return this.ring(leg, fwd as Target, number, { number: final, name: target.line.name });
      const vm = this.fx.voicemailTarget(final); // busy callee with a mailbox (docs/features.md §6)
      if (vm) return this.ring(leg, vm, number, original);
      leg.state = 'busy';
      this.tell(leg, 'busy');
      this.emit({ id: r, caller: me.number, callee: number, state: 'busy' });
      return;
    }
    this.ring(leg, target, number, original);
    const callee = target.dev.leg!;
    const secs = this.fx.noAnswerSeconds(final); // forward no answer or the mailbox (features/router.ts)
    if (secs !== undefined) this.arm(callee, secs, () => this.fx.noAnswer(callee, final));
  }

  /** Rings `target` for `leg`'s call; `number` is what the caller sees, `original` the forwarded-from line. */
  private ring(leg: Leg, target: Target, number: string, original?: { number: string; name: string }): void {
    const r = leg.ref;
    const me = this.lineOf(leg);
    const dev = target.dev as Device;
    // A phone talking on another call gets call waiting (place() admitted it): not focused, no ringer.
    const waiting = dev.leg?.state === 'connected';
    const callee = this.addLeg(dev, target.instance, 'ringin',
      { callingName: me.name, calling: me.number, calledName: target.line.name, called: number }, !waiting, r);
    const call: Call = { id: r, caller: leg, callee, codec: pickCodec(leg.dev.codecs, dev.codecs, this.config.server.codecs) };
    leg.call = call; callee.call = call;
    leg.state = 'ringout';
    this.tell(leg, 'ringout', { text: number });
    this.tell(callee, waiting ? 'waiting' : 'ringin', { text: me.number, info: { t: 'callInfo', line: callee.line, ref: callee.ref,
      callingName: me.name, calling: me.number,
      calledName: original?.name ?? target.line.name, called: original?.number ?? target.line.number, direction: 'inbound',
      ...(original ? { originalCalled: original.number, originalCalledName: original.name } : {}) } });
    this.emit({ id: call.id, caller: me.number, callee: number, state: 'ringing' });
  }

  private reorder(leg: Leg, state: 'congestion' | 'invalidnumber', text: string): void {
    this.disarm(leg);
    leg.state = 'reorder';
    this.tell(leg, 'reorder', { state, text });
  }

  private answer(callee: Leg): void {
    if (this.features.answered(callee)) return; // park reversion, callback ring
    const call = callee.call;
    if (!call) return;
    const caller = call.caller;
    this.disarm(callee); // no-answer timer (features/router.ts)
    this.tell(callee, 'answered');
    this.send(caller, { t: 'stopTone', line: caller.line, ref: caller.ref });
    const me = this.lineOf(caller); const them = this.lineOf(callee);
    for (const [leg, dir] of [[caller, 'outbound'], [callee, 'inbound']] as const) {
      leg.state = 'connected';
      this.send(leg, { t: 'callInfo', line: leg.line, ref: leg.ref, callingName: me.name, calling: me.number,
        calledName: them.name, called: them.number, direction: dir });
      this.connectedUi(leg);
    }
    this.openMedia(call);
    this.emit({ id: call.id, caller: me.number, callee: them.number, state: 'connected' });
  }

  private connectedUi(leg: Leg): void { this.tell(leg, 'connected'); }

  private openMedia(call: Call): void { this.holdMusic.stop(call.caller); this.holdMusic.stop(call.callee); this.media.open(call); }
  private closeMedia(leg: Leg): void { this.holdMusic.stop(leg); this.inband.stop(leg); this.media.close(leg); }

  private hold(leg: Leg): void {
    if (this.conf.hold(leg)) return; // a conference leg has no two-party call
    const call = leg.call!;
    const other = call.caller === leg ? call.callee : call.caller;
    call.heldBy = leg;
    this.closeMedia(leg); this.closeMedia(other);
    leg.state = 'hold';
    this.tell(leg, 'hold');
    this.send(other, { t: 'prompt', line: other.line, ref: other.ref, text: 'On hold', timeoutS: 0 });
    this.holdMusic.start(other); // the held party hears music, unless it holds the call itself
    this.emit({ id: call.id, caller: this.lineOf(call.caller).number, callee: this.lineOf(call.callee).number, state: 'hold' });
  }

  private resume(leg: Leg): void {
    const call = leg.call!;
    call.heldBy = undefined;
    leg.state = 'connected';
    this.send(leg, { t: 'activateCallPlane', line: leg.line });
    this.connectedUi(leg);
    const other = call.caller === leg ? call.callee : call.caller;
    this.send(other, { t: 'prompt', line: other.line, ref: other.ref, text: { phrase: 'connected' }, timeoutS: 0 });
    if (other.state === 'hold') this.holdMusic.start(leg); else this.openMedia(call); // both held it: now only the other does
    this.emit({ id: call.id, caller: this.lineOf(call.caller).number, callee: this.lineOf(call.callee).number, state: 'resumed' });
  }

  /**
   * Ends `leg` (teardown to idle) and deals with the far end: a ringing callee is torn down too;
   * a callee declining gives the caller busy; an off-hook far end gets reorder and "Call ended"
   * until it hangs up (like a PSTN line after the other party cleared); a held far end is idled.
   */
  private hangup(leg: Leg, byUser: boolean): void {
    const call = leg.call;
    const was = leg.state;
    this.teardown(leg);
    if (leg.held) this.fx.transferAbandoned(leg, byUser);
    if (!call) return;
    const other = call.caller === leg ? call.callee : call.caller;
    other.call = undefined;
    this.emit({ id: call.id, caller: this.lineOf(call.caller).number, callee: this.lineOf(call.callee).number, state: 'ended' });
    if (other.state === 'ringin' || other.state === 'hold') return this.teardown(other);
    this.closeMedia(other);
    if (was === 'ringin' && byUser) { // declined: the caller hears busy
      other.state = 'busy';
      return this.tell(other, 'declined');
    }
    other.state = 'ended';
    this.tell(other, 'ended');
  }

  /** Full teardown of one leg to idle (docs/sccp.md §5 "Hang-up"). */
  private teardown(leg: Leg): void {
    this.disarm(leg);
    this.conf.left(leg);
    this.closeMedia(leg);
    this.tell(leg, leg.state === 'ringin' ? 'unring' : 'idle');
    if (leg.speaker) this.send(leg, { t: 'speaker', on: false }); // off hook was on the speaker (thirdPartyDial)
    leg.state = 'ended';
    const dev = leg.dev;
    const i = dev.calls.indexOf(leg);
    if (i >= 0) dev.calls.splice(i, 1);
    this.multi.relamp(dev, leg.line); // other calls left on the line keep it lit
    this.features.legEnded(leg);
    if (dev.leg !== leg) return;
    // The focus moves to the most recent remaining call; a waiting call now rings out loud.
    dev.leg = dev.calls.at(-1);
    const next = dev.leg;
    if (next?.state === 'ringin') {
      this.send(next, { t: 'ringer', mode: 'inside' });
      this.send(next, { t: 'lamp', target: 'line', instance: next.line, mode: 'blink' });
    }
  }

  private emit(ev: CallEvent): void { this.events.emit('call', ev); }

  private other(leg: Leg): Leg | undefined { const c = leg.call; return c ? (c.caller === leg ? c.callee : c.caller) : undefined; }

  /** The core operations park and callback drive (features/recall.ts CallHost). */
  private featureHost(): CallHost {
    return { config: this.config, clock: this.clock, log: this.log, services: this.services, holdMusic: this.holdMusic,
      send: (l, c) => this.send(l, c), tell: (l, ui, a) => this.tell(l, ui, a), notify: (d, text, timeoutS) => d.sink?.send({ t: 'notify', text, timeoutS }),
      lineOf: (l) => this.lineOf(l), other: (l) => this.other(l), emit: (ev) => this.emit(ev), detachCall: (l) => this.ops().detachCall(l),
      teardown: (l) => this.teardown(l), reorder: (l, text) => this.reorder(l, 'invalidnumber', text),
      closeMedia: (l) => this.closeMedia(l), openMedia: (c) => this.openMedia(c), place: (l, n) => this.place(l, n, false),
      newLeg: (dev, line, state, party) => this.addLeg(dev, line, state, party), numberChanged: (n) => this.presenceBook.touchNumber(n),
      owner: (n) => this.lineOwner.get(n) };
  }

  /** The core operations features/router.ts drives. */
  private ops(): CoreOps {
    type L = Parameters<CoreOps['send']>[0];
    const L = (x: L) => x as Leg;
    return {
      send: (leg, cmd) => this.send(L(leg), cmd),
      startDialing: (dev, line) => { this.startDialing(dev as Device, line); return (dev as Device).leg!; },
      teardown: (leg) => this.teardown(L(leg)),
      hangup: (leg, byUser) => this.hangup(L(leg), byUser),
      hold: (leg) => this.hold(L(leg)),
      reorder: (leg, text) => this.reorder(L(leg), 'invalidnumber', text),
      other: (leg) => this.other(L(leg)),
      detachCall: (a) => {
        const call = L(a).call; const b = this.other(L(a));
        if (!call || !b) return;
        this.closeMedia(L(a)); this.closeMedia(b);
        L(a).call = undefined; b.call = undefined;
        this.emit({ id: call.id, caller: this.lineOf(call.caller).number, callee: this.lineOf(call.callee).number, state: 'ended' });
      },
      place: (leg, number, transferred) => this.place(L(leg), number, transferred),
      ring: (leg, target, shown, original) => this.ring(L(leg), target, shown, original),
      addDevice: (name, line) => {
        const dev: Device = { name, lines: [line], speeddials: [], codecs: [], dnd: false, calls: [] };
        this.devices.set(name, dev);
        return dev;
      },
      attach: (name, sink) => { this.dev(name).sink = sink; },
      setCapabilities: (name, codecs) => this.setCapabilities(name, codecs),
      offHook: (name) => this.offHook(name),
      onHook: (name) => this.onHook(name),
      mediaReady: (name, p, st, ip, port) => this.mediaReady(name, p, st, ip, port),
      owner: (number) => this.lineOwner.get(number),
      devices: () => this.devices.values(),
      admits: (t) => this.multi.admit(t) !== 'busy',
    };
  }
}
