/**
 * Composition root for one phone on real hardware: board config → hal/bindings (I2C, GPIO, HID)
 * and the real drivers (hal/board composeBoard 'hardware'), the board's ALSA capture/playback
 * devices (hal/bindings/audio-io.ts), and the same firmware stack as the emulated phones
 * (phone-stack.ts). Every hardware problem surfaces as a HalError naming the config key.
 */
import { HalError, type PcmFormat } from '../../hal/api/index.js';
import type { Clock } from '../../hal/api/clock.js';
import { openPcmSink, openPcmSource } from '../../hal/bindings/audio-io.js';
import { composeBoard, type HardwareBindingOptions, type HardwareBoard } from '../../hal/board/compose.js';
import type { BoardConfig } from '../../hal/board/schema.js';
import type { SccpServer } from '../../firmware/sccp/station.js';
import { createPhoneStack, type PassThroughStackOptions, type PhoneStack } from './phone-stack.js';
import { ResilientSink, ResilientSource } from './resilient-audio.js';
import { openStateDir } from './file-state-store.js';
import type { Logger } from './logger.js';

export interface HardwarePhoneOptions {
  boardFile: string;
  /** `boardFile` already read and checked (config-off-thread.ts); undefined = read and checked here. */
  boardConfig?: BoardConfig;
  servers: SccpServer[];
  protocol?: 'sccp' | 'sscp';
  deviceName?: string;
  clock: Clock;
  log: Logger;
  /** RTP bind address; default 0.0.0.0 (the phone talks to other hosts). */
  bindAddress?: string;
  /** Directory of the phone's saved state (docs/state.md §1); none = nothing kept. */
  stateDir?: string;
  /** Codecs and phone book (phone config, docs/phone-config.md). */
  stack?: PassThroughStackOptions;
  /** Binding choices / injected modules (tests). */
  bindings?: HardwareBindingOptions;
}

export interface HardwarePhone extends PhoneStack {
  readonly board: HardwareBoard;
  /** The board's ALSA devices and whether each is open now (`deskphone status`). */
  audio(): AudioDeviceStatus[];
}

export interface AudioDeviceStatus { role: 'capture' | 'playback'; device: string; open: boolean }

/** 20 ms periods: the RTP packet time the media engine sends (RFC 3551 §4.5 default ptime). */
const PERIOD_MS = 20;

export async function createHardwarePhone(o: HardwarePhoneOptions): Promise<HardwarePhone> {
  const config = o.boardConfig ?? (await import('../../hal/board/load.js')).loadBoardConfig(o.boardFile);
  if (!config.audio) {
    throw new HalError('INVALID', 'the board config has no audio devices', {
      device: 'audio', operation: 'compose hardware phone', hint: 'add audio: {capture: "plughw:CARD=Device,DEV=0", playback: "plughw:CARD=Device,DEV=0"} (arecord -L / aplay -L list them)',
    });
  }
  const board = await composeBoard(config, { mode: 'hardware', clock: o.clock, log: (m) => o.log.info(m), ...(o.bindings ? { bindings: o.bindings } : {}) });
  const { microphone, speaker } = boardAudio(config.audio, o.clock, o.log);
  const state = await openStateDir(o.stateDir, (m) => o.log.warn(m));
  const stack = await createPhoneStack({
    name: config.board.name, ...(o.deviceName ? { deviceName: o.deviceName } : {}), hardware: board.hardware, microphone, speaker,
    servers: o.servers, ...(o.protocol ? { protocol: o.protocol } : {}), clock: o.clock, bindAddress: o.bindAddress ?? '0.0.0.0', ...(state ? { state } : {}), log: o.log, ...o.stack,
  });
  return {
    ...stack, board,
    audio: () => [
      { role: 'capture', device: config.audio!.capture, open: microphone.open },
      { role: 'playback', device: config.audio!.playback, open: speaker.open },
    ],
    start: () => stack.start(),
    async close() { await stack.close(); await board.close(); },
  };
}

/**
 * The board's ALSA capture and playback devices; a missing or unplugged device is logged with its
 * fix and retried, so signalling keeps working.
 */
export function boardAudio(audio: NonNullable<BoardConfig['audio']>, clock: Clock, log: Logger): { microphone: ResilientSource; speaker: ResilientSink } {
  const format: PcmFormat = { sampleRate: audio.rate, channels: 1, periodFrames: (audio.rate * PERIOD_MS) / 1000 };
  const audioLog = (m: string) => log.warn(m);
  const microphone = new ResilientSource({
    name: `audio.capture ${audio.capture}`, format, clock, log: audioLog,
    open: () => openPcmSource({ device: audio.capture, format }, (m) => log.info(m)),
  });
  const speaker = new ResilientSink({
    name: `audio.playback ${audio.playback}`, format, clock, log: audioLog,
    open: () => openPcmSink({ device: audio.playback, format }),
  });
  return { microphone, speaker };
}
