/**
 * Emulated USB telephony device (handset or headset) behind an emulated HID host. The report
 * layouts are written out here by hand from the descriptors (the same bytes as
 * test/fixtures/hid/*.desc, HUT 1.12 Telephony page 0x0B and LED page 0x08), independently of
 * the driver's descriptor parser, so tests check the parser against a second source.
 * Like many real handsets it sends its current input state when it is opened (so the host learns
 * the hook state after a replug); unplug() ends every open handle with onDisconnect.
 */
import { HalError, type HidDevice, type HidDeviceInfo, type HidHost } from '../api/index.js';

export type EmulatedHidModel = 'handset' | 'headset';
export type EmulatedHidButton = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'mute' | 'flash' | 'redial';
export type EmulatedHidLed = 'off-hook' | 'ring' | 'mute' | 'hold' | 'microphone' | 'ringer';

/** test/fixtures/hid/usb-handset.desc */
export const HANDSET_DESCRIPTOR = Uint8Array.from([
  0x05, 0x0b, 0x09, 0x04, 0xa1, 0x01, 0x85, 0x01, 0x15, 0x00, 0x25, 0x01, 0x09, 0x20, 0x09, 0x2f, 0x09, 0x21, 0x09, 0x24,
  0x75, 0x01, 0x95, 0x04, 0x81, 0x02, 0x95, 0x04, 0x81, 0x03, 0x09, 0x06, 0xa1, 0x02, 0x19, 0xb0, 0x29, 0xbb, 0x15, 0x01,
  0x25, 0x0c, 0x75, 0x08, 0x95, 0x01, 0x81, 0x00, 0xc0, 0x85, 0x02, 0x05, 0x08, 0x15, 0x00, 0x25, 0x01, 0x09, 0x17, 0x09,
  0x18, 0x09, 0x09, 0x09, 0x20, 0x75, 0x01, 0x95, 0x04, 0x91, 0x02, 0x95, 0x04, 0x91, 0x03, 0xc0,
]);

/** test/fixtures/hid/usb-headset.desc */
export const HEADSET_DESCRIPTOR = Uint8Array.from([
  0x05, 0x0c, 0x09, 0x01, 0xa1, 0x01, 0x85, 0x01, 0x15, 0x00, 0x25, 0x01, 0x09, 0xe9, 0x09, 0xea, 0x75, 0x01, 0x95, 0x02,
  0x81, 0x02, 0x95, 0x06, 0x81, 0x03, 0xc0, 0x05, 0x0b, 0x09, 0x05, 0xa1, 0x01, 0x85, 0x03, 0x15, 0x00, 0x25, 0x01, 0x09,
  0x2f, 0x0b, 0x20, 0x00, 0x0b, 0x00, 0x75, 0x01, 0x95, 0x02, 0x81, 0x22, 0x09, 0x21, 0x09, 0x24, 0x95, 0x02, 0x81, 0x02,
  0x95, 0x04, 0x81, 0x01, 0x19, 0xb0, 0x29, 0xbb, 0x95, 0x0c, 0x81, 0x02, 0x95, 0x04, 0x81, 0x01, 0x05, 0x08, 0x09, 0x09,
  0x09, 0x17, 0x09, 0x18, 0x09, 0x20, 0x09, 0x21, 0x95, 0x05, 0x91, 0x22, 0x95, 0x03, 0x91, 0x01, 0x05, 0x0b, 0x09, 0x9e,
  0x95, 0x01, 0x91, 0x22, 0x95, 0x07, 0x91, 0x01, 0xc0,
]);

const KEYS = '0123456789*#';

interface Layout {
  descriptor: Uint8Array;
  inputId: number; inputBytes: number;
  /** input bit of hook/mute/flash/redial */
  bits: Record<'hook' | 'mute' | 'flash' | 'redial', number>;
  /** handset: keypad is an 8-bit array at bit 8 with value 1+index; headset: one bit per key from bit 8 */
  keys: 'array8' | 'bits';
  outputId: number;
  leds: Partial<Record<EmulatedHidLed, number>>;
}

const LAYOUTS: Record<EmulatedHidModel, Layout> = {
  handset: {
    descriptor: HANDSET_DESCRIPTOR, inputId: 1, inputBytes: 2, bits: { hook: 0, mute: 1, flash: 2, redial: 3 }, keys: 'array8',
    outputId: 2, leds: { 'off-hook': 0, 'ring': 1, 'mute': 2, 'hold': 3 },
  },
  headset: {
    descriptor: HEADSET_DESCRIPTOR, inputId: 3, inputBytes: 3, bits: { mute: 0, hook: 1, flash: 2, redial: 3 }, keys: 'bits',
    outputId: 3, leds: { 'mute': 0, 'off-hook': 1, 'ring': 2, 'hold': 3, 'microphone': 4, 'ringer': 8 },
  },
};

export interface EmulatedHidTelephonyOptions {
  model?: EmulatedHidModel;       // default 'handset'
  path?: string;                  // default '/dev/hidraw3'
  vendorId?: number;              // default 0x1234
  productId?: number;             // default 0x5678
  product?: string;
  /** Send the input state when opened (default true). */
  reportOnOpen?: boolean;
}

export class EmulatedHidTelephony implements HidHost {
  readonly info: HidDeviceInfo;
  readonly layout: Layout;
  /** Output reports received, in order (copies). */
  readonly outputs: Uint8Array[] = [];
  private present = true;
  private hook = false;
  private readonly held = new Set<EmulatedHidButton>();
  private lastOutput: Uint8Array | undefined;
  private readonly handles = new Set<EmulatedHandle>();
  private readonly reportOnOpen: boolean;

