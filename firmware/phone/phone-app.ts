/**
 * The phone application: physical input (keypad, hook, headset) → StationSignalling calls;
 * SignallingEvents → display, lamps, ringer, local tones. Protocol-neutral: it knows only
 * hal/api devices, the Clock, firmware/station/signalling.ts and the TonePlayer contract.
 *
 * Display writes are coalesced (one write per event burst, on a microtask) and a failing
 * display (HalError from an unplugged LCD) is logged once, re-initialised and retried; it never
 * takes the phone down.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { KeyName, LampMode, PhoneHardware } from '../../hal/api/devices.js';
import type { TonePlayer } from '../media/engine.js';
import type { SignallingEvent, StationSignalling } from '../station/signalling.js';
import {
  applyEvent, expireText, focusedCall, newModel, ringingCall, selectOnLine, selectStep, type CallView, type PhoneModel,
} from './call-model.js';
import { CallAlerts } from './call-alerts.js';
import { hasTimer } from './call-list.js';
import { clockText, type TimeFormatOptions } from './format.js';
import { ScreenClock } from './screen-clock.js';
import { CallHistory, type HistoryEntry } from './history.js';
import { DisplayWriter } from './display-writer.js';
import { browseKey, renderHistory, type HistoryBrowse } from './history-screen.js';
import { resolveKey, type KeyAction } from './keys.js';
import { renderScreen } from './screens.js';
import { layoutSoftkeys, slotByName } from './softkeys.js';

export interface PhoneLog {
  debug?(msg: string): void;
  info?(msg: string): void;
  warn(msg: string): void;
}

export interface PhoneAppOptions extends TimeFormatOptions {
  /** Renames physical key names to logical ones before mapping ('enter' → '#', 'f1' → 'softkey1'). */
  keyMap?: Readonly<Record<string, string>>;
  /** start()/stop() also start and stop keypad, hook and headset detect (default true). */
  manageDevices?: boolean;
  /** Retry period for a failed display (re-init + redraw), in ms (default 5000). */
  displayRetryMs?: number;
  /** Calls kept in the call history (default 20, firmware/phone/history.ts). */
  historySize?: number;
  /**
   * Who drives the line lamps: 'cm' (the call manager's SetLamp, as on SCCP) or 'calls' (the phone,
   * from the states of the calls it holds, docs/sscp.md §5). Default: 'cm' on SCCP, 'calls' on SSCP.
   */
  lineLamps?: 'cm' | 'calls';
}

export interface PhoneAppDeps {
  hardware: PhoneHardware;
  signalling: StationSignalling;
  clock: Clock;
  tones?: TonePlayer;
  log?: PhoneLog;
  options?: PhoneAppOptions;
}

/** Longest dialled string kept for the display (SCCP DialedNumber is char[24], docs/sccp.md §3). */
const MAX_TYPED = 24;
const DEFAULT_DISPLAY_RETRY_MS = 5000;

const consoleLog: PhoneLog = { warn: (m) => console.warn(m) };
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class PhoneApp {
  private readonly hw: PhoneHardware;
  private readonly sig: StationSignalling;
  private readonly clock: Clock;
  private readonly tones: TonePlayer | undefined;
  private readonly log: PhoneLog;
  private readonly opts: PhoneAppOptions;
  private readonly m: PhoneModel;
  private readonly history: CallHistory;
  /** The call history browser while it is open (firmware/phone/history-screen.ts). */
  private browse: HistoryBrowse | undefined;
  private readonly subs: Array<() => void> = [];
  private readonly textTimers = new Map<number, TimerHandle>();
  private running = false;
  /** Shown time, its format and the redraw ticks (screen-clock.ts). */
  private readonly time: ScreenClock;
  private readonly alerts: CallAlerts;
  /** The call last announced to the station as selected (PhoneInput.selectCall). */
  private selectedSent: number | undefined;
  private handsetOff = false;
  private speakerOn = false;
  private headsetOn = false;
  // Rendering state.
  private readonly screenOut: DisplayWriter;
  private queued = false;
  private writes: Promise<void> = Promise.resolve();

  constructor(deps: PhoneAppDeps) {
    this.hw = deps.hardware;
    this.sig = deps.signalling;
    this.clock = deps.clock;
    this.tones = deps.tones;
    this.log = deps.log ?? consoleLog;
    this.opts = deps.options ?? {};
    this.m = newModel(deps.signalling.state);
    this.history = new CallHistory(this.opts.historySize);
    this.time = new ScreenClock(this.clock, this.opts, () => this.invalidate());
    this.alerts = new CallAlerts({ tones: this.tones, setLamp: (n, mode) => this.setLamp(n, mode) });
    this.screenOut = new DisplayWriter({
      display: this.hw.display, clock: this.clock, log: this.log, redraw: () => this.invalidate(),
      retryMs: this.opts.displayRetryMs ?? DEFAULT_DISPLAY_RETRY_MS,
    });
  }

  /** Missed, received and placed calls, newest first. */
  get callHistory(): readonly HistoryEntry[] { return this.history.entries; }
  /** The speakerphone is on (a call on the speaker, with the handset on the hook switch). */
  get speakerphone(): boolean { return this.speakerOn; }

  /** The model behind the screen (read-only view, for diagnostics and the simulator). */
  get model(): Readonly<PhoneModel> { return this.m; }

  /** What was last rendered for the display (even if writing it to the device failed). */
  screen(): string[] { return this.screenOut.last.slice(); }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const hw = this.hw;
    this.m.registration = { state: this.sig.state };
    this.subs.push(this.sig.onEvent((ev) => this.guard(`event ${ev?.type}`, () => this.onEvent(ev))));
    this.subs.push(hw.keypad.onKey((key, down) => { if (down) this.press(key); }));
    this.subs.push(hw.hook.onChange((off) => this.guard('hook', () => this.onHook(off))));
    if (hw.headsetDetect) {
      this.subs.push(hw.headsetDetect.onChange((on) => this.guard('headset', () => this.setHeadset(on))));
    }
    if (this.opts.manageDevices !== false) {
      for (const dev of [hw.keypad, hw.hook, hw.headsetDetect]) {
        if (!dev) continue;
        try { await dev.start(); } catch (e) { this.log.warn(`phone: starting ${dev.name} failed: ${errText(e)}`); }
      }
    }
    this.guard('hook read', () => { this.handsetOff = hw.hook.isOffHook(); });
    await this.screenOut.init();
    this.scheduleTick();
    await this.flush();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const off of this.subs.splice(0)) this.guard('unsubscribe', off);
    this.time.stop();
    this.screenOut.stop();
    for (const t of this.textTimers.values()) this.clock.clearTimeout(t);
    this.textTimers.clear();
    this.guard('ringer off', () => this.hw.ringer.ring('off'));
    this.guard('tone stop', () => this.tones?.stop());
    if (this.opts.manageDevices !== false) {
      for (const dev of [this.hw.keypad, this.hw.hook, this.hw.headsetDetect]) {
        if (!dev) continue;
        try { await dev.stop(); } catch (e) { this.log.warn(`phone: stopping ${dev.name} failed: ${errText(e)}`); }
      }
    }
    await this.writes;
  }

  /** Renders now and resolves once the display write (if any) has finished. */
  flush(): Promise<void> {
    this.writes = this.writes.then(() => this.write());
    return this.writes;
  }

  /** Handles one key press as if it came from the keypad (simulator, tests, remote control). */
  press(key: KeyName): void {
    this.guard(`key '${String(key)}'`, () => {
      const action = resolveKey(key, this.opts.keyMap);
      if (!action) { this.log.debug?.(`phone: ignored key '${String(key)}'`); return; }
      this.onAction(action);
    });
  }

  // ---- input ---------------------------------------------------------------------------------

  private onAction(a: KeyAction): void {
    if (this.browseKey(a)) return;
    switch (a.kind) {
      case 'digit': return this.digit(a.key);
      case 'softkey': return this.softkey(a.index);
      case 'line':
        // A line holding calls: its key selects them in turn; else it goes to the CM (seize, answer).
        if (selectOnLine(this.m, a.line)) return this.selectionMoved();
        return this.sig.lineButton(a.line);
      case 'speedDial': return this.sig.speedDial(a.index);
      case 'more': this.m.softkeyPage++; return this.invalidate();
      case 'speaker': return this.toggleSpeaker();
      case 'headset': return this.setHeadset(!this.headsetOn);
      case 'flash': return this.sig.hookFlash();
      case 'named': return this.named(a.name);
    }
  }

  /** Line to take off hook: the ringing call's (answer), else the shown call's, else line 1. */
  private hookLine(): number {
    return ringingCall(this.m)?.line ?? focusedCall(this.m)?.line ?? 1;
  }

  private onHook(off: boolean): void {
    this.handsetOff = off;
    this.browse = undefined;
    if (off) {
      // Handset lifted during a speaker call: audio moves to the handset, the call stays as it is.
      if (this.speakerOn) this.setSpeaker(false);
      else this.sig.offHook(this.hookLine());
    } else if (!this.speakerOn) {
      this.m.typed = '';
      this.sig.onHook();
    }
    this.invalidate();
  }

  private toggleSpeaker(): void {
    if (this.speakerOn) {
      this.setSpeaker(false);
      if (!this.handsetOff) this.sig.onHook();
    } else {
      this.setSpeaker(true);
      if (!this.handsetOff) this.sig.offHook(this.hookLine());
    }
  }

  private setSpeaker(on: boolean): void {
    this.speakerOn = on;
    this.setLamp('speaker', on ? 'on' : 'off');
  }

  private setHeadset(on: boolean): void {
    this.headsetOn = on;
    this.setLamp('headset', on ? 'on' : 'off');
    this.sig.headset(on);
  }

  private digit(key: string): void {
    const c = focusedCall(this.m);
    // Pre-dial on hook: a digit with no call goes off hook on the speaker first (docs/features.md §2:
    // NewCall = like lifting the handset), then the digit goes out like any other.
    if (this.m.calls.size === 0 && !this.handsetOff && !this.speakerOn) {
      this.setSpeaker(true);
      this.sig.offHook(1);
    }
    if ((!c || c.state === 'offhook') && this.m.typed.length < MAX_TYPED) {
      this.m.typed += key;
      this.invalidate();
    }
    this.sig.keypad(key);
  }

  private softkey(index: number): void {
    const page = layoutSoftkeys(this.m.softkeys, this.hw.softkeyCount, this.m.softkeyPage);
    const t = page.targets[index];
    if (!t || t.kind === 'none') { this.log.debug?.(`phone: softkey${index + 1} has no function now`); return; }
    if (t.kind === 'more') { this.m.softkeyPage++; this.invalidate(); return; }
    this.sendSoftkey(t.slot);
  }

  private sendSoftkey(slot: number): void {
    const label = (this.m.softkeys[slot]?.label ?? '').toLowerCase();
    if (label === '<<' || label.startsWith('back') || label === 'bkspc') {
      this.m.typed = this.m.typed.slice(0, -1);
      this.invalidate();
    }
    this.sig.softkey(slot);
  }

  /**
   * The Directories key opens the call history when idle; while it is open its softkeys and
   * navigation keys act on it (history-screen.ts browseKey). Returns false for keys it leaves to the
   * normal handling (the browser closes and the key does what it always does).
   */
  private browseKey(a: KeyAction): boolean {
    const b = this.browse;
    if (!b) {
      if (a.kind !== 'named' || a.name !== 'directories' || this.m.calls.size > 0) return false;
      this.m.missedUnseen = 0;
      this.browse = { index: 0, entries: this.history.entries };
      this.invalidate();
      return true;
    }
    this.invalidate();
    const out = browseKey(b, a, this.hw.softkeyCount);
    if (out === 'stay') return true;
    this.browse = undefined;
    if (typeof out === 'object') this.dialOut(out.dial);
    return out !== 'pass';
  }

  /** Like redial: off hook on the speaker unless the handset is up, then the whole number (enbloc). */
  private dialOut(number: string): void {
    if (!this.handsetOff) this.setSpeaker(true);
    this.sig.offHook(1);
    this.sig.dial(number);
  }

  /** The user moved the selection: tell the station (softkeys follow) and redraw. */
  private selectionMoved(): void {
    this.syncSelection();
    this.invalidate();
  }

  /** Announces the selected call to the station when it changed (its softkey set is then shown). */
  private syncSelection(): void {
    const c = focusedCall(this.m);
    if (!c) { this.selectedSent = undefined; return; }
    if (c.callRef === this.selectedSent) return;
    this.selectedSent = c.callRef;
    this.sig.selectCall(c.line, c.callRef);
  }

  /** A named fixed key ('hold', 'redial', 'transfer'...): the softkey with that label, if any. */
  private named(name: string): void {
    // Up/down navigation selects among several calls (docs/features.md §2 "Several calls").
    if ((name === 'up' || name === 'down') && selectStep(this.m, name === 'down' ? 1 : -1)) return this.selectionMoved();
    const slot = slotByName(this.m.softkeys, name);
    if (slot !== undefined) return this.sendSoftkey(slot);
    const idle = this.m.calls.size === 0;
    if (name === 'redial' && idle && this.m.lastDialled) {
      this.dialOut(this.m.lastDialled);
    } else if ((name === 'endcall' || name === 'release') && !idle) {
      this.setSpeaker(false);
      this.sig.onHook();
    } else if (name === 'answer' && ringingCall(this.m)) {
      if (!this.handsetOff) this.setSpeaker(true);
      this.sig.offHook(this.hookLine());
    } else {
      this.log.debug?.(`phone: key '${name}' has no softkey and no local function now`);
    }
  }

  // ---- events --------------------------------------------------------------------------------

  private onEvent(ev: SignallingEvent): void {
    if (!ev || typeof ev !== 'object') return;
    switch (ev.type) {
      case 'lamp': {
        const name = ev.target === 'line' ? `line${ev.instance}`
          : ev.target === 'speeddial' ? `speeddial${ev.instance}`
          : ev.target === 'message' ? 'message' : undefined;
        if (ev.target === 'line' && this.localLineLamps && !this.alerts.cmLineLampApplies(this.m, ev.instance)) return;
        if (name) this.setLamp(name, ev.mode);
        return;
      }
      case 'ringer':
        if (this.alerts.muteRinger(this.m, ev.mode, this.handsetOff || this.speakerOn)) {
          this.log.debug?.(`phone: ringer ${ev.mode} not sounded: off hook in a call (call waiting)`);
          return;
        }
        this.hw.ringer.ring(ev.mode, ev.once);
        return;
      case 'timeDate':
        if (!this.time.setTime(ev.date)) { this.log.warn('phone: timeDate event with an invalid date ignored'); return; }
        this.scheduleTick();
        this.invalidate();
        return;
      case 'dateTemplate':
        if (!this.time.setTemplate(ev.template)) this.log.warn(`phone: date template '${ev.template}' not understood; keeping HH:mm DD/MM`);
        this.invalidate();
        return;
      case 'tone': this.tones?.play(ev.tone); if (ev.tone !== 'callwaiting') this.alerts.toneFromCm(); break;
      case 'toneStop': this.tones?.stop(); this.alerts.toneFromCm(); break;
      case 'speaker': this.setSpeaker(ev.on); break;
      case 'microphone': this.setLamp('mute', ev.on ? 'off' : 'on'); break;
      default: break;
    }
    const hadCalls = this.m.calls.size;
    const before = ev.type === 'callState' ? this.m.calls.get(ev.callRef) : undefined;
    const wasState = before?.state;
    if (!applyEvent(this.m, ev, this.clock.now())) return;
    if (ev.type === 'callState') this.logCall(ev, before);
    this.syncSelection();
    this.alerts.update(this.m, this.localLineLamps);
    if (hasTimer(this.m) !== this.time.perSecond) this.scheduleTick();
    // The far end hung up on a speaker call (connected → off hook with reorder): a 7960 on the
    // speaker goes back to idle by itself; with the handset lifted the user hangs up.
    if (ev.type === 'callState' && ev.state === 'offhook' && wasState === 'connected' && this.speakerOn && !this.handsetOff) {
      this.setSpeaker(false);
      this.sig.onHook();
    }
    if (hadCalls > 0 && this.m.calls.size === 0 && !this.handsetOff) this.setSpeaker(false);
    if ((ev.type === 'prompt' || ev.type === 'notify') && ev.timeoutS > 0) {
      const id = ev.type === 'prompt' ? this.m.prompt?.id : this.m.notifies[this.m.notifies.length - 1]?.id;
      if (id !== undefined) this.expireAfter(id, ev.timeoutS);
    }
    this.invalidate();
  }

  /** Call history bookkeeping; a call arriving or starting closes the history browser. */
  private logCall(ev: Extract<SignallingEvent, { type: 'callState' }>, before: CallView | undefined): void {
    const e = this.history.observe(ev, this.m.calls.get(ev.callRef) ?? before, this.time.now());
    if (e?.kind === 'missed') this.m.missedUnseen++;
    if (ev.state !== 'idle' && ev.state !== 'onhook') this.browse = undefined;
  }

  /** Drops timed text `id` after `seconds` (SCCP timeOutValue is in seconds, docs/sccp.md §3). */
  private expireAfter(id: number, seconds: number): void {
    const h = this.clock.setTimeout(() => {
      this.textTimers.delete(id);
      if (expireText(this.m, id)) this.invalidate();
    }, seconds * 1000);
    this.textTimers.set(id, h);
  }

  private get localLineLamps(): boolean { return (this.opts.lineLamps ?? (this.sig.protocol === 'sscp' ? 'calls' : 'cm')) === 'calls'; }

  private setLamp(name: string, mode: LampMode): void {
    const lamp = this.hw.lamps[name];
    if (!lamp) return; // boards have only some lamps; unknown ones are ignored
    try { lamp.set(mode); } catch (e) { this.log.warn(`phone: lamp ${name} set ${mode} failed: ${errText(e)}`); }
  }

  // ---- rendering -----------------------------------------------------------------------------

  /** Redraws at each minute of the shown time; every second while a call timer shows. */
  private scheduleTick(): void {
    if (this.running) this.time.schedule(hasTimer(this.m), () => this.msToNextTimerSecond());
  }

  /** Until the first shown call timer next changes (timers count whole seconds from the connect). */
  private msToNextTimerSecond(): number {
    const now = this.clock.now();
    for (const c of this.m.calls.values()) if (c.connectedAt !== undefined) return 1000 - ((now - c.connectedAt) % 1000);
    return 1000;
  }

  private invalidate(): void {
    if (this.queued || !this.running) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      void this.flush();
    });
  }

  private compose(): string[] {
    const d = this.hw.display;
    const now = this.time.now();
    const g = { cols: d.cols, rows: d.rows, softkeyCount: this.hw.softkeyCount };
    const f = this.time.format;
    if (this.browse) return renderHistory(this.browse, g, (t, max) => clockText(t, f, max));
    return renderScreen(this.m, g, (max) => clockText(now, f, max), this.clock.now());
  }

  private async write(): Promise<void> {
    let lines: string[];
    try { lines = this.compose(); } catch (e) { this.log.warn(`phone: render failed: ${errText(e)}`); return; }
    await this.screenOut.write(lines);
  }

  /** Runs `fn`, logging instead of throwing: bad input or a failing device never crashes the app. */
  private guard(what: string, fn: () => void): void {
    try { fn(); } catch (e) { this.log.warn(`phone: ${what} failed: ${errText(e)}`); }
  }
}
