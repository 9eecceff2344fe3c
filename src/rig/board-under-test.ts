/**
 * What the rig agent serves: one board under test, seen from its pins. Inputs go in at the
 * drivers' input edge (a contact of the key matrix or the hook switch closes; the drivers' scan and
 * debounce see it), outputs are read back from what reached the devices (the display module's
 * decoded memory, the lamp and ringer lines) and what the earpiece played.
 *
 * `emulatedBoardUnderTest` runs the phone on an emulated board (`deskphone phone --emulated`);
 * `reset` closes it and builds a fresh one, the way the emulated scenario rig starts every
 * scenario from a fresh phone.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { SccpServer, SccpStation } from '../../firmware/sccp/station.js';
import type { SscpStation } from '../../firmware/sscp/station.js';
import { keypadOf, ringerOf } from '../../hal/board/components/index.js';
import { createEmulatedPhone, type EmulatedPhone } from '../node/emulated-phone.js';
import type { PassThroughStackOptions } from '../node/phone-stack.js';
import type { Logger } from '../node/logger.js';
import type { BoardInfo, BoardState } from './protocol.js';

export interface BoardUnderTest {
  info(): Omit<BoardInfo, 'version'>;
  /** The station of the current firmware (a new one after each reset). */
  readonly station: SccpStation | SscpStation;
  /** Press, hold, release, wait as long again (the board's default hold when omitted). */
  tap(key: string, holdMs?: number): Promise<void>;
  press(key: string): void;
  release(key: string): void;
  /** Moves the hook switch and waits out its debounce. */
  setHook(offHook: boolean): Promise<void>;
  setHeadset(plugged: boolean): Promise<void>;
  state(): BoardState;
  earpiece(ms: number): { samples: Int16Array; sampleRate: number };
  reset(): Promise<void>;
  /** Stops the station (unregisters) until the next reset. */
  standby(): Promise<void>;
  /** Stops the firmware as its owner would (OnHook, Unregister) and starts it again: a power cycle. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The ringer as the agent reports it: the line's observed cadence while the driver rings; "off" as
 * soon as the driver stopped AND the line is not sounding. A line still driven after the driver
 * said off (a stuck transistor, a wiring fault) keeps reporting the wire's reading.
 */
export function fuseRinger(driver: RingMode, wire: RingMode, lineOn: boolean | undefined): RingMode {
  if (driver !== 'off') return wire;
  return lineOn ? (wire === 'off' ? 'inside' : wire) : 'off';
}

export interface EmulatedBoardUnderTestOptions {
  boardFile: string;
  deviceName?: string;
  protocol?: 'sccp' | 'sscp';
  servers: SccpServer[];
  micFrequency: number;
  clock: Clock;
  log: Logger;
  /** Called with each new phone (the first one and after every reset), e.g. to print its screen. */
  onPhone?: (phone: EmulatedPhone) => void;
  /** Codecs, phone book and directory URL (phone config, docs/phone-config.md). */
  stack?: PassThroughStackOptions;
}

export async function emulatedBoardUnderTest(o: EmulatedBoardUnderTestOptions): Promise<BoardUnderTest & { readonly phone: EmulatedPhone }> {
  const make = async (): Promise<EmulatedPhone> => {
    const p = await createEmulatedPhone({
      name: 'phone', ...(o.deviceName ? { deviceName: o.deviceName } : {}), boardFile: o.boardFile, servers: o.servers,
      ...(o.protocol ? { protocol: o.protocol } : {}), clock: o.clock, micFrequency: o.micFrequency, log: o.log, ...(o.stack ? { stack: o.stack } : {}),
    });
    await p.start();
    o.onPhone?.(p);
    return p;
  };
  let phone = await make();
  const emu = () => phone.board.emulators;
  /** Whether the ringer's header line is driven to its "on" level now (undefined: not a header line). */
  const ringerLineOn = (): boolean | undefined => {
    const rc = phone.board.config.ringer;
    const wire = ringerOf(rc).wire(rc);
    if (wire?.pin.kind !== 'gpio') return undefined;
    const level = emu().gpio.outputLevel(wire.pin.gpio);
    return level === undefined ? undefined : (level === 1) !== wire.activeLow;
  };
  const debounce = (): number => phone.board.config.hook.debounceMs;
  return {
    get phone() { return phone; },
    get station() { return phone.station; },
    info() {
      const c = phone.board.config;
      const keyDebounce = keypadOf(c.keypad).debounceMs(c.keypad);
      return {
        device: phone.station.deviceName, protocol: o.protocol ?? 'sccp', micFrequency: o.micFrequency, board: c.board.name,
        keys: [...emu().keypad.keys], lamps: Object.keys(emu().lamps), softkeyCount: phone.softkeyCount(),
        server: phone.station.server, debounceMs: Math.max(keyDebounce, c.hook.debounceMs), ringerSource: 'driver+wire',
      };
    },
    tap: (key, holdMs) => emu().keypad.tap(key, holdMs),
    press: (key) => emu().keypad.press(key),
    release: (key) => emu().keypad.release(key),
    async setHook(offHook) {
      if (offHook) emu().hook.lift(); else emu().hook.replace();
      await o.clock.sleep(debounce() * 3);
    },
    async setHeadset(plugged) {
      const h = emu().headset;
      if (!h) throw new Error('this board has no headsetDetect switch');
      if (plugged) h.lift(); else h.replace();
      await o.clock.sleep((phone.board.config.headsetDetect?.debounceMs ?? 30) * 3);
    },
    state() {
      const lamps: Record<string, LampMode> = phone.lamps();
      return {
        screen: phone.lcd(), lamps, ringer: fuseRinger(phone.board.hardware.ringer.mode, phone.ringer(), ringerLineOn()),
        offHook: emu().hook.offHook, station: phone.station.state,
        ...codecOf(phone.receiveCodec()),
      };
    },
    earpiece: (ms) => phone.heard(ms),
    async reset() {
      await phone.close();
      phone = await make();
    },
    standby: () => phone.station.stop(),
    restart: () => phone.restart(),
    close: () => phone.close(),
  };
}

/** The state's `codec` field: the emulated phone answers at once. */
function codecOf(c: string | undefined | Promise<string | undefined>): { codec?: string } {
  return typeof c === 'string' ? { codec: c } : {};
}
