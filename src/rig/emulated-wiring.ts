/**
 * Emulated wires for the wired rig (docs/hil.md "Wiring"), so CI can run it without a bench: the
 * test host's GPIO chip is an EmulatedGpioController, the board under test an emulated board.
 * - a host output driving a key's analog switch (CD4066) closes that key's contact in the board's
 *   key-matrix emulator (row to column) while the host line is high; the same for the hook contact;
 * - a board lamp or ringer output drives a host input through an optocoupler: the host line reads
 *   the lamp's lit state (inverted when the rig file says `activeLow`, as a PC817 pulling a pull-up
 *   low does).
 * After the agent resets the board (a new emulated board), attach() wires the new one.
 */
import type { Bit } from '../../hal/api/gpio.js';
import type { EmulatedGpioController } from '../../hal/emul/gpio.js';
import type { PinRef } from '../../hal/board/pins.js';
import { ringerOf } from '../../hal/board/components/index.js';
import type { EmulatedPhone } from '../node/emulated-phone.js';
import type { WiredConfig } from './rig-file.js';

export class EmulatedWiring {
  private phone: EmulatedPhone | undefined;
  private readonly hostOffs: (() => void)[] = [];
  private boardOffs: (() => void)[] = [];

  constructor(private readonly host: EmulatedGpioController, private readonly cfg: WiredConfig) {
    for (const [key, line] of Object.entries(cfg.keys)) {
      this.hostOffs.push(host.onOutput(line, (level) => {
        const kp = this.phone?.board.emulators.keypad;
        if (level === 1) kp?.press(key); else kp?.release(key);
      }));
    }
    if (cfg.hook !== undefined) {
      this.hostOffs.push(host.onOutput(cfg.hook, (level) => {
        const hook = this.phone?.board.emulators.hook;
        if (level === 1) hook?.lift(); else hook?.replace();
      }));
    }
  }

  /** Wires the board's lamp and ringer header outputs to the host inputs (call for each new board). */
  attach(phone: EmulatedPhone): void {
    for (const off of this.boardOffs.splice(0)) off();
    this.phone = phone;
    const { config, emulators } = phone.board;
    type BoardOut = { pin?: PinRef; activeLow: boolean } | undefined;
    const outputs: [string, { line: number; activeLow: boolean }, BoardOut][] = Object.entries(this.cfg.lamps).map(([name, inp]) => [`lamp ${name}`, inp, config.lamps[name]]);
    if (this.cfg.ringer) outputs.push(['ringer', this.cfg.ringer, ringerOf(config.ringer).wire(config.ringer)]);
    for (const [what, inp, out] of outputs) {
      if (!out?.pin || out.pin.kind !== 'gpio') throw new Error(`emulated wiring: the board's ${what} is not on a header GPIO`);
      const pin = out.pin.gpio;
      const boardActiveLow = out.activeLow;
      const toHost = (level: Bit | undefined): void => {
        const lit = level !== undefined && (level === 1) !== boardActiveLow;
        this.host.drive(inp.line, (lit !== inp.activeLow ? 1 : 0) as Bit);
      };
      toHost(emulators.gpio.outputLevel(pin));
      this.boardOffs.push(emulators.gpio.onOutput(pin, (level) => toHost(level)));
    }
  }

  close(): void {
    for (const off of [...this.hostOffs.splice(0), ...this.boardOffs.splice(0)]) off();
  }
}
