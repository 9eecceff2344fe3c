/**
 * The board under test on real hardware (`deskphone phone --board F --rig-listen …` without
 * --emulated): the board's own drivers composed over bus-tap.ts's platform wrapper, so the agent
 * reads the screen decoded from the display's bus traffic, lamps and ringer from their line
 * writes, injects contacts at the drivers' input edge, and analyses the PCM on its way to the
 * earpiece's ALSA device (a copy is kept in a RecordingSpeaker). The platform and audio are
 * injectable: tests run the same composition over emulated devices.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { PhoneHardware } from '../../hal/api/devices.js';
import type { PcmSink, PcmSource } from '../../hal/api/pcm.js';
import { keypadOf } from '../../hal/board/components/index.js';
import { composeDrivers } from '../../hal/board/compose-drivers.js';
import { createHardwarePlatform } from '../../hal/board/hardware-platform.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import type { BoardPlatform } from '../../hal/board/platform.js';
import type { BoardConfig } from '../../hal/board/schema.js';
import { RecordingSpeaker } from '../../firmware/media/pcm-recorder.js';
import type { SccpServer } from '../../firmware/sccp/station.js';
import { boardAudio } from '../node/hardware-phone.js';
import { createPhoneStack, type PassThroughStackOptions, type PhoneStack } from '../node/phone-stack.js';
import type { Logger } from '../node/logger.js';
import { fuseRinger, type BoardUnderTest } from './board-under-test.js';
import { tapPlatform, type BoardTaps } from './bus-tap.js';

/** Seconds of earpiece audio kept for analysis (the protocol's MAX_AUDIO_MS). */
const EARPIECE_SECONDS = 10;

export interface TappedBoardOptions {
  boardFile: string;
  deviceName?: string;
  protocol?: 'sccp' | 'sscp';
  servers: SccpServer[];
  clock: Clock;
  log: Logger;
  /** What the taps sit on; default the hal/bindings hardware platform. */
  platform?: (config: BoardConfig) => BoardPlatform | Promise<BoardPlatform>;
  /** Microphone and earpiece; default the board config's ALSA devices. */
  audio?: (config: BoardConfig) => { microphone: PcmSource; speaker: PcmSink; micFrequency: number };
  /** Codecs, phone book and directory URL (phone config, docs/phone-config.md). */
  stack?: PassThroughStackOptions;
}

/** A sink that plays to `out` and keeps a copy for the agent's tone analysis. */
function teeSink(out: PcmSink, copy: RecordingSpeaker): PcmSink {
  return { name: out.name, format: out.format, write: (s) => { copy.write(s); out.write(s); }, close: () => out.close(), onError: (cb) => out.onError(cb) };
}

export async function tappedBoardUnderTest(o: TappedBoardOptions): Promise<BoardUnderTest> {
  const config = loadBoardConfig(o.boardFile);
  const audioOf = o.audio ?? ((c: BoardConfig) => {
    if (!c.audio) throw new Error(`${o.boardFile}: the board config has no audio devices (audio.capture / audio.playback)`);
    return { ...boardAudio(c.audio, o.clock, o.log), micFrequency: 0 };
  });
  interface Live { hardware: PhoneHardware; taps: BoardTaps; stack: PhoneStack; earpiece: RecordingSpeaker; micFrequency: number; close(): Promise<void> }
  const make = async (): Promise<Live> => {
    const platform = await (o.platform ?? ((c) => createHardwarePlatform(c, { clock: o.clock, log: (m) => o.log.info(m) })))(config);
    const taps = await tapPlatform(platform, config, o.clock);
    const drivers = await composeDrivers(config, taps.platform, { clock: o.clock, log: (m) => o.log.info(m) }).catch(async (e: unknown) => { await taps.platform.close(); throw e; });
    const { microphone, speaker, micFrequency } = audioOf(config);
    const earpiece = new RecordingSpeaker({ seconds: EARPIECE_SECONDS, format: speaker.format, name: 'earpiece tap' });
    const stack = await createPhoneStack({
      name: config.board.name, ...(o.deviceName ? { deviceName: o.deviceName } : {}), hardware: drivers.hardware, microphone,
      speaker: teeSink(speaker, earpiece), servers: o.servers, ...(o.protocol ? { protocol: o.protocol } : {}), clock: o.clock,
      continuousSpeaker: true, log: o.log, ...o.stack,
    });
    await stack.start();
    return {
      hardware: drivers.hardware, taps, stack, earpiece, micFrequency,
      async close() { await stack.close(); taps.close(); await drivers.close(); await taps.platform.close(); },
    };
  };
  let live = await make();
  const settle = (): Promise<void> => o.clock.sleep(config.hook.debounceMs * 3);
  const keyDebounce = keypadOf(config.keypad).debounceMs(config.keypad);
  // 5 × debounce, at least 100 ms (as the emulated board's tap).
  const holdDefault = Math.max(100, 5 * keyDebounce);
  return {
    get station() { return live.stack.station; },
    info() {
      return {
        device: live.stack.station.deviceName, protocol: o.protocol ?? 'sccp', micFrequency: live.micFrequency, board: config.board.name,
        keys: live.taps.inputs.filter((k) => k !== 'hook' && k !== 'headset'), lamps: Object.keys(config.lamps),
        softkeyCount: config.softkeys.count, server: live.stack.station.server,
        debounceMs: Math.max(keyDebounce, config.hook.debounceMs), ringerSource: 'driver+wire',
      };
    },
    async tap(key, holdMs = holdDefault) { live.taps.inject(key, true); await o.clock.sleep(holdMs); live.taps.inject(key, false); await o.clock.sleep(holdMs); },
    press: (key) => live.taps.inject(key, true),
    release: (key) => live.taps.inject(key, false),
    async setHook(off) { live.taps.inject('hook', off); await settle(); },
    async setHeadset(plugged) { live.taps.inject('headset', plugged); await settle(); },
    state() {
      const out = live.taps.outputs;
      const lamps: Record<string, string> = {};
      const hw = live.hardware;
      // Lamps on header lines from their line writes; others (expander pins, HID LEDs) from the driver.
      for (const [name, lamp] of Object.entries(hw.lamps)) lamps[name] = out.get(name)?.lampMode() ?? lamp.mode;
      const wire = out.get('ringer');
      return {
        screen: live.taps.screen({ cols: hw.display.cols, rows: hw.display.rows }), lamps,
        ringer: fuseRinger(hw.ringer.mode, wire ? wire.ringMode() : hw.ringer.mode, wire?.isOn),
        offHook: hw.hook.isOffHook(), station: live.stack.station.state,
      };
    },
    earpiece: (ms) => ({ samples: live.earpiece.recent(ms), sampleRate: live.earpiece.format.sampleRate }),
    async reset() { await live.close(); live = await make(); },
    standby: () => live.stack.station.stop(),
    async restart() { await live.close(); live = await make(); },
    close: () => live.close(),
  };
}
