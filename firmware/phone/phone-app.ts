/**
 * The phone application: physical input (keypad, hook, headset) → StationSignalling calls
 * (phone-input.ts, the half it extends); SignallingEvents → display, lamps, ringer, local tones. Protocol-neutral: it knows only
 * hal/api devices, the Clock, firmware/station/signalling.ts and the TonePlayer contract.
 *
 * Display writes are coalesced (one write per event burst, on a microtask) and a failing
 * display (HalError from an unplugged LCD) is logged once, re-initialised and retried; it never
 * takes the phone down.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { TonePlayer } from '../media/engine.js';
import type { SignallingEvent } from '../station/signalling.js';
import { applyEvent, expireText, type CallView, type PhoneModel } from './call-model.js';
import { CallAlerts } from './call-alerts.js';
import { hasTimer } from './call-list.js';
import { clockText } from './format.js';
import { ScreenClock } from './screen-clock.js';
import type { HistoryEntry } from './history.js';
import { PhoneStateKeeper, type PhoneSnapshot } from './phone-state.js';
import { DisplayWriter } from './display-writer.js';
import { PhoneInputHandler, errText, type PhoneAppDeps } from './phone-input.js';
import { renderScreen } from './screens.js';

export type { PhoneAppDeps, PhoneAppOptions, PhoneLog } from './phone-input.js';

const DEFAULT_DISPLAY_RETRY_MS = 5000;


export class PhoneApp extends PhoneInputHandler {
  private readonly clock: Clock;
  private readonly tones: TonePlayer | undefined;
  private readonly subs: Array<() => void> = [];
  private readonly textTimers = new Map<number, TimerHandle>();
  private running = false;
  /** Shown time, its format and the redraw ticks (screen-clock.ts). */
  private readonly time: ScreenClock;
  private readonly alerts: CallAlerts;
  /** "host:port" of the call manager last registered to (kept in the state store). */
  private lastServer = '';
  // Rendering state.
  private readonly screenOut: DisplayWriter;
  private queued = false;
  private writes: Promise<void> = Promise.resolve();
  private readonly screenListeners = new Set<(rows: readonly string[]) => void>();

  constructor(deps: PhoneAppDeps) {
    super(deps);
    this.clock = deps.clock;
    this.tones = deps.tones;
    this.time = new ScreenClock(this.clock, this.opts, () => this.invalidate());
    this.alerts = new CallAlerts({ tones: this.tones, setLamp: (n, mode) => this.setLamp(n, mode) });
    this.keeper = deps.state ? new PhoneStateKeeper(deps.state, this.clock, this.log, () => this.snapshot()) : undefined;
    this.screenOut = new DisplayWriter({
      display: this.hw.display, clock: this.clock, log: this.log, redraw: () => this.invalidate(),
      retryMs: this.opts.displayRetryMs ?? DEFAULT_DISPLAY_RETRY_MS,
    });
  }

  /** Missed, received and placed calls, newest first. */
  get callHistory(): readonly HistoryEntry[] { return this.history.entries; }
  /** The call manager ("host:port") this phone last registered to, from before a restart too; '' when never. */
  get lastCallManager(): string { return this.lastServer; }
  /** The speakerphone is on (a call on the speaker, with the handset on the hook switch). */
  get speakerphone(): boolean { return this.speakerOn; }

  /** The model behind the screen (read-only view, for diagnostics and the simulator). */
  get model(): Readonly<PhoneModel> { return this.m; }

  /** What was last rendered for the display (even if writing it to the device failed). */
  screen(): string[] { return this.screenOut.last.slice(); }

  /**
   * Called after each render has been written to the display (rows as composed; unchanged rows
   * are not rewritten but still reported). Lets an owner follow the screen without polling it.
   */
  onScreen(cb: (rows: readonly string[]) => void): () => void {
    this.screenListeners.add(cb);
    return () => { this.screenListeners.delete(cb); };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const hw = this.hw;
    // Subscribe before anything is awaited: the station may already be starting (phone-stack
    // starts both together), and an event emitted before the subscription would be lost.
    this.m.registration = { state: this.sig.state };
    this.subs.push(this.sig.onEvent((ev) => this.guard(`event ${ev?.type}`, () => this.onEvent(ev))));
    if (this.keeper) this.restore(await this.keeper.load());
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
    this.closeDirectories();
    this.time.stop();
    this.screenOut.stop();
    for (const t of this.textTimers.values()) this.clock.clearTimeout(t);
    this.textTimers.clear();
    this.guard('ringer off', () => this.hw.ringer.ring('off'));
    // A phone that stops goes dark: the CM lights the lamps again when it registers (BLF speed dials too).
    for (const lamp of Object.values(this.hw.lamps)) this.guard('lamp off', () => lamp.set('off'));
    this.guard('tone stop', () => this.tones?.stop());
    if (this.opts.manageDevices !== false) {
      for (const dev of [this.hw.keypad, this.hw.hook, this.hw.headsetDetect]) {
        if (!dev) continue;
        try { await dev.stop(); } catch (e) { this.log.warn(`phone: stopping ${dev.name} failed: ${errText(e)}`); }
      }
    }
    await this.keeper?.flush();
    await this.writes;
  }

  private snapshot(): PhoneSnapshot {
    return { history: this.history.entries, lastDialled: this.m.lastDialled, missedUnseen: this.m.missedUnseen, lastServer: this.lastServer };
  }

  private restore(s: PhoneSnapshot | undefined): void {
    if (!s) return;
    // Calls logged while the state was loading come first (newest first), then the saved ones.
    const fresh = this.history.entries.slice();
    this.history.entries.splice(0, this.history.entries.length, ...[...fresh, ...s.history].slice(0, this.history.size));
    if (!this.m.lastDialled) this.m.lastDialled = s.lastDialled;
    this.m.missedUnseen = Math.min(this.m.missedUnseen + s.missedUnseen, this.history.entries.filter((e) => e.kind === 'missed').length);
    if (!this.lastServer) this.lastServer = s.lastServer;
    this.invalidate();
  }

  /** Renders now and resolves once the display write (if any) has finished. */
  flush(): Promise<void> {
    this.writes = this.writes.then(() => this.write());
    return this.writes;
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
    const dialled = this.m.lastDialled;
    if (!applyEvent(this.m, ev, this.clock.now())) return;
    if (this.m.lastDialled !== dialled) this.keeper?.changed();
    if (ev.type === 'registration' && ev.state === 'registered' && ev.server && ev.server !== this.lastServer) {
      this.lastServer = ev.server;
      this.keeper?.changed();
    }
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

  /** Call history bookkeeping; a call arriving or starting closes the Directories menu. */
  private logCall(ev: Extract<SignallingEvent, { type: 'callState' }>, before: CallView | undefined): void {
    const e = this.history.observe(ev, this.m.calls.get(ev.callRef) ?? before, this.time.now());
    if (e?.kind === 'missed') this.m.missedUnseen++;
    if (e) this.keeper?.changed();
    if (ev.state !== 'idle' && ev.state !== 'onhook') this.closeDirectories();
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

  protected invalidate(): void {
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
    if (this.dir) return this.dir.render(g, (t, max) => clockText(t, f, max));
    return renderScreen(this.m, g, (max) => clockText(now, f, max), this.clock.now());
  }

  private async write(): Promise<void> {
    let lines: string[];
    try { lines = this.compose(); } catch (e) { this.log.warn(`phone: render failed: ${errText(e)}`); return; }
    await this.screenOut.write(lines);
    for (const cb of [...this.screenListeners]) {
      try { cb(lines); } catch (e) { this.log.warn(`phone: screen listener threw: ${errText(e)}`); }
    }
  }

}
