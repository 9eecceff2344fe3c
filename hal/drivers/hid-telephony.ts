/**
 * USB HID telephony handset/headset as HookSwitch + Keypad + lamps + ringer (docs/hardware.md §6).
 * Usages are located through the device's own report descriptor (hid-descriptor.ts):
 *   inputs (Telephony page 0x0B, HUT 1.12 §14): Hook Switch 0x20, Flash 0x21, Hold 0x23,
 *     Redial 0x24, Phone Mute 0x2F, Phone Key 0-9 0xB0-0xB9, * 0xBA, # 0xBB, A-D 0xBC-0xBF;
 *   outputs (LED page 0x08, HUT 1.12 §11): Mute 0x09, Off-Hook 0x17, Ring 0x18, Message Waiting
 *     0x19, Speaker 0x1E, Headset 0x1F, Hold 0x20, Microphone 0x21; Ringer 0x0B:0x9E.
 * Host duty: a Hook Switch change is answered at once with the Off-Hook LED, otherwise headsets
 * revert or "double-fire" (WICG/webhid#72, google/libhidtelephony#2).
 * Unplug: the hook reads on-hook, the host list is polled on the Clock, and on return the device
 * is reopened, its LEDs rewritten and the hook state taken from its next input report.
 */
import type { Clock, HidDevice, HidDeviceInfo, HidHost, HookSwitch, KeyName, Keypad, Lamp, LampMode, Ringer, RingMode, TimerHandle } from '../api/index.js';
import { CadencePlayer } from './cadence.js';
import { DEFAULT_LAMP_CADENCES, type LampCadences } from './lamp.js';
import { DEFAULT_RING_CADENCES, type RingCadences } from './ringer.js';
import { arrayUsages, findUsage, parseReportDescriptor, readBits, writeBits, type HidReportMap, type UsageLocation } from './hid-descriptor.js';

const PAGE_TELEPHONY = 0x0b; // HUT 1.12 §14
const PAGE_LED = 0x08;       // HUT 1.12 §11
const U_HOOK = 0x20;
/** Telephony usages reported as keys. */
const KEY_USAGES: ReadonlyMap<number, KeyName> = new Map<number, KeyName>([
  [0x21, 'flash'], [0x23, 'hold'], [0x24, 'redial'], [0x2f, 'mute'],
  ...[...'0123456789*#ABCD'].map((k, i): [number, KeyName] => [0xb0 + i, k]),
]);
/** LED names (board schema HID_LEDS) → LED page usage; 'ringer' is Telephony Ringer 0x9E. */
export const HID_LED_USAGES = {
  'mute': [PAGE_LED, 0x09], 'off-hook': [PAGE_LED, 0x17], 'ring': [PAGE_LED, 0x18], 'message': [PAGE_LED, 0x19],
  'speaker': [PAGE_LED, 0x1e], 'headset': [PAGE_LED, 0x1f], 'hold': [PAGE_LED, 0x20], 'microphone': [PAGE_LED, 0x21],
  'ringer': [PAGE_TELEPHONY, 0x9e],
} as const satisfies Record<string, readonly [number, number]>;
export type HidLedName = keyof typeof HID_LED_USAGES;

export interface HidMatch { vendorId?: number; productId?: number; usagePage?: number; product?: string }

export interface HidHandsetOptions {
  host: HidHost;
  clock: Clock;
  /** Which device; default: the first with usagePage 0x0B. */
  match?: HidMatch | ((info: HidDeviceInfo) => boolean);
  name?: string;              // default "hid-handset"
  /** Poll period of host.list() while the device is absent; default 1000 ms. */
  reconnectMs?: number;
  logger?: (message: string) => void;
}

export function hidMatches(m: HidMatch | ((i: HidDeviceInfo) => boolean) | undefined, info: HidDeviceInfo): boolean {
  if (typeof m === 'function') return m(info);
  const want = m ?? { usagePage: PAGE_TELEPHONY };
  return (want.vendorId === undefined || want.vendorId === info.vendorId)
    && (want.productId === undefined || want.productId === info.productId)
    && (want.usagePage === undefined || want.usagePage === info.usagePage)
    && (want.product === undefined || (info.product ?? '').includes(want.product));
}

interface Bound {
  dev: HidDevice;
  map: HidReportMap;
  hook: UsageLocation | undefined;
  keys: { usage: number; name: KeyName; loc: UsageLocation }[];
  leds: Map<HidLedName, UsageLocation>;
}

