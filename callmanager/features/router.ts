/**
 * Feature routing for the call core (calls.ts keeps only the hooks): call forward all (CFwdAll soft
 * key flow of a 79xx on chan-sccp, docs/features.md §2; SSCP Forward, docs/sscp.md §2 #10), blind
 * transfer (docs/features.md §2 "Transfer (press, dial ...)"), and the CM's voicemail with message
 * lamps (SetLamp stimulus 15 VoiceMail, docs/sccp.md §4; SSCP Lamp target message).
 */
import type { Clock } from '../../hal/api/clock.js';
import type { CallManagerConfig, LineConfig } from '../config.js';
import type { CmCommand, StationSink } from '../station.js';
import type { Logger } from '../log.js';
import type { CodecName } from '../../firmware/media/codecs.js';
import { ForwardTable } from './forward.js';
import { CondForwards } from './forward-cond.js';
import { iDivert } from './idivert.js';
import { VoicemailStore } from './voicemail-store.js';
import { VOICEMAIL_CODECS, VoicemailStation, type VoicemailKey } from './voicemail-station.js';
import type { CmStorage } from '../store/storage.js';

export type { CoreOps, FxDevice, FxLeg, LegMode, Target } from './fx-types.js';
import type { CoreOps, FxDevice, FxLeg, Target } from './fx-types.js';

export class FeatureRouter {
  readonly forwards: ForwardTable;
  /** Forward busy / no answer (forward-cond.ts). */
  readonly cond: CondForwards;
  readonly store: VoicemailStore;
  private readonly boxes = new Map<string, { station: VoicemailStation; dev: FxDevice }>();

  constructor(private readonly core: CoreOps, private readonly cfg: CallManagerConfig, clock: Clock, private readonly log: Logger,
    private readonly storage?: CmStorage) {
    this.forwards = new ForwardTable((n) => !!core.owner(n), storage?.db, log);
    this.cond = new CondForwards(core, log, storage?.db, (dev, inst) => dev.sink?.send(this.forwardStat(dev, inst)));
    this.store = storage ? new VoicemailStore(storage.voicemailDir, log, storage.db, storage.messages) : new VoicemailStore(cfg.voicemail.dir, log);
    const saved = new Map((storage?.db.devices() ?? []).map((d) => [d.name, d]));
    for (const dev of core.devices()) {
      const d = saved.get(dev.name);
      if (d) { dev.dnd = d.dnd; dev.lastDialed = d.lastDialed; }
    }
    this.store.onChange = (box) => this.mwi(box);
    const vm = cfg.voicemail;
    for (const d of cfg.devices) {
      if (!d.voicemail) continue;
      for (const number of d.lines) {
        const name = `VM${number}`;
        const station = new VoicemailStation(name, number, { clock, log, store: this.store, config: vm,
          offHook: (n) => core.offHook(n),
          onHook: (n) => core.onHook(n),
          mediaReady: (n, p, s, ip, port) => core.mediaReady(n, p, s, ip, port),
          bindAddress: (n) => this.bindFor(n) });
        const dev = core.addDevice(name, { number: vm.number, name: 'Voicemail', maxCalls: 1, busyTrigger: 1 });
        core.attach(name, station);
        core.setCapabilities(name, VOICEMAIL_CODECS);
        this.boxes.set(number, { station, dev });
      }
    }
  }

  /** A device's DND or redial number changed: it is saved (docs/state.md §2). */
  deviceChanged(dev: FxDevice): void {
    try { this.storage?.db.saveDevice(dev.name, !!dev.dnd, dev.lastDialed); } catch (e) {
      this.log.warn(`storage: cannot save ${dev.name}'s DND/redial: ${(e as Error).message}`);
    }
  }

  /** Numbers the dial plan must know besides the lines. */
  numbers(): string[] { return this.boxes.size ? [this.cfg.voicemail.number] : []; }
  hasMailbox(number: string): boolean { return this.boxes.has(number); }
  /**
   * Seconds a call to line `number` may ring before noAnswer() takes it (the line's noAnswerSeconds,
   * else voicemail.noAnswerSeconds), or undefined when neither a forward no answer nor a mailbox would.
   */
  noAnswerSeconds(number: string): number | undefined {
    if (!this.boxes.has(number) && this.cond.get(number, 'noAnswer') === undefined) return undefined;
    return this.core.owner(number)?.line.noAnswerSeconds ?? this.cfg.voicemail.noAnswerSeconds;
  }
  /** A busy line's forward-busy target that can take the call (one hop, forward-cond.ts). */
  busyForward(number: string): Target | undefined { return this.cond.target(number, 'busy', (t) => this.core.admits(t)); }

