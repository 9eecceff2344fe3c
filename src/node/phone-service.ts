/**
 * What `deskphone phone` adds around a running phone so it can be installed and forgotten
 * (docs/install.md): systemd notifications (src/node/sd-notify.ts: READY=1 once the station has
 * started, STATUS= on every registration change, the watchdog, STOPPING=1) and the control socket
 * `deskphone status` asks (src/node/control.ts).
 */
import type { Clock } from '../../hal/api/clock.js';
import type { RegistrationState, SignallingEvent } from '../../firmware/station/signalling.js';
import type { CallView } from '../../firmware/phone/call-model.js';
import { party } from '../../firmware/phone/call-model.js';
import { ControlBusyError, defaultControlPath, startControlServer, type PhoneStatus } from './control.js';
import { createNotifier, type NotifySender } from './sd-notify.js';
import type { FullLogger } from './logger.js';
import type { RecentProblem } from './recent-log.js';

export interface ServicePhone {
  station: { state: RegistrationState; deviceName: string; server?: string; protocol: 'sccp' | 'sscp'; onEvent(cb: (e: SignallingEvent) => void): unknown };
  /** The phone application's calls, when the composition has one. */
  calls?(): Iterable<CallView>;
  audio(): PhoneStatus['audio'];
}

export interface PhoneServiceOptions {
  phone: ServicePhone;
  callManagers: string[];
  log: FullLogger;
  recent: () => RecentProblem[];
  clock: Clock;
  /** The control socket; undefined: the default path, and a busy default is only a warning. */
  control: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** How systemd notifications leave (tests). */
  notify?: NotifySender;
}

export interface PhoneService {
  readonly controlPath: string | undefined;
  /** The station has started: READY=1. */
  ready(): void;
  /** STOPPING=1, then the control socket closes. */
  close(): Promise<void>;
}

const started = Date.now();

function regText(p: ServicePhone): string {
  const s = p.station;
  return s.state === 'registered' ? `registered to ${s.server ?? '?'} as ${s.deviceName}`
    : `${s.state}${s.server ? ` (${s.server})` : ''}, device ${s.deviceName}`;
}

/** The status the control socket answers. */
export function phoneStatus(p: ServicePhone, callManagers: string[], recent: RecentProblem[]): PhoneStatus {
  return {
    pid: process.pid, uptimeS: Math.round((Date.now() - started) / 1000),
    device: p.station.deviceName, protocol: p.station.protocol,
    registration: { state: p.station.state, server: p.station.server ?? '' },
    callManagers,
    calls: [...(p.calls?.() ?? [])].map((c) => ({ line: c.line, callRef: c.callRef, state: c.state, direction: c.direction, ...party(c) })),
    audio: p.audio(),
    lastErrors: recent,
  };
}

export async function startPhoneService(o: PhoneServiceOptions): Promise<PhoneService> {
  const env = o.env ?? process.env;
  const notifier = createNotifier({ env, clock: o.clock, log: o.log, ...(o.notify ? { send: o.notify } : {}) });
  let isReady = false;
  o.phone.station.onEvent((e) => {
    if (e.type === 'registration' && isReady) notifier?.status(regText(o.phone));
  });
  let control: Awaited<ReturnType<typeof startControlServer>> | undefined;
  const path = o.control ?? defaultControlPath(env);
  try {
    control = await startControlServer(path, () => phoneStatus(o.phone, o.callManagers, o.recent()));
    o.log.debug(`control socket ${path} (deskphone status)`);
  } catch (e) {
    if (o.control !== undefined) throw e; // asked for by name: the user must know
    // Another phone on this machine holds the default (several phones on a laptop): only worth an info line.
    const say = e instanceof ControlBusyError ? o.log.info : o.log.warn;
    say(`control socket: ${(e as Error).message}${e instanceof ControlBusyError ? '' : ` (${path})`}; \`deskphone status\` will not see this phone`);
  }
  return {
    controlPath: control?.path,
    ready() { isReady = true; notifier?.ready(regText(o.phone)); },
    async close() {
      isReady = false; // the unregistration while stopping is not news for systemctl status
      await notifier?.stopping();
      await control?.close();
    },
  };
}
