/**
 * Composition root for one phone on real hardware: board config → hal/bindings (I2C, GPIO, HID)
 * and the real drivers (hal/board composeBoard 'hardware'), the board's ALSA capture/playback
 * devices (hal/bindings/audio-io.ts), and the same firmware stack as the emulated phones
 * (phone-stack.ts). Every hardware problem surfaces as a HalError naming the config key.
 */
import { HalError, type PcmFormat, type PcmSink, type PcmSource } from '../../hal/api/index.js';
import type { Clock } from '../../hal/api/clock.js';
import { openPcmSink, openPcmSource } from '../../hal/bindings/audio-io.js';
import { composeBoard, type HardwareBindingOptions, type HardwareBoard } from '../../hal/board/compose.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import type { SccpServer } from '../../firmware/sccp/station.js';
import { createPhoneStack, type PhoneStack } from './phone-stack.js';
import type { Logger } from './logger.js';

export interface HardwarePhoneOptions {
  boardFile: string;
  servers: SccpServer[];
  protocol?: 'sccp' | 'sscp';
  deviceName?: string;
  clock: Clock;
  log: Logger;
  /** RTP bind address; default 0.0.0.0 (the phone talks to other hosts). */
  bindAddress?: string;
  /** Binding choices / injected modules (tests). */
  bindings?: HardwareBindingOptions;
}

export interface HardwarePhone extends PhoneStack {
  readonly board: HardwareBoard;
}

/** 20 ms periods: the RTP packet time the media engine sends (RFC 3551 §4.5 default ptime). */
const PERIOD_MS = 20;

export async function createHardwarePhone(o: HardwarePhoneOptions): Promise<HardwarePhone> {
  const config = loadBoardConfig(o.boardFile);
  if (!config.audio) {
    throw new HalError('INVALID', 'the board config has no audio devices', {
      device: 'audio', operation: 'compose hardware phone', hint: 'add audio: {capture: "plughw:CARD=Device,DEV=0", playback: "plughw:CARD=Device,DEV=0"} (arecord -L / aplay -L list them)',
    });
  }
  const audio = config.audio;
  const board = await composeBoard(config, { mode: 'hardware', clock: o.clock, log: (m) => o.log.info(m), ...(o.bindings ? { bindings: o.bindings } : {}) });
  const format: PcmFormat = { sampleRate: audio.rate, channels: 1, periodFrames: (audio.rate * PERIOD_MS) / 1000 };
  let microphone: PcmSource | undefined;
  let speaker: PcmSink | undefined;
  try {
    microphone = await openPcmSource({ device: audio.capture, format }, (m) => o.log.info(m));
    speaker = await openPcmSink({ device: audio.playback, format });
  } catch (e) {
    await board.close();
    throw relabel(e, microphone ? 'audio.playback' : 'audio.capture');
  }
  const stack = createPhoneStack({
    name: config.board.name, ...(o.deviceName ? { deviceName: o.deviceName } : {}), hardware: board.hardware, microphone, speaker,
    servers: o.servers, ...(o.protocol ? { protocol: o.protocol } : {}), clock: o.clock, bindAddress: o.bindAddress ?? '0.0.0.0', log: o.log,
  });
  return {
    ...stack, board,
    start: () => stack.start(),
    async close() { await stack.close(); await board.close(); },
  };
}

function relabel(e: unknown, key: string): unknown {
  if (!(e instanceof HalError)) return e;
  return new HalError(e.code, e.message, { device: key, operation: 'compose hardware phone', ...(e.hint ? { hint: e.hint } : {}), cause: e });
}
