/**
 * In-process ALSA capture through the optional native package `alsa-capture` (docs/hardware.md
 * §1/§3/§7). Loaded lazily; when it is missing or failed to build, open() rejects with HalError
 * UNAVAILABLE and the caller falls back to ArecordSource (audio-io.ts does that).
 *
 * Known weaknesses of alsa-capture 0.3.0 handled here (docs/hardware.md §3):
 *  - on a read error (USB unplug, -ENODEV) it emits 'readError' and busy-loops: we close it and
 *    report HalError DISCONNECTED;
 *  - its error messages end with '\n' and no 'close' follows 'error': trimmed, and stop() does
 *    not wait for a 'close' that never comes (bounded wait);
 *  - short reads emit a full-size buffer: we deliver exactly periodFrames per period anyway;
 *  - its queue to JS is unbounded: nothing to do from JS except stopping promptly.
 */
import { PeriodAssembler } from './audio-period.js';
import { HalError } from '../api/errors.js';
import type { PcmFormat, PcmSource } from '../api/pcm.js';

interface AlsaCaptureInstance {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  close(): void;
}
type AlsaCaptureCtor = new (opts: { device: string; channels: number; rate: number; format: string; periodSize: number }) => AlsaCaptureInstance;

/** stop() waits at most this long for alsa-capture's 'close' event. */
const CLOSE_WAIT_MS = 1000;
const INSTALL_HINT = 'sudo apt install libasound2-dev && npm install alsa-capture (or use the arecord backend)';

/** Lazily imports alsa-capture; HalError UNAVAILABLE when it cannot load. */
export async function loadAlsaCapture(device: string): Promise<AlsaCaptureCtor> {
  try {
    const m = (await import('alsa-capture' as string)) as { default?: unknown };
    return (m.default ?? m) as AlsaCaptureCtor;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new HalError('UNAVAILABLE', `native package "alsa-capture" is not loadable: ${why}`,
      { device, operation: 'load binding', hint: INSTALL_HINT, cause: e });
  }
}

export interface AlsaCaptureSourceOptions {
  device: string;
  format: PcmFormat;
}

export class AlsaCaptureSource implements PcmSource {
  readonly name: string;
  readonly format: PcmFormat;
  private cap: AlsaCaptureInstance | undefined;
  private readonly assembler: PeriodAssembler;
  /** Periods delivered since start. */
  get periods(): number { return this.assembler.periods; }
  private running = false;
  private readonly errorCbs = new Set<(err: Error) => void>();
  overruns = 0;

  private constructor(private readonly Ctor: AlsaCaptureCtor, private readonly opts: AlsaCaptureSourceOptions) {
    this.format = opts.format;
    this.name = `alsa-capture:${opts.device}`;
    this.assembler = new PeriodAssembler(opts.format.periodFrames);
  }

  /** Loads the native package (rejects with HalError UNAVAILABLE when it is absent). Does not open the device yet. */
  static async create(opts: AlsaCaptureSourceOptions): Promise<AlsaCaptureSource> {
    return new AlsaCaptureSource(await loadAlsaCapture(opts.device), opts);
  }

  start(onPeriod: (samples: Int16Array) => void): Promise<void> {
    if (this.cap) return Promise.resolve();
    const device = this.opts.device;
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      let cap: AlsaCaptureInstance;
      try {
        cap = new this.Ctor({ device, channels: 1, rate: this.format.sampleRate, format: 'S16_LE', periodSize: this.format.periodFrames });
      } catch (e) {
        reject(new HalError('EIO', `alsa-capture: ${(e as Error).message}`, { device, operation: 'open capture', cause: e }));
        return;
      }
      this.cap = cap;
      this.running = true;
      this.assembler.reset();
      const ready = (): void => { if (!opened) { opened = true; resolve(); } };
      cap.on('periodTime', ready);
      cap.on('audio', (data) => { ready(); this.onData(data as Uint8Array, onPeriod); });
      cap.on('overrun', () => { this.overruns++; });
      cap.on('error', (e) => {
        const msg = (e instanceof Error ? e.message : String(e)).trim();
        const err = new HalError(/No such file|No such device|Unknown PCM/i.test(msg) ? 'ENOENT' : 'EIO', msg, {
          device, operation: opened ? 'capture' : 'open capture',
          hint: `no usable ALSA capture device '${device}': check 'arecord -L'`, cause: e,
        });
        this.cap = undefined;
        this.running = false;
        if (!opened) { opened = true; reject(err); } else this.emitError(err);
      });
      cap.on('readError', (e) => {
        // alsa-capture loops forever without snd_pcm_recover after a read error: stop it now.
        if (!this.running) return;
        this.running = false;
        this.cap = undefined;
        try { cap.close(); } catch { /* already gone */ }
        this.emitError(new HalError('DISCONNECTED', `read error: ${String(e).trim()}`,
          { device, operation: 'capture', hint: 'device unplugged? start() again to reopen' }));
      });
    });
  }

  private onData(chunk: Uint8Array, onPeriod: (samples: Int16Array) => void): void {
    this.assembler.push(chunk, onPeriod, (e) => this.emitError(e), () => this.running);
  }


  async stop(): Promise<void> {
    const cap = this.cap;
    this.running = false;
    if (!cap) return;
    this.cap = undefined;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, CLOSE_WAIT_MS);
      cap.on('close', () => { clearTimeout(t); resolve(); });
      try { cap.close(); } catch { clearTimeout(t); resolve(); }
    });
  }

  onError(cb: (err: Error) => void): () => void {
    this.errorCbs.add(cb);
    return () => this.errorCbs.delete(cb);
  }

  private emitError(e: Error): void { for (const cb of this.errorCbs) cb(e); }
}
