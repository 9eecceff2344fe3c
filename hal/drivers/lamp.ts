/**
 * An LED on a GPIO output showing the SCCP lamp modes (SetLamp lampMode: 1 Off, 2 On, 3 Wink,
 * 4 Flash, 5 Blink; docs/sccp.md §4). SCCP names the modes but not their timing; the defaults
 * follow Cisco's own phone LED patterns (Cisco SPA500 Series Administration Guide, "LED Script":
 * slow blink 1 s on / 1 s off, fast blink 100 ms on / 100 ms off) plus a 500/500 ms middle rate:
 *   wink  (held call)        1000 on / 1000 off  (slow blink)
 *   blink (ringing line)      500 on /  500 off
 *   flash (urgent/alerting)   100 on /  100 off  (fast blink)
 * All three can be overridden from the board config.
 */
import type { Bit, Clock, GpioLine, Lamp, LampMode } from '../api/index.js';
import { CadencePlayer } from './cadence.js';

export type LampCadences = Record<'wink' | 'flash' | 'blink', readonly number[]>;

export const DEFAULT_LAMP_CADENCES: Readonly<LampCadences> = {
  wink: [1000, 1000],  // SPA500 Admin Guide, LED script "sb"
  blink: [500, 500],
  flash: [100, 100],   // SPA500 Admin Guide, LED script "fb"
};

export interface GpioLampOptions {
  clock: Clock;
  /** Output line; logical 1 = lit (open it activeLow for LEDs wired to 3V3). */
  line: GpioLine;
  name?: string;
  cadences?: Partial<LampCadences>;
  logger?: (message: string) => void;
}

export class GpioLamp implements Lamp {
  readonly name: string;
  private current: LampMode = 'off';
  private readonly player: CadencePlayer;
  private readonly cadences: LampCadences;
  private lit: boolean | undefined;
  private faultLogged = false;

  constructor(private readonly o: GpioLampOptions) {
    this.name = o.name ?? 'lamp';
    this.cadences = { ...DEFAULT_LAMP_CADENCES, ...o.cadences };
    this.player = new CadencePlayer(o.clock, (on) => this.output(on));
  }

  get mode(): LampMode { return this.current; }

  /** Whether the LED is lit right now. */
  get isLit(): boolean { return this.lit === true; }

  set(mode: LampMode): void {
    if (mode === this.current && this.lit !== undefined) return;
    this.current = mode;
    if (mode === 'off' || mode === 'on') this.player.steady(mode === 'on');
    else this.player.play(this.cadences[mode]);
  }

  private output(on: boolean): void {
    if (on === this.lit) return;
    this.lit = on;
    this.o.line.write((on ? 1 : 0) as Bit).catch((e: unknown) => {
      if (this.faultLogged) return;
      this.faultLogged = true;
      (this.o.logger ?? console.warn)(`${this.name}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