export class HidHandset implements HookSwitch, Keypad {
  readonly name: string;
  private readonly o: HidHandsetOptions;
  private bound: Bound | undefined;
  private offHook = false;
  private readonly down = new Set<KeyName>();
  private readonly ledOn = new Map<HidLedName, boolean>();
  private readonly hookCbs = new Set<(off: boolean) => void>();
  private readonly keyCbs = new Set<(k: KeyName, down: boolean) => void>();
  private timer: TimerHandle | undefined;
  private started = false;
  private opening = false;
  private absentLogged = false;

  constructor(opts: HidHandsetOptions) {
    this.o = opts;
    this.name = opts.name ?? 'hid-handset';
  }

  get clock(): Clock { return this.o.clock; }
  get connected(): boolean { return this.bound !== undefined; }
  get device(): HidDeviceInfo | undefined { return this.bound?.dev.info; }

  isOffHook(): boolean { return this.offHook; }
  onChange(cb: (offHook: boolean) => void): () => void { this.hookCbs.add(cb); return () => { this.hookCbs.delete(cb); }; }
  onKey(cb: (key: KeyName, down: boolean) => void): () => void { this.keyCbs.add(cb); return () => { this.keyCbs.delete(cb); }; }

  /** Opens the device if present; otherwise keeps looking on the Clock. Never throws for absence. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.tryOpen();
    if (!this.bound) this.schedule();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.o.clock.clearInterval(this.timer);
    this.timer = undefined;
    const b = this.bound;
    this.bound = undefined;
    await b?.dev.close();
  }

  /** A lamp on LED `led` (a device without that LED simply ignores it). */
  lamp(led: HidLedName, name: string = led, cadences?: Partial<LampCadences>): Lamp {
    return new HidLamp(this, led, name, { ...DEFAULT_LAMP_CADENCES, ...cadences });
  }

  /** Ringer on the Ring LED and, when present, the Telephony Ringer output. */
  ringer(name = 'hid-ringer', cadences?: Partial<RingCadences>): Ringer {
    return new HidRinger(this, name, { ...DEFAULT_RING_CADENCES, ...cadences });
  }

  /** Sets one LED and sends the output report(s). Unknown LEDs on this device are ignored. */
  setLed(led: HidLedName, on: boolean): void {
    if (this.ledOn.get(led) === on) return;
    this.ledOn.set(led, on);
    void this.flushLeds();
  }

  ledState(led: HidLedName): boolean { return this.ledOn.get(led) === true; }

  private log(m: string): void { (this.o.logger ?? console.warn)(`${this.name}: ${m}`); }

  private schedule(): void {
    if (this.timer || !this.started) return;
    this.timer = this.o.clock.setInterval(() => { void this.tryOpen(); }, this.o.reconnectMs ?? 1000);
  }

  private async tryOpen(): Promise<void> {
    if (this.opening || this.bound || !this.started) return;
    this.opening = true;
    try {
      const info = (await this.o.host.list()).find((i) => hidMatches(this.o.match, i));
      if (!info) {
        if (!this.absentLogged) this.log('no matching HID telephony device yet; waiting for it to be plugged in');
        this.absentLogged = true;
        return;
      }
      const dev = await this.o.host.open(info.path);
      let map: HidReportMap;
      try { map = parseReportDescriptor(await dev.reportDescriptor()); } catch (e) { await dev.close(); throw e; }
      const b: Bound = { dev, map, hook: findUsage(map, 'input', PAGE_TELEPHONY, U_HOOK), keys: [], leds: new Map() };
      for (const [usage, name] of KEY_USAGES) {
        const loc = findUsage(map, 'input', PAGE_TELEPHONY, usage);
        if (loc) b.keys.push({ usage: (PAGE_TELEPHONY << 16) | usage, name, loc });
      }
      for (const [led, [page, id]] of Object.entries(HID_LED_USAGES) as [HidLedName, readonly [number, number]][]) {
        const loc = findUsage(map, 'output', page, id);
        if (loc) b.leds.set(led, loc);
      }
      if (!b.hook) this.log(`${info.path} has no Hook Switch usage (0x0B:0x20); hook state stays on-hook`);
      this.bound = b;
      this.absentLogged = false;
      this.o.clock.clearInterval(this.timer);
      this.timer = undefined;
      dev.onReport((r) => this.input(b, r));
      dev.onDisconnect((e) => this.lost(b, e));
      this.log(`using ${info.path} (${info.product ?? 'HID'} ${hex4(info.vendorId)}:${hex4(info.productId)})`);
      await this.flushLeds(); // restore lamps after a replug
    } catch (e) {
      if (!this.absentLogged) this.log(`cannot open: ${e instanceof Error ? e.message : String(e)}`);
      this.absentLogged = true;
    } finally {
      this.opening = false;
      if (!this.bound) this.schedule();
    }
  }

