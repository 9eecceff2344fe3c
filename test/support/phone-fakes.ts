/**
 * Test doubles for the phone app: a recording StationSignalling, fake devices and a tiny
 * manual clock (time moves only in advance()).
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type {
  HookSwitch, KeyName, Keypad, Lamp, LampMode, PhoneHardware, RingMode, Ringer, TextDisplay,
} from '../../hal/api/devices.js';
import { HalError } from '../../hal/api/errors.js';
import type { TonePlayer } from '../../firmware/media/engine.js';
import type { RegistrationState, SignallingEvent, StationSignalling } from '../../firmware/station/signalling.js';

export class ManualClock implements Clock {
  private t = 0;
  private id = 1;
  private timers = new Map<number, { due: number; fn: () => void; every?: number }>();
  constructor(private readonly startDate = new Date('2024-03-05T09:41:30Z')) {}
  now(): number { return this.t; }
  wallTime(): Date { return new Date(this.startDate.getTime() + this.t); }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.id++; this.timers.set(id, { due: this.t + Math.max(0, ms), fn }); return { id };
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.id++; this.timers.set(id, { due: this.t + ms, fn, every: Math.max(1, ms) }); return { id };
  }
  clearTimeout(h: TimerHandle | undefined): void { if (h) this.timers.delete(h.id); }
  clearInterval(h: TimerHandle | undefined): void { if (h) this.timers.delete(h.id); }
  sleep(ms: number): Promise<void> { return new Promise((r) => { this.setTimeout(r, ms); }); }
  pending(): number { return this.timers.size; }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      let bestId = -1; let best: { due: number; fn: () => void; every?: number } | undefined;
      for (const [id, tm] of this.timers) if (!best || tm.due < best.due) { best = tm; bestId = id; }
      if (!best || best.due > end) break;
      this.t = best.due;
      if (best.every) best.due += best.every; else this.timers.delete(bestId);
      best.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Lets queued microtasks and the display write chain run. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

export type InputCall = [string, ...unknown[]];

export class FakeSignalling implements StationSignalling {
  readonly protocol = 'sccp' as const;
  state: RegistrationState = 'unregistered';
  readonly calls: InputCall[] = [];
  private listeners = new Set<(ev: SignallingEvent) => void>();
  onEvent(cb: (ev: SignallingEvent) => void): () => void {
    this.listeners.add(cb); return () => { this.listeners.delete(cb); };
  }
  emit(...evs: SignallingEvent[]): void {
    for (const ev of evs) {
      if (ev.type === 'registration') this.state = ev.state;
      for (const l of this.listeners) l(ev);
    }
  }
  listenerCount(): number { return this.listeners.size; }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  offHook(line?: number): void { this.calls.push(['offHook', line]); }
  onHook(): void { this.calls.push(['onHook']); }
  keypad(key: string): void { this.calls.push(['keypad', key]); }
  dial(number: string): void { this.calls.push(['dial', number]); }
  softkey(slot: number): void { this.calls.push(['softkey', slot]); }
  lineButton(line: number): void { this.calls.push(['lineButton', line]); }
  speedDial(index: number): void { this.calls.push(['speedDial', index]); }
  hookFlash(): void { this.calls.push(['hookFlash']); }
  headset(on: boolean): void { this.calls.push(['headset', on]); }
  nextSoftkeyPage(): void { this.calls.push(['nextSoftkeyPage']); }
  /** selectCall is local (no message): kept apart from `calls` so older sequences stay exact. */
  readonly selected: Array<[number, number]> = [];
  selectCall(line: number, callRef: number): void { this.selected.push([line, callRef]); }
  take(): InputCall[] { return this.calls.splice(0); }
}

export class FakeDisplay implements TextDisplay {
  readonly name = 'fake-lcd';
  lines: string[] = [];
  shows = 0;
  inits = 0;
  /** Number of upcoming show() calls that reject like an unplugged I2C backpack. */
  failNext = 0;
  backlight = false;
  constructor(readonly cols: number, readonly rows: number) {}
  async init(): Promise<void> { this.inits++; }
  async show(lines: readonly string[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new HalError('NACK', 'address not acknowledged', { device: 'i2c-1@0x27 (PCF8574)', operation: 'write', hint: 'check the LCD cable' });
    }
    this.shows++;
    this.lines = lines.slice();
  }
  async setBacklight(on: boolean): Promise<void> { this.backlight = on; }
}

export class FakeKeypad implements Keypad {
  readonly name = 'fake-keypad';
  private cbs = new Set<(k: KeyName, down: boolean) => void>();
  started = false;
  onKey(cb: (k: KeyName, down: boolean) => void): () => void { this.cbs.add(cb); return () => { this.cbs.delete(cb); }; }
  async start(): Promise<void> { this.started = true; }
  async stop(): Promise<void> { this.started = false; }
  press(...keys: KeyName[]): void {
    for (const k of keys) for (const cb of this.cbs) { cb(k, true); cb(k, false); }
  }
}

export class FakeHook implements HookSwitch {
  private off = false;
  private cbs = new Set<(off: boolean) => void>();
  constructor(readonly name = 'fake-hook') {}
  isOffHook(): boolean { return this.off; }
  onChange(cb: (off: boolean) => void): () => void { this.cbs.add(cb); return () => { this.cbs.delete(cb); }; }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  set(off: boolean): void { this.off = off; for (const cb of this.cbs) cb(off); }
}

export class FakeLamp implements Lamp {
  mode: LampMode = 'off';
  constructor(readonly name: string) {}
  set(mode: LampMode): void { this.mode = mode; }
}

export class FakeRinger implements Ringer {
  readonly name = 'fake-ringer';
  mode: RingMode = 'off';
  log: Array<[RingMode, boolean | undefined]> = [];
  ring(mode: RingMode, once?: boolean): void { this.mode = mode; this.log.push([mode, once]); }
}

export class FakeTones implements TonePlayer {
  playing: string | undefined;
  play(tone: string): void { this.playing = tone; }
  stop(): void { this.playing = undefined; }
}

export interface Rig {
  hw: PhoneHardware; display: FakeDisplay; keypad: FakeKeypad; hook: FakeHook; headset: FakeHook;
  lamps: Record<string, FakeLamp>; ringer: FakeRinger;
}

export function rig(cols = 20, rows = 4, softkeyCount = 4): Rig {
  const display = new FakeDisplay(cols, rows);
  const keypad = new FakeKeypad();
  const hook = new FakeHook();
  const headset = new FakeHook('fake-headset');
  const lamps: Record<string, FakeLamp> = {};
  for (const n of ['line1', 'line2', 'message', 'speaker', 'mute']) lamps[n] = new FakeLamp(n);
  const ringer = new FakeRinger();
  return {
    hw: { display, keypad, hook, headsetDetect: headset, lamps, ringer, softkeyCount },
    display, keypad, hook, headset, lamps, ringer,
  };
}