  // ---- forward all --------------------------------------------------------------------------

  /** CFwdAll soft key: cancels an active forward, else goes off hook collecting the target. */
  cfwdAll(dev: FxDevice, line: number): void {
    const leg = dev.leg;
    const inst = leg?.line ?? (line >= 1 && line <= dev.lines.length ? line : 1);
    const number = dev.lines[inst - 1]!.number;
    if (leg?.mode === 'forward') return this.core.teardown(leg);
    if (this.forwards.get(number) !== undefined) return void this.setForward(dev, inst, '');
    if (leg && (leg.state !== 'dialing' || leg.digits !== '' || leg.held || leg.mode)) { // leg.mode: another prompt (forward-cond.ts, pickup.ts)
      return dev.sink?.send({ t: 'notify', text: 'Not available', timeoutS: 5 });
    }
    const l = leg ?? this.core.startDialing(dev, inst);
    l.mode = 'forward';
    this.core.send(l, { t: 'prompt', line: l.line, ref: l.ref, text: 'Forward to', timeoutS: 0 });
  }

  /** Sets (number) or cancels ('') forward all on line instance `inst`; tells every owner. */
  setForward(dev: FxDevice, inst: number, target: string): { ok: boolean; reason?: string } {
    const line = dev.lines[inst - 1];
    if (!line) return { ok: false, reason: 'No such line' };
    if (target) {
      const r = this.forwards.set(line.number, target);
      if (!r.ok) return r;
    } else this.forwards.clear(line.number);
    dev.sink?.send(this.forwardStat(dev, inst));
    dev.sink?.send({ t: 'notify', text: target ? `Forwarded to ${target}` : 'Forward cancelled', timeoutS: target ? 0 : 5 });
    this.log.info(`${dev.name}: line ${line.number} forward all ${target ? `→ ${target}` : 'cancelled'}`);
    return { ok: true };
  }

  /** ForwardStat of line instance `inst`: forward all, and busy / no answer when set (forward-cond.ts). */
  forwardStat(dev: FxDevice, inst: number): Extract<CmCommand, { t: 'forwardStat' }> {
    const n = dev.lines[inst - 1]?.number ?? '';
    const busy = this.cond.get(n, 'busy'); const noAnswer = this.cond.get(n, 'noAnswer');
    return { t: 'forwardStat', line: inst, number: this.forwards.get(n) ?? '', ...(busy ? { busy } : {}), ...(noAnswer ? { noAnswer } : {}) };
  }

  forwardOf(dev: FxDevice, inst: number): string {
    const line = dev.lines[inst - 1];
    return line ? this.forwards.get(line.number) ?? '' : '';
  }

  // ---- dialled-number hook ------------------------------------------------------------------

  /** A complete number on a dialling leg: true when a feature took it. */
  dialed(leg: FxLeg, number: string): boolean {
    if (this.cond.dialed(leg, number)) return true;
    if (leg.mode === 'forward') {
      const r = this.setForward(leg.dev, leg.line, number);
      if (r.ok) this.core.teardown(leg); else this.core.reorder(leg, r.reason ?? 'Refused');
      return true;
    }
    if (leg.held && !leg.consult) { this.completeTransfer(leg, number); return true; }
    if (number === this.cfg.voicemail.number && this.boxes.size) {
      const box = this.boxes.get(leg.dev.lines[leg.line - 1]?.number ?? '');
      if (!box || box.dev.leg) { this.core.reorder(leg, box ? 'Voicemail busy' : 'No mailbox'); return true; }
      box.station.mode = 'retrieve';
      this.core.ring(leg, { dev: box.dev, instance: 1, line: box.dev.lines[0]! }, number);
      return true;
    }
    return false;
  }

  // ---- voicemail ----------------------------------------------------------------------------

  /** The mailbox target for a call to `number` (busy callee or no answer), if it has one and it is free. */
  voicemailTarget(number: string): Target | undefined {
    const box = this.boxes.get(number);
    if (!box || box.dev.leg || !box.dev.sink) return undefined;
    box.station.mode = 'deposit';
    return { dev: box.dev, instance: 1, line: box.dev.lines[0]! };
  }

  /** The no-answer timer of a ringing callee fired: the call goes to the line's forward-no-answer target, else its mailbox. */
  noAnswer(callee: FxLeg, number: string): void {
    const caller = this.core.other(callee);
    if (!caller || callee.state !== 'ringin') return;
    const target = this.cond.target(number, 'noAnswer', (t) => t.dev !== callee.dev && this.core.admits(t)) ?? this.voicemailTarget(number);
    if (!target) return;
    const line = callee.dev.lines[callee.line - 1]!;
    this.core.detachCall(callee);
    this.core.teardown(callee);
    this.core.ring(caller, target, number, { number: line.number, name: line.name });
  }