  constructor(opts: EmulatedHidTelephonyOptions = {}) {
    const model = opts.model ?? 'handset';
    this.layout = LAYOUTS[model];
    this.reportOnOpen = opts.reportOnOpen ?? true;
    this.info = {
      path: opts.path ?? '/dev/hidraw3', vendorId: opts.vendorId ?? 0x1234, productId: opts.productId ?? 0x5678,
      product: opts.product ?? `Emulated USB ${model}`, usagePage: 0x0b, usage: model === 'handset' ? 0x04 : 0x05,
    };
  }

  async list(): Promise<HidDeviceInfo[]> { return this.present ? [{ ...this.info }] : []; }

  async open(path: string): Promise<HidDevice> {
    if (!this.present || path !== this.info.path) {
      throw new HalError('ENOENT', 'no such HID device', { device: path, operation: 'open', hint: 'device unplugged (emulator)' });
    }
    const h = new EmulatedHandle(this);
    this.handles.add(h);
    if (this.reportOnOpen) queueMicrotask(() => h.deliver(this.inputReport()));
    return h;
  }

  /** Lift (true) or hang up (false) the handset; sends an input report. */
  setHook(offHook: boolean): void { this.hook = offHook; this.send(); }
  press(button: EmulatedHidButton): void { this.held.add(button); this.send(); }
  release(button: EmulatedHidButton): void { this.held.delete(button); this.send(); }

  unplug(): void {
    if (!this.present) return;
    this.present = false;
    this.lastOutput = undefined; // the device powers down: LEDs go dark
    for (const h of [...this.handles]) h.drop(new Error('device disconnected (emulated unplug)'));
    this.handles.clear();
  }

  replug(): void { this.present = true; }

  get isPresent(): boolean { return this.present; }
  get openHandles(): number { return this.handles.size; }

  /** LED state decoded from the last output report with this model's hand-written layout. */
  led(name: EmulatedHidLed): boolean {
    const bit = this.layout.leds[name];
    const r = this.lastOutput;
    if (bit === undefined || !r) return false;
    return ((r[1 + (bit >> 3)] ?? 0) >> (bit & 7) & 1) === 1;
  }

  /** @internal */
  received(report: Uint8Array, handle: EmulatedHandle): void {
    if (report[0] !== this.layout.outputId) {
      throw new HalError('INVALID', `output report id ${report[0]} (device has ${this.layout.outputId})`, { device: this.info.path, operation: 'write' });
    }
    this.outputs.push(Uint8Array.from(report));
    this.lastOutput = Uint8Array.from(report);
    void handle;
  }

  /** @internal */
  forget(h: EmulatedHandle): void { this.handles.delete(h); }

  inputReport(): Uint8Array {
    const L = this.layout;
    const r = new Uint8Array(1 + L.inputBytes);
    r[0] = L.inputId;
    const set = (bit: number): void => { r[1 + (bit >> 3)]! |= 1 << (bit & 7); };
    if (this.hook) set(L.bits.hook);
    for (const b of ['mute', 'flash', 'redial'] as const) if (this.held.has(b)) set(L.bits[b]);
    const keys = [...this.held].filter((k) => KEYS.includes(k));
    if (L.keys === 'array8') r[2] = keys.length ? 1 + KEYS.indexOf(keys[keys.length - 1]!) : 0;
    else for (const k of keys) set(8 + KEYS.indexOf(k));
    return r;
  }

  private send(): void {
    if (!this.present) return;
    const r = this.inputReport();
    for (const h of this.handles) h.deliver(r);
  }
}

class EmulatedHandle implements HidDevice {
  private readonly reportCbs = new Set<(r: Uint8Array) => void>();
  private readonly discCbs = new Set<(e: Error) => void>();
  private readonly pending: Uint8Array[] = [];
  private closed = false;
  constructor(private readonly dev: EmulatedHidTelephony) {}

  get info(): HidDeviceInfo { return { ...this.dev.info }; }
  onReport(cb: (r: Uint8Array) => void): () => void {
    this.reportCbs.add(cb);
    if (this.pending.length) {
      const queued = this.pending.splice(0);
      queueMicrotask(() => { for (const r of queued) this.deliver(r); });
    }
    return () => { this.reportCbs.delete(cb); };
  }
  onDisconnect(cb: (e: Error) => void): () => void { this.discCbs.add(cb); return () => { this.discCbs.delete(cb); }; }

  async write(report: Uint8Array): Promise<void> {
    if (this.closed) throw new HalError('DISCONNECTED', 'device is gone', { device: this.dev.info.path, operation: 'write' });
    this.dev.received(report, this);
  }

  async reportDescriptor(): Promise<Uint8Array> {
    if (this.closed) throw new HalError('DISCONNECTED', 'device is gone', { device: this.dev.info.path, operation: 'read report descriptor' });
    return Uint8Array.from(this.dev.layout.descriptor);
  }

  async close(): Promise<void> { this.closed = true; this.dev.forget(this); }

  /** Like the hidraw buffer, reports wait for the first reader (the host may subscribe late). */
  deliver(r: Uint8Array): void {
    if (this.closed) return;
    if (this.reportCbs.size === 0) { this.pending.push(Uint8Array.from(r)); return; }
    for (const cb of [...this.reportCbs]) cb(Uint8Array.from(r));
  }

  drop(e: Error): void {
    if (this.closed) return;
    this.closed = true;
    const err = new HalError('DISCONNECTED', e.message, { device: this.dev.info.path, operation: 'read' });
    for (const cb of [...this.discCbs]) cb(err);
  }
}
