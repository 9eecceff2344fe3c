/**
 * The firmware stack on top of a composed board, shared by every composition root (emulated
 * phones in the simulator/scenarios/tests, and `deskphone phone` on a Pi): speaker mixer (far-end
 * audio + local tones), RTP media engine, SCCP or SSCP station and the phone application.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { PhoneHardware } from '../../hal/api/devices.js';
import type { PcmSink, PcmSource } from '../../hal/api/pcm.js';
import type { StateStore } from '../../hal/api/storage.js';
import { SpeakerMixer } from '../../firmware/media/mixer.js';
import { LocalTonePlayer } from '../../firmware/media/tones.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import type { SccpStation, SccpServer } from '../../firmware/sccp/station.js';
import type { SscpStation } from '../../firmware/sscp/station.js';
import { PhoneApp } from '../../firmware/phone/phone-app.js';
import { withPhoneBook, type PhoneBookEntry } from '../../firmware/phone/phone-book.js';
import { FarEndDtmfPlayer } from '../../firmware/station/inband-dtmf.js';
import { traceTo } from '../../firmware/station/trace.js';
import type { Logger } from './logger.js';

export interface PhoneStackOptions {
  /** Prefix of log lines. */
  name: string;
  /** SEP + 12 hex digits; default: the station's own default (MAC of this machine). */
  deviceName?: string;
  hardware: PhoneHardware;
  microphone: PcmSource;
  /** The earpiece/speaker device; the mixer writes to it and closes it. */
  speaker: PcmSink;
  /** Call managers in failover order: SCCP TCP ports, or SSCP UDP ports when `protocol` is 'sscp'. */
  servers: SccpServer[];
  /** Station protocol (default 'sccp'). */
  protocol?: 'sccp' | 'sscp';
  clock: Clock;
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  bindAddress?: string;
  /** Mixer keeps writing silence when idle (a recording earpiece must see wall-clock time). */
  continuousSpeaker?: boolean;
  /** Where call history, redial and the last call manager are kept (docs/state.md §1); none = forgotten on restart. */
  state?: StateStore;
  log: Logger;
  /** Codecs offered, in order of preference (default: all the media engine has). */
  codecs?: readonly string[];
  /** Local phone book: names for numbers the call manager sends without one. */
  phoneBook?: readonly PhoneBookEntry[];
  /** SCCP: the call manager's CiscoIPPhoneDirectory URL (docs/directory.md §4; `{cm}` = the CM's host). */
  directoryUrl?: string;
}

/** The PhoneStackOptions a composition root passes through unchanged from its own options. */
export type PassThroughStackOptions = Pick<PhoneStackOptions, 'codecs' | 'phoneBook' | 'directoryUrl'>;

export interface PhoneStack {
  readonly station: SccpStation | SscpStation;
  readonly app: PhoneApp;
  readonly media: RtpMediaEngine;
  readonly mixer: SpeakerMixer;
  start(): Promise<void>;
  /** Stops the app, the station, media and the mixer (not the board: its owner closes it). */
  close(): Promise<void>;
}

/**
 * Builds the stack. Only the chosen protocol's station is loaded (dynamic import): an SCCP phone
 * never loads the SSCP XML stack (fast-xml-parser and its ~40 modules), an SSCP phone not SCCP's.
 */
export async function createPhoneStack(o: PhoneStackOptions): Promise<PhoneStack> {
  const stationModule = o.protocol === 'sscp' ? import('../../firmware/sscp/station.js') : import('../../firmware/sccp/station.js');
  const mixer = new SpeakerMixer({ clock: o.clock, sink: o.speaker, ...(o.continuousSpeaker ? { idleStopPeriods: Number.POSITIVE_INFINITY } : {}) });
  const media = new RtpMediaEngine({
    clock: o.clock, microphone: o.microphone, speaker: mixer.channel('far-end'), bindAddress: o.bindAddress ?? '127.0.0.1',
    log: (level, msg) => o.log[level === 'warn' ? 'warn' : 'debug'](`${o.name}: media: ${msg}`),
    ...(o.codecs ? { codecs: o.codecs } : {}),
  });
  const tones = new LocalTonePlayer({ clock: o.clock, sink: mixer.channel('tones') });
  // Far-end RFC 4733 telephone-events are heard as the DTMF tone on the earpiece.
  const farDtmf = new FarEndDtmfPlayer(tones, o.clock);
  media.onDtmf((_id, digit) => farDtmf.play(digit));
  const trace = o.log.enabled?.('trace') && o.log.trace ? traceTo((l) => o.log.trace!(`${o.name}: ${l}`)) : undefined;
  const mod = await stationModule;
  const station: SccpStation | SscpStation = 'SscpStation' in mod
    ? new mod.SscpStation({
      ...(o.deviceName ? { deviceName: o.deviceName } : {}), servers: o.servers, clock: o.clock, media,
      lines: Math.max(1, Object.keys(o.hardware.lamps).filter((k) => /^line\d+$/.test(k)).length),
      // Register <Display>: the CM pages sets longer than the softkeys (docs/sscp.md §5 "Layout").
      display: { cols: o.hardware.display.cols, rows: o.hardware.display.rows, softkeys: o.hardware.softkeyCount },
      reconnect: { initialMs: 500, maxMs: 8000 }, ...(trace ? { transport: { trace } } : {}),
      log: (level, msg) => (level === 'error' ? o.log.error ?? o.log.warn : o.log[level])(`${o.name}: sscp: ${msg}`),
    })
    : new mod.SccpStation({
      ...(o.deviceName ? { deviceName: o.deviceName } : {}), servers: o.servers, clock: o.clock, media,
      reconnect: { initialMs: 500, maxMs: 8000 }, ...(trace ? { trace } : {}), ...(o.directoryUrl !== undefined ? { directoryUrl: o.directoryUrl } : {}),
      log: (level, msg) => (level === 'error' ? o.log.error ?? o.log.warn : o.log[level])(`${o.name}: sccp: ${msg}`),
    });
  const app = new PhoneApp({
    hardware: o.hardware, signalling: withPhoneBook(station, o.phoneBook ?? []), phoneBook: o.phoneBook ?? [], clock: o.clock, tones, ...(o.state ? { state: o.state } : {}),
    log: { warn: (m) => o.log.warn(`${o.name}: ${m}`), info: (m) => o.log.info(`${o.name}: ${m}`), debug: (m) => o.log.debug(`${o.name}: ${m}`) },
  });
  if (o.continuousSpeaker) mixer.tick(); // start the earpiece clock so silence is recorded from the beginning
  return {
    station, app, media, mixer,
    // The station registers while the display initialises (its power-on waits): the app has
    // subscribed to the station's events before its first await, and the display writer holds
    // writes until init is done.
    async start() { const ui = app.start(); await station.start(); await ui; },
    async close() {
      await app.stop();
      await station.stop();
      await media.close();
      farDtmf.stop();
      tones.stop();
      await mixer.close();
    },
  };
}