  /** iDivert soft key on `leg` (idivert.ts): the call goes to this line's mailbox. */
  iDivert(dev: FxDevice, leg: FxLeg | undefined): boolean {
    return iDivert({ core: this.core, voicemailTarget: (n) => this.voicemailTarget(n), hasMailbox: (n) => this.hasMailbox(n) }, dev, leg);
  }

  key(dev: FxDevice, k: VoicemailKey): boolean {
    const far = dev.leg && this.core.other(dev.leg);
    const box = [...this.boxes.values()].find((b) => b.dev === far?.dev);
    if (!box) return false;
    box.station.key(k);
    return true;
  }

  /** Message lamp and notify for every device owning `mailbox`'s line (docs/features.md §3 MWI). */
  mwi(mailbox: string): void {
    const n = this.store.newCount(mailbox);
    for (const dev of this.core.devices()) {
      const inst = dev.lines.findIndex((l) => l.number === mailbox) + 1;
      if (inst === 0 || !dev.sink) continue;
      dev.sink.send({ t: 'lamp', target: 'voicemail', instance: inst, mode: n > 0 ? 'on' : 'off' });
      if (n > 0) dev.sink.send({ t: 'notify', text: `${n} new message${n === 1 ? '' : 's'}`, timeoutS: 10 });
    }
  }

  /** A device (re)registered: its message lamps, forwards and DND notice are re-announced. */
  attached(dev: FxDevice): void {
    if (dev.dnd) dev.sink?.send({ t: 'notify', text: 'Do not disturb', timeoutS: 0 });
    this.cond.attached(dev);
    dev.lines.forEach((l, i) => {
      if (this.store.newCount(l.number) > 0) dev.sink?.send({ t: 'lamp', target: 'voicemail', instance: i + 1, mode: 'on' });
      const f = this.forwards.get(l.number);
      const st = this.forwardStat(dev, i + 1);
      if (f || st.busy || st.noAnswer) dev.sink?.send(st);
      // The idle notice of setForward, again: a phone that restarted (or a CM that did) shows it too.
      if (f) dev.sink?.send({ t: 'notify', text: `Forwarded to ${f}`, timeoutS: 0 });
    });
  }

  private bindFor(name: string): string {
    const dev = [...this.boxes.values()].find((b) => b.dev.name === name)?.dev;
    const far = dev?.leg && this.core.other(dev.leg);
    const a = far?.dev.sink?.localAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    if (a && a !== '0.0.0.0' && a !== '::') return a;
    const b = this.cfg.server.bind;
    return b && b !== '0.0.0.0' && b !== '::' ? b : '127.0.0.1';
  }

  // ---- blind transfer -----------------------------------------------------------------------

  /** Transfer soft key while connected: the far party is held, this phone gets dial tone. */
  startTransfer(leg: FxLeg, consult = false): void {
    this.core.hold(leg);
    const d = this.core.startDialing(leg.dev, leg.line);
    d.held = leg;
    if (consult) d.consult = true;
    this.core.send(d, { t: 'prompt', line: d.line, ref: d.ref, text: 'Transfer to', timeoutS: 0 });
  }

  /** Blind transfer: the far party calls `number`; the transferring phone hangs up. */
  private completeTransfer(leg: FxLeg, number: string): void {
    const held = leg.held!;
    const far = this.core.other(held);
    if (!this.core.owner(number)) return this.core.reorder(leg, 'Unknown number');
    leg.held = undefined;
    this.core.teardown(leg);
    if (!far) return;
    this.core.detachCall(held);
    this.core.teardown(held);
    this.core.place(far, number, true);
  }

  /** The transferring phone hung up before completing: the call stays on hold on the line (7960-like). */
  transferAbandoned(leg: FxLeg, byUser: boolean): void {
    const held = leg.held!;
    leg.held = undefined;
    if (held.state !== 'hold') return;
    held.dev.leg = held;
    if (!byUser) return this.core.hangup(held, false);
    this.core.send(held, { t: 'callState', line: held.line, ref: held.ref, state: 'hold' });
    this.core.send(held, { t: 'lamp', target: 'line', instance: held.line, mode: 'wink' });
    this.core.send(held, { t: 'softkeys', line: held.line, ref: held.ref, set: 'OnHold' });
  }
}
