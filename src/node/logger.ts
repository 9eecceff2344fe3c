/** A small levelled logger for the composition root; drivers and stacks get adapters of it. */
export type Level = 'debug' | 'info' | 'warn';
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2 };

export function createLogger(min: Level, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const at = (level: Level) => (msg: string) => { if (ORDER[level] >= ORDER[min]) write(`[${level}] ${msg}`); };
  return { debug: at('debug'), info: at('info'), warn: at('warn') };
}

/** Collects lines in memory (tests, the simulator's log pane). */
export function memoryLogger(min: Level = 'info', limit = 200): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(min, (l) => { lines.push(l); if (lines.length > limit) lines.shift(); });
  return Object.assign(logger, { lines });
}
