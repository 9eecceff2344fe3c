/**
 * Composition root for one phone on an emulated board: board config → emulated devices and the
 * real drivers (hal/board), a microphone tone generator and a recording earpiece behind the
 * speaker mixer (firmware/media), the SCCP or SSCP station, and the phone application on top.
 * The same stack (phone-stack.ts) with hardware bindings instead of emulators runs on a Pi (phone-main.ts).
 */
import type { Clock } from '../../hal/api/clock.js';
import { composeEmulatedBoard, type EmulatedBoard } from '../../hal/board/compose.js';
import type { BoardConfig } from '../../hal/board/schema.js';
import { ToneMicrophone } from '../../firmware/media/emulated-audio.js';
import { RecordingSpeaker, DEFAULT_FORMAT } from '../../firmware/media/pcm-recorder.js';
import type { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import type { SccpServer, SccpStation } from '../../firmware/sccp/station.js';
import type { SscpStation } from '../../firmware/sscp/station.js';
import type { PhoneApp } from '../../firmware/phone/phone-app.js';
import { createPhoneStack, type PassThroughStackOptions, type PhoneStack } from './phone-stack.js';
import { openStateDir } from './file-state-store.js';
import type { PhoneUnderTest } from '../scenario/rig.js';
import type { Logger } from './logger.js';

export interface EmulatedPhoneOptions {
  name: string;
  /** SEP + 12 hex digits; default: SEP + the MAC of this machine's first network interface. */
  deviceName?: string;
  boardFile: string;
  /** `boardFile` already read and checked (config-off-thread.ts); undefined = read and checked here. */
  boardConfig?: BoardConfig;
  /** Call managers in failover order: SCCP TCP ports, or SSCP UDP ports when `protocol` is 'sscp'. */
  servers: SccpServer[];
  /** Station protocol (default 'sccp'). */
  protocol?: 'sccp' | 'sscp';
  clock: Clock;
  /** Hz of the emulated microphone's sine. */
  micFrequency: number;
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  bindAddress?: string;
  /** Directory of the phone's saved state (docs/state.md §1); none = nothing kept across restart(). */
  stateDir?: string;
  log: Logger;
  /** Codecs and phone book (phone config, docs/phone-config.md). */
  stack?: PassThroughStackOptions;
  /**
   * Keep the earpiece clock running while nothing plays (default true), so heard(ms) means the
   * last ms of wall-clock time. `deskphone phone --emulated` without a rig asks nobody what was
   * heard and turns it off: an idle phone then has no 50 Hz mixer tick, as on hardware.
   */
  continuousSpeaker?: boolean;
}

export interface EmulatedPhone extends PhoneUnderTest {
  readonly board: EmulatedBoard;
  readonly station: SccpStation | SscpStation;
  readonly app: PhoneApp;
  readonly media: RtpMediaEngine;
  readonly earpiece: RecordingSpeaker;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Seconds of earpiece audio kept for "is it heard?" questions and WAV dumps. */
const EARPIECE_SECONDS = 10;

export async function createEmulatedPhone(o: EmulatedPhoneOptions): Promise<EmulatedPhone> {
  const config = o.boardConfig ?? (await import('../../hal/board/load.js')).loadBoardConfig(o.boardFile);
  const board = await composeEmulatedBoard(config, { clock: o.clock, log: (m: string) => o.log.info(`${o.name}: ${m}`) });
  const earpiece = new RecordingSpeaker({ seconds: EARPIECE_SECONDS, format: DEFAULT_FORMAT, name: `${o.name}-earpiece` });
  const microphone = new ToneMicrophone({ clock: o.clock, freq: o.micFrequency, name: `${o.name}-mic` });
  const state = await openStateDir(o.stateDir, (m) => o.log.warn(`${o.name}: ${m}`));
  // The mixer never idles (continuousSpeaker): a real earpiece keeps playing silence, and "what was
  // heard in the last 200 ms" must mean wall-clock time, not the last time something played.
  const createStack = (): Promise<PhoneStack> => createPhoneStack({
    name: o.name, ...(o.deviceName ? { deviceName: o.deviceName } : {}), hardware: board.hardware, microphone, speaker: earpiece,
    servers: o.servers, ...(o.protocol ? { protocol: o.protocol } : {}), clock: o.clock, ...(o.bindAddress ? { bindAddress: o.bindAddress } : {}), continuousSpeaker: o.continuousSpeaker ?? true, ...(state ? { state } : {}), log: o.log, ...o.stack,
  });
  let stack: PhoneStack;
  try {
    stack = await createStack();
  } catch (e) {
    // A bad device name or server list must not leave the board's scanners and timers running.
    await microphone.stop();
    await board.close();
    throw e;
  }
  const emu = board.emulators;

  return {
    name: o.name, micFrequency: o.micFrequency, board, earpiece,
    get station() { return stack.station; },
    get app() { return stack.app; },
    get media() { return stack.media; },
    start: () => stack.start(),
    async close() {
      await stack.close();
      await board.close();
    },
    async lift() { emu.hook.lift(); await settle(o.clock, config.hook?.debounceMs); },
    async replace() { emu.hook.replace(); await settle(o.clock, config.hook?.debounceMs); },
    async tap(key) { await emu.keypad.tap(key); },
    lcd() { return emu.screen(); },
    softkeyCount() { return board.hardware.softkeyCount; },
    lamps() { return Object.fromEntries(Object.entries(emu.lamps).map(([k, f]) => [k, f()])); },
    ringer() { return emu.ringer(); },
    heard(ms) { return { samples: earpiece.recent(ms), sampleRate: earpiece.format.sampleRate }; },
    receiveCodec() { return stack.media.receiveCodecs().at(-1); },
    // The phone stops as on Ctrl-C (its station leaves: OnHook, Unregister) and boots again on the same board.
    async restart() { await stack.close(); stack = await createStack(); await stack.start(); },
  };
}

/** Waits out the contact debounce so the driver has reported the change. */
async function settle(clock: Clock, debounceMs = 30): Promise<void> {
  await clock.sleep(debounceMs * 3);
}
