/**
 * Composition root for one phone on an emulated board: board config → emulated devices and the
 * real drivers (hal/board), a microphone tone generator and a recording earpiece behind the
 * speaker mixer (firmware/media), the SCCP or SSCP station, and the phone application on top.
 * The same wiring with hardware bindings instead of emulators runs on a Pi.
 */
import type { Clock } from '../../hal/api/clock.js';
import { composeEmulatedBoard, type EmulatedBoard } from '../../hal/board/compose.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import { ToneMicrophone, RecordingSpeaker, DEFAULT_FORMAT } from '../../firmware/media/emulated-audio.js';
import { SpeakerMixer } from '../../firmware/media/mixer.js';
import { LocalTonePlayer } from '../../firmware/media/tones.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import { SccpStation, type SccpServer } from '../../firmware/sccp/station.js';
import { SscpStation } from '../../firmware/sscp/station.js';
import { PhoneApp } from '../../firmware/phone/phone-app.js';
import type { PhoneUnderTest } from '../scenario/rig.js';
import type { Logger } from './logger.js';

export interface EmulatedPhoneOptions {
  name: string;
  /** SEP + 12 hex digits; default: SEP + the MAC of this machine's first network interface. */
  deviceName?: string;
  boardFile: string;
  /** Call managers in failover order: SCCP TCP ports, or SSCP UDP ports when `protocol` is 'sscp'. */
  servers: SccpServer[];
  /** Station protocol (default 'sccp'). */
  protocol?: 'sccp' | 'sscp';
  clock: Clock;
  /** Hz of the emulated microphone's sine. */
  micFrequency: number;
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  bindAddress?: string;
  log: Logger;
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
  const config = loadBoardConfig(o.boardFile);
  const board = await composeEmulatedBoard(config, { clock: o.clock, log: (m: string) => o.log.info(`${o.name}: ${m}`) });
  const earpiece = new RecordingSpeaker({ seconds: EARPIECE_SECONDS, format: DEFAULT_FORMAT, name: `${o.name}-earpiece` });
  // The mixer never idles: a real earpiece keeps playing silence, and "what was heard in the last
  // 200 ms" must mean wall-clock time, not the last time something played.
  const mixer = new SpeakerMixer({ clock: o.clock, sink: earpiece, idleStopPeriods: Number.POSITIVE_INFINITY });
  const microphone = new ToneMicrophone({ clock: o.clock, freq: o.micFrequency, name: `${o.name}-mic` });
  const media = new RtpMediaEngine({
    clock: o.clock, microphone, speaker: mixer.channel('far-end'), bindAddress: o.bindAddress ?? '127.0.0.1',
    log: (level, msg) => o.log[level === 'warn' ? 'warn' : 'debug'](`${o.name}: media: ${msg}`),
  });
  const tones = new LocalTonePlayer({ clock: o.clock, sink: mixer.channel('tones') });
  const station = o.protocol === 'sscp'
    ? new SscpStation({
      ...(o.deviceName ? { deviceName: o.deviceName } : {}), servers: o.servers, clock: o.clock, media,
      lines: Math.max(1, Object.keys(board.emulators.lamps).filter((k) => /^line\d+$/.test(k)).length),
      reconnect: { initialMs: 500, maxMs: 8000 },
      log: (level, msg) => o.log[level === 'error' ? 'warn' : level](`${o.name}: sscp: ${msg}`),
    })
    : new SccpStation({
      ...(o.deviceName ? { deviceName: o.deviceName } : {}), servers: o.servers, clock: o.clock, media,
      reconnect: { initialMs: 500, maxMs: 8000 },
      log: (level, msg) => o.log[level === 'error' ? 'warn' : level](`${o.name}: sccp: ${msg}`),
    });
  const app = new PhoneApp({
    hardware: board.hardware, signalling: station, clock: o.clock, tones,
    log: { warn: (m) => o.log.warn(`${o.name}: ${m}`), info: (m) => o.log.info(`${o.name}: ${m}`), debug: (m) => o.log.debug(`${o.name}: ${m}`) },
  });
  const emu = board.emulators;
  mixer.tick(); // start the earpiece clock so silence is recorded from the beginning

  return {
    name: o.name, micFrequency: o.micFrequency, board, station, app, media, earpiece,
    async start() { await app.start(); await station.start(); },
    async close() {
      await app.stop();
      await station.stop();
      await media.close();
      tones.stop();
      await mixer.close();
      await board.close();
    },
    async lift() { emu.hook.lift(); await settle(o.clock, config.hook?.debounceMs); },
    async replace() { emu.hook.replace(); await settle(o.clock, config.hook?.debounceMs); },
    async tap(key) { await emu.keypad.tap(key); },
    lcd() { return emu.lcd ? emu.lcd.screen() : app.screen(); },
    softkeyCount() { return board.hardware.softkeyCount; },
    lamps() { return Object.fromEntries(Object.entries(emu.lamps).map(([k, f]) => [k, f()])); },
    ringer() { return emu.ringer(); },
    heard(ms) { return { samples: earpiece.recent(ms), sampleRate: earpiece.format.sampleRate }; },
  };
}

/** Waits out the contact debounce so the driver has reported the change. */
async function settle(clock: Clock, debounceMs = 30): Promise<void> {
  await clock.sleep(debounceMs * 3);
}
