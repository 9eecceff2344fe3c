/**
 * Logging for the composition roots (docs/logging.md), on pino: one plain line per event,
 * `2026-01-31T12:00:00.000Z INFO  message`, written to stderr so it never mixes with data on
 * stdout. Under systemd (JOURNAL_STREAM set) the line is `<6>message` instead: journald adds the
 * timestamp and takes the level from the sd-daemon(3) priority prefix. Drivers and stacks get
 * adapters of the Logger interface.
 *
 * pino's own "browser" build (pino/browser.js, its documented `browser.write` API): levels, their
 * filtering and message formatting, handing each event to us as an object. Its Node build would
 * add what this logger never uses (JSON serialisation that formatRecord parsed straight back,
 * sonic-boom, worker-thread transports) and costs every start: it loads node:worker_threads and
 * node:assert into the phone's main thread, ~100 kB more code to compile, and its module set-up
 * (docs/media.md "Start-up: what the phone's main thread loads").
 */
import pinoBrowser from 'pino/browser.js';
import type { Logger as Pino, LoggerOptions } from 'pino';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error'];

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  /** Absent on minimal loggers (tests): callers fall back to warn. */
  error?(msg: string): void;
  /** Protocol messages sent and received (`--trace`); absent = not traced. */
  trace?(msg: string): void;
  /** True when `level` lines are printed (skip building expensive messages otherwise). */
  enabled?(level: Level): boolean;
}

/** The same Logger with every method present. */
export type FullLogger = Required<Logger>;

/** pino's numeric levels → our names and the sd-daemon(3) priority (7 debug, 6 info, 4 warning, 3 err). */
const BY_NUMBER: Record<number, { name: string; priority: number }> = {
  10: { name: 'TRACE', priority: 7 }, 20: { name: 'DEBUG', priority: 7 }, 30: { name: 'INFO', priority: 6 },
  40: { name: 'WARN', priority: 4 }, 50: { name: 'ERROR', priority: 3 }, 60: { name: 'FATAL', priority: 2 },
};

export type LineFormat = 'iso' | 'journald' | 'clock';

/** One event as pino hands it over: its numeric level, time (ms since the epoch) and message. */
export interface LogRecord { level: number; time: number; msg?: string }

/** Formats one pino record as a plain line. */
export function formatRecord(r: LogRecord, format: LineFormat): string {
  const lv = BY_NUMBER[r.level] ?? { name: String(r.level), priority: 6 };
  const msg = (r.msg ?? '').replace(/\n/g, '\n    '); // continuation lines stay with their event
  if (format === 'journald') return `<${lv.priority}>${msg}`;
  const t = new Date(r.time).toISOString();
  return `${format === 'clock' ? t.slice(11, 19) : t} ${lv.name.padEnd(5)} ${msg}`;
}

const stderrLine = (l: string): void => { process.stderr.write(`${l}\n`); };

function defaultFormat(): LineFormat {
  return process.env['JOURNAL_STREAM'] ? 'journald' : 'iso';
}

function wrap(p: Pino): FullLogger {
  return {
    trace: (m) => p.trace(m), debug: (m) => p.debug(m), info: (m) => p.info(m), warn: (m) => p.warn(m), error: (m) => p.error(m),
    enabled: (level) => p.isLevelEnabled(level),
  };
}

/** A logger printing `min` and above; lines go to `write` (default: stderr). */
export function createLogger(min: Level, write: (line: string) => void = stderrLine, format: LineFormat = defaultFormat()): FullLogger {
  // time: Date.now(), the browser build's default timestamp
  const opts: LoggerOptions = { level: min, browser: { write: (r: object) => write(formatRecord(r as LogRecord, format)) } };
  return wrap(pinoBrowser(opts));
}

/** The level the shared command-line options ask for (src/command-line.ts LOG_OPTIONS). */
export function levelFromOptions(o: { 'log-level'?: string; verbose?: boolean; trace?: boolean }, fallback: Level = 'info'): Level {
  if (o.trace) return 'trace';
  if (o.verbose) return 'debug';
  const l = o['log-level'];
  return l !== undefined && (LEVELS as readonly string[]).includes(l) ? l as Level : fallback;
}

/** Collects lines in memory (tests, the simulator's log pane). */
export function memoryLogger(min: Level = 'info', limit = 200): FullLogger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(min, (l) => { lines.push(l); if (lines.length > limit) lines.shift(); }, 'clock');
  return Object.assign(logger, { lines });
}

/** One logger writing to both `a` and `b` (the simulator's pane and a redirected stderr). */
export function teeLogger(a: FullLogger, b: FullLogger): FullLogger {
  return {
    trace: (m) => { a.trace(m); b.trace(m); }, debug: (m) => { a.debug(m); b.debug(m); }, info: (m) => { a.info(m); b.info(m); },
    warn: (m) => { a.warn(m); b.warn(m); }, error: (m) => { a.error(m); b.error(m); }, enabled: (l) => a.enabled(l) || b.enabled(l),
  };
}
