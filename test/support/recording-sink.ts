/**
 * A station sink that records what the call core sends (CmCommands), for call-manager unit tests on
 * fake stations: one copy instead of one per test file.
 */
import type { CmCommand, StationSink } from '../../callmanager/station.js';

export type Cmd<T extends CmCommand['t']> = Extract<CmCommand, { t: T }>;

export class RecordingSink implements StationSink {
  cmds: CmCommand[] = [];
  readonly localAddress = '127.0.0.1';
  send(c: CmCommand): void { this.cmds.push(c); }
  /** The commands so far, and forget them. */
  take(): CmCommand[] { const c = this.cmds; this.cmds = []; return c; }
  clear(): void { this.cmds = []; }
  all<T extends CmCommand['t']>(t: T): Cmd<T>[] { return this.cmds.filter((c): c is Cmd<T> => c.t === t); }
  last<T extends CmCommand['t']>(t: T): Cmd<T> | undefined { return this.all(t).at(-1); }
  /** The texts of every Notify. */
  notices(): string[] { return this.all('notify').map((c) => c.text); }
  /** CallState states, of call `ref` when given. */
  states(ref?: number): string[] { return this.all('callState').filter((c) => ref === undefined || c.ref === ref).map((c) => c.state); }
  has(pred: (c: CmCommand) => boolean): boolean { return this.cmds.some(pred); }
  /** Whether a `t` command (prompt, notify, …) carried exactly `text`. */
  hasText(t: CmCommand['t'], text: string): boolean { return this.cmds.some((c) => c.t === t && 'text' in c && c.text === text); }
}
