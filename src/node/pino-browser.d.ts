/**
 * Types for pino's browser build (pino/browser.js, no .d.ts of its own): the same factory and
 * options as pino's Node build (its pino.d.ts documents `browser.write` for this build).
 */
declare module 'pino/browser.js' {
  import type { Logger, LoggerOptions } from 'pino';
  export default function pino(options?: LoggerOptions): Logger;
}
