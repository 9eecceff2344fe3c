/**
 * The last warnings and errors of a running phone, for `deskphone status` (src/node/control.ts):
 * a logger that passes every line on and keeps the newest `limit` warn/error messages with their
 * time, whatever the printed log level.
 */
import type { FullLogger, Level } from './logger.js';

export interface RecentProblem { time: string; level: 'warn' | 'error'; message: string }

/** How many warn/error lines `deskphone status` shows by default. */
export const RECENT_PROBLEMS = 20;

export function keepRecentProblems(log: FullLogger, limit = RECENT_PROBLEMS, now: () => Date = () => new Date()):
  { log: FullLogger; recent(): RecentProblem[] } {
  const ring: RecentProblem[] = [];
  const keep = (level: 'warn' | 'error', message: string): void => {
    ring.push({ time: now().toISOString(), level, message });
    if (ring.length > limit) ring.shift();
  };
  return {
    log: {
      trace: (m) => log.trace(m), debug: (m) => log.debug(m), info: (m) => log.info(m),
      warn: (m) => { keep('warn', m); log.warn(m); },
      error: (m) => { keep('error', m); log.error(m); },
      enabled: (level: Level) => log.enabled(level),
    },
    recent: () => ring.slice(),
  };
}
