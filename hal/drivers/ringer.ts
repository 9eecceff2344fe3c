/**
 * Ringer on an active buzzer (GPIO output) and/or as a cadence for the media layer to play a ring
 * tone (`onCadence`). SCCP SetRinger ringMode: 1 RingOff, 2 InsideRing, 3 OutsideRing,
 * 4 FeatureRing, 5 FlashOnly; ringDuration 2 = single cycle (docs/sccp.md §4, SetRinger).
 * Default cadences (ms, on/off pairs):
 *   inside  2000/4000                 standard ring, Telcordia GR-506 / ANSI T1.401 (2 s on, 4 s off)
 *   outside 400/200/400/2000          double ring, as BT SIN 350 (0.4/0.2/0.4/2.0 s)
 *   feature 300/200/300/200/800/4000  short-short-long, after the GR-506 distinctive ringing patterns
 *   flash   no sound: FlashOnly is a visual alert only (lamps handle it)
 */
import type { Bit, Clock, GpioLine, Ringer, RingMode } from '../api/index.js';
import { CadencePlayer } from './cadence.js';

export type RingCadences = Record<'inside' | 'outside' | 'feature', readonly number[]>;

export const DEFAULT_RING_CADENCES: Readonly<RingCadences> = {
  inside: [2000, 4000],
  outside: [400, 200, 400, 2000],
  feature: [300, 200, 300, 200, 800, 4000],
};

export interface GpioRingerOptions {
  clock: Clock;
  /** Active-buzzer output (logical 1 = sounding); omit for a tone-only ringer. */
  line?: GpioLine;
  name?: string;
  cadences?: Partial<RingCadences>;
  logger?: (message: string) => void;
}

export class GpioRinger implements Ringer {
  readonly name: string;
  private current: RingMode = 'off';
  private readonly player: CadencePlayer;
  private readonly cadences: RingCadences;
  private sounding = false;
  private readonly listeners = new Set<(on: boolean, mode: RingMode) => void>();
  private faultLogged = false;

  constructor(private readonly o: GpioRingerOptions) {
    this.name = o.name ?? 'ringer';
    this.cadences = { ...DEFAULT_RING_CADENCES, ...o.cadences };
    this.player = new CadencePlayer(o.clock, (on) => this.output(on));
  }

  get mode(): RingMode { return this.current; }

  get isSounding(): boolean { return this.sounding; }

  /** Every on/off edge of the ring cadence, for playing a ring tone on the speaker. */
  onCadence(cb: (on: boolean, mode: RingMode) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  ring(mode: RingMode, once = false): void {
    this.current = mode;
    if (mode === 'off' || mode === 'flash') { this.player.steady(false); return; }
    this.player.play(this.cadences[mode], once ? 1 : Infinity, () => { this.current = 'off'; });
  }

  private output(on: boolean): void {
    if (on === this.sounding) return;
    this.sounding = on;
    for (const cb of [...this.listeners]) cb(on, this.current);
    this.o.line?.write((on ? 1 : 0) as Bit).catch((e: unknown) => {
      if (this.faultLogged) return;
      this.faultLogged = true;
      (this.o.logger ?? console.warn)(`${this.name}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
