/** The call manager's logger interface (pino or the CLI's logger is adapted to it by the composition root). */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug?(msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };
