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
  applyEvent, expireText, focusedCall, newModel, ringingCall, type CallView, type PhoneModel,
} from './call-model.js';
import { clockText, fromDateTemplate, msToNextMinute, type TimeFormatOptions } from './format.js';
import { CallHistory, type HistoryEntry } from './history.js';
import { DisplayWriter } from './display-writer.js';
import { historySoftkey, renderHistory, type HistoryBrowse } from './history-screen.js';
import { resolveKey, type KeyAction } from './keys.js';
import { renderScreen } from './screens.js';
import { layoutSoftkeys, slotByName } from './softkeys.js';

export interface PhoneLog {
  debug?(msg: string): void;
  info?(msg: string): void;
  warn(msg: string): void;
}

export interface PhoneAppOptions extends TimeFormatOptions {
  /** start()/stop() also start and stop keypad, hook and headset detect (default true). */
  manageDevices?: boolean;
  /** Retry period for a failed display (re-init + redraw), in ms (default 5000). */
  displayRetryMs?: number;
}

export interface PhoneAppDeps {
  hardware: PhoneHardware;
  signalling: StationSignalling;
  clock: Clock;
  tones?: TonePlayer;
  log?: PhoneLog;
  options?: PhoneAppOptions;
}

/** Named keys while the call history is open (docs/features.md §1: up/down navigation keys). */
const BROWSE_KEYS: Readonly<Record<string, 'dial' | 'next' | 'prev' | 'exit'>> = {
  dial: 'dial', next: 'next', down: 'next', up: 'prev', prev: 'prev', exit: 'exit', back: 'exit', directories: 'exit',
};

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
  /** Offset added to clock.wallTime() so the header shows call-manager time ('timeDate'). */
  private timeOffsetMs = 0;
  /** Clock-row format from the call manager's date template; the board's own options win. */
  private cmFormat: TimeFormatOptions | undefined;
  private tick: TimerHandle | undefined;
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
    this.history = new CallHistory();
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
    this.clock.clearTimeout(this.tick);
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
      const action = resolveKey(key);
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
      case 'line': return this.sig.lineButton(a.line);
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
   * The Directories key opens the call history when idle; while it is open its softkeys and the
   * named keys of BROWSE_KEYS act on it. Returns false for keys it leaves to the normal handling
   * (a digit, the hook, a line key: the browser closes and the key does what it always does).
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
    const act = a.kind === 'softkey' ? historySoftkey(a.index, this.hw.softkeyCount) ?? 'none'
      : a.kind === 'more' ? 'next' : a.kind === 'named' ? BROWSE_KEYS[a.name] : undefined;
    this.invalidate();
    if (act === 'none') return true;
    const n = b.entries.length;
    if (act === 'next' || act === 'prev') {
      if (n > 0) b.index = (b.index + (act === 'next' ? 1 : n - 1)) % n;
      return true;
    }
    this.browse = undefined;
    if (act !== 'dial') return act === 'exit';
    const e = b.entries[b.index];
    if (!e) return true;
    // Like redial: off hook on the speaker unless the handset is up, then the whole number (enbloc).
    if (!this.handsetOff) this.setSpeaker(true);
    this.sig.offHook(1);
    this.sig.dial(e.number);
    return true;
  }

  /** A named fixed key ('hold', 'redial', 'transfer'...): the softkey with that label, if any. */
  private named(name: string): void {
    const slot = slotByName(this.m.softkeys, name);
    if (slot !== undefined) return this.sendSoftkey(slot);
    const idle = this.m.calls.size === 0;
    if (name === 'redial' && idle && this.m.lastDialled) {
      if (!this.handsetOff) this.setSpeaker(true);
      this.sig.offHook(1);
      this.sig.dial(this.m.lastDialled);
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
        if (name) this.setLamp(name, ev.mode);
        return;
      }
      case 'ringer': this.hw.ringer.ring(ev.mode, ev.once); return;
      case 'timeDate': {
        const t = ev.date instanceof Date ? ev.date.getTime() : NaN;
        if (!Number.isFinite(t)) { this.log.warn('phone: timeDate event with an invalid date ignored'); return; }
        this.timeOffsetMs = t - this.clock.wallTime().getTime();
        this.scheduleTick();
        this.invalidate();
        return;
      }
      case 'dateTemplate': {
        this.cmFormat = fromDateTemplate(ev.template);
        if (!this.cmFormat && ev.template.trim()) this.log.warn(`phone: date template '${ev.template}' not understood; keeping HH:mm DD/MM`);
        this.invalidate();
        return;
      }
      case 'tone': this.tones?.play(ev.tone); break;
      case 'toneStop': this.tones?.stop(); break;
      case 'speaker': this.setSpeaker(ev.on); break;
      case 'microphone': this.setLamp('mute', ev.on ? 'off' : 'on'); break;
      default: break;
    }
    const hadCalls = this.m.calls.size;
    const before = ev.type === 'callState' ? this.m.calls.get(ev.callRef) : undefined;
    const wasState = before?.state;
    if (!applyEvent(this.m, ev)) return;
    if (ev.type === 'callState') this.logCall(ev, before);
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
    const e = this.history.observe(ev, this.m.calls.get(ev.callRef) ?? before, this.displayTime());
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

  private setLamp(name: string, mode: LampMode): void {
    const lamp = this.hw.lamps[name];
    if (!lamp) return; // boards have only some lamps; unknown ones are ignored
    try { lamp.set(mode); } catch (e) { this.log.warn(`phone: lamp ${name} set ${mode} failed: ${errText(e)}`); }
  }

  // ---- rendering -----------------------------------------------------------------------------

  private displayTime(): Date {
    return new Date(this.clock.wallTime().getTime() + this.timeOffsetMs);
  }

  /** Redraws at the next wall-clock minute of the displayed time, then every minute. */
  private scheduleTick(): void {
    this.clock.clearTimeout(this.tick);
    if (!this.running) return;
    this.tick = this.clock.setTimeout(() => {
      this.invalidate();
      this.scheduleTick();
    }, msToNextMinute(this.displayTime()));
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
    const now = this.displayTime();
    const g = { cols: d.cols, rows: d.rows, softkeyCount: this.hw.softkeyCount };
    const f: TimeFormatOptions = { timeFormat: this.opts.timeFormat ?? this.cmFormat?.timeFormat,
      dateFormat: this.opts.dateFormat ?? this.cmFormat?.dateFormat, utc: this.opts.utc };
    if (this.browse) return renderHistory(this.browse, g, (t, max) => clockText(t, f, max));
    return renderScreen(this.m, { cols: d.cols, rows: d.rows, softkeyCount: this.hw.softkeyCount },
      (max) => clockText(now, f, max));
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
