/**
 * The call manager's own media services, built from the config for the call core
 * (docs/conference.md "Using it from the call core"): ad-hoc conference bridges (conference.*),
 * one shared bridge per meet-me number (meetme[]) and music on hold (moh.*). The music is loaded
 * here, so a bad moh.file fails at start-up with the file named, not when someone is put on hold.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Clock } from '../../hal/api/clock.js';
import type { CallManagerConfig } from '../config.js';
import { silentLogger, type Logger } from '../station.js';
import { ConferenceBridge } from './conference.js';
import { MusicOnHold } from './moh.js';

export interface MediaServicesOptions {
  /** The CM's media address (RTP sockets bind it). Default: server.bind unless a wildcard, else 127.0.0.1. */
  bindAddress?: string;
  /** Directory relative moh.file paths start from (the config file's). Default: the working directory. */
  baseDir?: string;
  log?: Logger;
}

export interface MediaServices {
  readonly maxParticipants: number;
  readonly moh: MusicOnHold;
  /** A new ad-hoc conference bridge (the caller closes it when the conference ends). */
  conference(name?: string): ConferenceBridge;
  /** True when `number` is a configured meet-me number. */
  isMeetme(number: string): boolean;
  /** The meet-me room of `number` (made on first use, kept until it or the services close), or undefined if it is none. */
  meetme(number: string): ConferenceBridge | undefined;
  /** Closes every bridge made here and the music on hold. */
  close(): Promise<void>;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

export function createMediaServices(config: CallManagerConfig, clock: Clock, opts: MediaServicesOptions = {}): MediaServices {
  const log = opts.log ?? silentLogger;
  const bindAddress = opts.bindAddress ?? (WILDCARDS.has(config.server.bind) ? '127.0.0.1' : config.server.bind);
  const file = config.moh.file === undefined ? undefined
    : isAbsolute(config.moh.file) ? config.moh.file : resolve(opts.baseDir ?? process.cwd(), config.moh.file);
  const moh = new MusicOnHold({ clock, bindAddress, log, ...(file !== undefined ? { file } : {}) });
  const max = config.conference.maxParticipants;
  const rooms = new Map(config.meetme.map((m) => [m.number, m] as const));
  const open = new Map<string, ConferenceBridge>();
  const adhoc = new Set<ConferenceBridge>();
  let count = 0;
  return {
    maxParticipants: max,
    moh,
    conference(name) {
      const b: ConferenceBridge = new ConferenceBridge({ clock, bindAddress, maxParticipants: max, log,
        name: name ?? `conference ${++count}`, onClosed: () => adhoc.delete(b) });
      adhoc.add(b);
      return b;
    },
    isMeetme: (number) => rooms.has(number),
    meetme(number) {
      const room = rooms.get(number);
      if (!room) return undefined;
      let b = open.get(number);
      if (!b) {
        // A room closed when it emptied is made afresh on the next call (the call core closes empty rooms).
        b = new ConferenceBridge({ clock, bindAddress, maxParticipants: room.maxParticipants ?? max, log, name: `meetme ${number}`,
          onClosed: () => { if (open.get(number) === b) open.delete(number); } });
        open.set(number, b);
      }
      return b;
    },
    async close() {
      await Promise.all([...adhoc, ...open.values()].map((b) => b.close()));
      adhoc.clear(); open.clear();
      await moh.close();
    },
  };
}