  private lost(b: Bound, e: Error): void {
    if (this.bound !== b) return;
    this.bound = undefined;
    this.log(`disconnected (${e.message}); waiting for it to come back`);
    for (const k of [...this.down]) this.emitKey(k, false);
    this.setHook(false);
    this.schedule();
  }

  private input(b: Bound, report: Uint8Array): void {
    if (this.bound !== b) return;
    const id = b.map.numbered ? report[0]! : 0;
    const data = b.map.numbered ? report.subarray(1) : report;
    if (b.hook && b.hook.field.reportId === id) {
      const off = b.hook.arrayValue !== undefined ? arrayUsages(b.hook.field, data).includes((PAGE_TELEPHONY << 16) | U_HOOK)
        : readBits(data, b.hook.bitOffset, b.hook.field.bitSize) !== 0;
      this.setHook(off);
    }
    for (const k of b.keys) {
      if (k.loc.field.reportId !== id) continue;
      const isDown = k.loc.arrayValue !== undefined ? arrayUsages(k.loc.field, data).includes(k.usage)
        : readBits(data, k.loc.bitOffset, k.loc.field.bitSize) !== 0;
      if (isDown !== this.down.has(k.name)) this.emitKey(k.name, isDown);
    }
  }

  private setHook(off: boolean): void {
    if (off === this.offHook) return;
    this.offHook = off;
    if (this.bound) this.setLed('off-hook', off); // the host's answer (HUT Off-Hook LED)
    for (const cb of [...this.hookCbs]) cb(off);
  }

  private emitKey(k: KeyName, isDown: boolean): void {
    if (isDown) this.down.add(k); else this.down.delete(k);
    for (const cb of [...this.keyCbs]) cb(k, isDown);
  }

  /** One output report per report id that carries a known LED. */
  private async flushLeds(): Promise<void> {
    const b = this.bound;
    if (!b || b.leds.size === 0) return;
    const ids = new Set([...b.leds.values()].map((l) => l.field.reportId));
    for (const id of ids) {
      const data = new Uint8Array(b.map.reportBytes('output', id));
      for (const [led, loc] of b.leds) {
        if (loc.field.reportId === id && this.ledOn.get(led)) writeBits(data, loc.bitOffset, loc.field.bitSize, 1);
      }
      const report = b.map.numbered ? Uint8Array.of(id, ...data) : Uint8Array.of(0, ...data);
      try { await b.dev.write(report); } catch (e) { this.log(`LED report failed: ${e instanceof Error ? e.message : String(e)}`); }
    }
  }
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

class HidLamp implements Lamp {
  private current: LampMode = 'off';
  private readonly player: CadencePlayer;
  constructor(private readonly h: HidHandset, private readonly led: HidLedName, readonly name: string, private readonly cad: LampCadences) {
    this.player = new CadencePlayer(h.clock, (on) => h.setLed(led, on));
  }
  get mode(): LampMode { return this.current; }
  set(mode: LampMode): void {
    this.current = mode;
    if (mode === 'off' || mode === 'on') this.player.steady(mode === 'on');
    else this.player.play(this.cad[mode]);
  }
}

class HidRinger implements Ringer {
  private current: RingMode = 'off';
  private readonly player: CadencePlayer;
  constructor(h: HidHandset, readonly name: string, private readonly cad: RingCadences) {
    this.player = new CadencePlayer(h.clock, (on) => { h.setLed('ring', on); h.setLed('ringer', on && this.current !== 'flash'); });
  }
  get mode(): RingMode { return this.current; }
  ring(mode: RingMode, once = false): void {
    this.current = mode;
    // 'flash' (FlashOnly) is visual only: blink the Ring LED without the ringer (docs/sccp.md §4).
    if (mode === 'off') this.player.steady(false);
    else if (mode === 'flash') this.player.play(DEFAULT_LAMP_CADENCES.flash);
    else this.player.play(this.cad[mode], once ? 1 : Infinity, () => { this.current = 'off'; });
  }
}
