/**
 * Audio backend selection for the composition root: capture prefers the in-process alsa-capture
 * binding and falls back to `arecord` when the optional package is absent; playback always uses
 * `aplay` (the `speaker` package aborts the process when no default PCM exists, docs/hardware.md §2).
 */
import { isHalError } from '../api/errors.js';
import type { PcmFormat, PcmSink, PcmSource } from '../api/pcm.js';
import { AlsaCaptureSource } from './audio-alsa-capture.js';
import { AplaySink, ArecordSource } from './audio-cli.js';

export type CaptureBackend = 'auto' | 'alsa-capture' | 'arecord';

export interface AudioDeviceOptions {
  /** ALSA PCM name from the board config ("default", "plughw:1,0", ...). */
  device: string;
  format: PcmFormat;
  /** Extra environment for the CLI tools (tests: XDG_CONFIG_HOME). */
  env?: NodeJS.ProcessEnv;
}

/** Opens a capture source. 'auto' = alsa-capture if it loads, else arecord. The device opens on start(). */
export async function openPcmSource(opts: AudioDeviceOptions & { backend?: CaptureBackend }, log?: (msg: string) => void): Promise<PcmSource> {
  const backend = opts.backend ?? 'auto';
  if (backend !== 'arecord') {
    try {
      return await AlsaCaptureSource.create({ device: opts.device, format: opts.format });
    } catch (e) {
      if (backend === 'alsa-capture' || !isHalError(e, 'UNAVAILABLE')) throw e;
      log?.(`audio: ${e.message}; using arecord`);
    }
  }
  return new ArecordSource({ device: opts.device, format: opts.format, ...(opts.env ? { env: opts.env } : {}) });
}

/** Opens a playback sink through aplay; rejects with a HalError when the device cannot be opened. */
export function openPcmSink(opts: AudioDeviceOptions): Promise<PcmSink> {
  return AplaySink.open({ device: opts.device, format: opts.format, ...(opts.env ? { env: opts.env } : {}) });
}
