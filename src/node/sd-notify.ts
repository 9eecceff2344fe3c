/**
 * sd_notify(3) for `deskphone phone` under systemd (Type=notify, WatchdogSec=, docs/install.md):
 * READY=1 once the station has started, STATUS= with the registration state, WATCHDOG=1 every
 * WatchdogSec/2 from the main event loop (a stuck loop sends nothing and systemd restarts the
 * phone), STOPPING=1 on shutdown.
 *
 * Node's dgram has no unix datagram sockets, so each message is sent by the `systemd-notify`
 * program (package systemd, present wherever systemd runs) with NotifyAccess=all in the unit,
 * because the sender is our child process. That costs one fork+exec per message: a watchdog ping
 * every 15 s and a status line per registration change, a few milliseconds of CPU each on a Pi
 * Zero 2 W, and no native module to build. systemd-notify (systemd ≥ 246) waits until the manager
 * has read the message (BARRIER=1), so a message from a child that exits at once is not lost.
 */
import { fstatSync } from 'node:fs';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { Logger } from './logger.js';

export interface Notifier {
  /** READY=1 with a STATUS= line. */
  ready(status: string): void;
  /** STATUS= (the registration state, shown by `systemctl status deskphone`). */
  status(text: string): void;
  /** STOPPING=1, then the watchdog stops; resolves when the message went out (or failed). */
  stopping(): Promise<void>;
}

/** Runs `systemd-notify ...assignments`; resolves with an error text or undefined. */
export type NotifySender = (assignments: string[], env: NodeJS.ProcessEnv) => Promise<string | undefined>;

export interface NotifierOptions {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  log: Logger;
  /** How messages leave (default: the systemd-notify program). */
  send?: NotifySender;
}

/**
 * The systemd-notify program; a missing program or a non-zero exit is the error text.
 * node:child_process is imported at the first message: a phone not under systemd never loads it.
 */
export const systemdNotify: NotifySender = async (assignments, env) => {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    let err = '';
    const child = spawn('systemd-notify', assignments, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.once('error', (e) => resolve((e as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'systemd-notify not found (it comes with the systemd package)' : `systemd-notify: ${e.message}`));
    child.once('close', (code) => resolve(code === 0 ? undefined : `systemd-notify exited with ${code}: ${err.trim() || 'no message'}`));
  });
};

/** The watchdog period asked for by systemd: WATCHDOG_USEC, for this process (WATCHDOG_PID). */
export function watchdogMs(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
  const usec = Number(env['WATCHDOG_USEC']);
  if (!(usec > 0)) return undefined;
  if (env['WATCHDOG_PID'] !== undefined && Number(env['WATCHDOG_PID']) !== pid) return undefined;
  return usec / 1000;
}

/** A notifier when NOTIFY_SOCKET is set (started by systemd with Type=notify), otherwise undefined. */
export function createNotifier(o: NotifierOptions): Notifier | undefined {
  if (!o.env['NOTIFY_SOCKET']) return undefined;
  const send = o.send ?? systemdNotify;
  let queue: Promise<void> = Promise.resolve();
  let failed = false;
  let pingQueued = false;
  const post = (assignments: string[]): Promise<void> => {
    queue = queue.then(async () => {
      if (failed) return;
      const error = await send(assignments, o.env);
      if (error) {
        failed = true; // one explanation, not one per ping
        o.log.warn(`systemd notification ${assignments[0]} not sent: ${error}; systemd will restart the phone when WatchdogSec runs out`);
      }
    });
    return queue;
  };
  // Half the period (sd_watchdog_enabled(3): "send WATCHDOG=1 ... at least every half of the time").
  const period = watchdogMs(o.env);
  let timer: TimerHandle | undefined;
  if (period !== undefined) {
    timer = o.clock.setInterval(() => {
      if (pingQueued) return; // the last ping has not left yet: do not pile up children
      pingQueued = true;
      void post(['WATCHDOG=1']).then(() => { pingQueued = false; });
    }, period / 2);
  }
  const line = (s: string): string => s.replace(/\n/g, ' ');
  return {
    ready: (status) => { void post(['READY=1', `STATUS=${line(status)}`]); },
    status: (text) => { void post([`STATUS=${line(text)}`]); },
    async stopping() {
      o.clock.clearInterval(timer);
      await post(['STOPPING=1', 'STATUS=stopping']);
    },
  };
}

/**
 * True when fd 1 is the journal: systemd.exec(5), "JOURNAL_STREAM": systemd sets it to the
 * "device:inode" (decimal) of the stream it connected stdout/stderr to, so that a program can tell
 * the journal from a pipe or a file it was redirected to afterwards.
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  const want = env.JOURNAL_STREAM;
  if (!want) return false;
  try {
    const st = fstatSync(1);
    return `${st.dev}:${st.ino}` === want;
  } catch { return false; }
}
