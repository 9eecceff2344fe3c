/**
 * Hook switch (or headset-detect switch) on a GPIO input. Edges restart a debounce timer on the
 * Clock; when the line has been quiet for `debounceMs` its level is taken as the new state.
 * 30 ms default: hook-switch contact bounce is a few ms, and on-hook/off-hook must not be
 * confused with a hook flash (typically >= 100 ms, e.g. 300-1000 ms in Telcordia GR-506 §15.2).
 */
import type { Bit, Clock, GpioController, GpioLine, HookSwitch, TimerHandle } from '../api/index.js';

export interface GpioHookSwitchOptions {
  clock: Clock;
  /** Input line opened with edge 'both'. */
  line: GpioLine;
  /** Logical line level meaning off-hook (or headset plugged); default 1. */
  offHookLevel?: Bit;
  debounceMs?: number;   // default 30
  name?: string;         // default "hook"
}

export interface OpenGpioHookSwitchOptions extends Omit<GpioHookSwitchOptions, 'line'> {
  gpio: GpioController;
  offset: number;
  bias?: 'pull-up' | 'pull-down' | 'disable'; // default pull-up
  activeLow?: boolean;
}

export async function openGpioHookSwitch(opts: OpenGpioHookSwitchOptions): Promise<GpioHookSwitch> {
  const line = await opts.gpio.openLine(opts.offset, {
    direction: 'in', edge: 'both', bias: opts.bias ?? 'pull-up', activeLow: opts.activeLow ?? false, consumer: opts.name ?? 'hook',
  });
  return new GpioHookSwitch({ ...opts, line });
}

const DEFAULT_DEBOUNCE_MS = 30;

export class GpioHookSwitch implements HookSwitch {
  readonly name: string;
  private readonly o: GpioHookSwitchOptions;
  private state = false;
  private timer: TimerHandle | undefined;
  private unwatch: (() => void) | undefined;
  private readonly listeners = new Set<(offHook: boolean) => void>();

  constructor(opts: GpioHookSwitchOptions) {
    this.o = opts;
    this.name = opts.name ?? 'hook';
  }

  isOffHook(): boolean { return this.state; }

  onChange(cb: (offHook: boolean) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  /** Reads the initial level (no event) and starts watching edges. */
  async start(): Promise<void> {
    if (this.unwatch) return;
    this.state = (await this.o.line.read()) === (this.o.offHookLevel ?? 1);
    this.unwatch = this.o.line.watch(() => this.restart());
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    this.unwatch = undefined;
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private restart(): void {
    this.o.clock.clearTimeout(this.timer);
    this.timer = this.o.clock.setTimeout(() => { this.timer = undefined; void this.settle(); }, this.o.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  private async settle(): Promise<void> {
    let v: Bit;
    try { v = await this.o.line.read(); } catch { return; } // a failed read keeps the last state
    const off = v === (this.o.offHookLevel ?? 1);
    if (off === this.state) return;
    this.state = off;
    for (const cb of [...this.listeners]) cb(off);
  }
}
