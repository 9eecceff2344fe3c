/**
 * What the feature modules (router.ts, forward-cond.ts, idivert.ts) see of the call core: its legs,
 * devices and the operations CallCore passes as closures (calls.ts Leg / Device are supersets).
 */
import type { CodecName } from '../../firmware/media/codecs.js';
import type { LineConfig } from '../config.js';
import type { CmCommand, StationSink } from '../station.js';

/** What the router sees of the core's legs and devices (calls.ts Leg / Device are supersets). */
export interface FxDevice {
  name: string; lines: LineConfig[]; sink?: StationSink; leg?: FxLeg; voicemail?: boolean;
  /** Kept in storage (docs/state.md §2): restored at start, saved through deviceChanged(). */
  dnd?: boolean; lastDialed?: string | undefined;
}
export interface FxLeg {
  dev: FxDevice; line: number; ref: number; state: string; digits: string; call?: unknown;
  /** Collecting a forward target (all, busy, no answer) or a pickup group instead of a number to call. */
  mode?: LegMode;
  /** Transfer: the held leg whose far party goes to the number being dialled (blind) or to the consulted party. */
  held?: FxLeg;
  /** Consult transfer (the default): the number dialled is called normally; Transfer again joins (calls.ts). */
  consult?: boolean;
}
export interface Target { dev: FxDevice; instance: number; line: LineConfig }
/** What a dialling leg collects besides a number to call (forward.ts, forward-cond.ts, pickup.ts). */
export type LegMode = 'forward' | 'forwardBusy' | 'forwardNoAnswer' | 'groupPickup';

/** The core operations the router uses (CallCore passes closures over its private methods). */
export interface CoreOps {
  send(leg: FxLeg, cmd: CmCommand): void;
  startDialing(dev: FxDevice, line: number): FxLeg;
  teardown(leg: FxLeg): void;
  hangup(leg: FxLeg, byUser: boolean): void;
  hold(leg: FxLeg): void;
  reorder(leg: FxLeg, text: string): void;
  /** The far leg of `leg`'s call. */
  other(leg: FxLeg): FxLeg | undefined;
  /** Ends the call between `a` and `b` quietly (both legs forget it) so `b` can be re-routed. */
  detachCall(a: FxLeg): void;
  /** Places a call from `leg` to `number` (forwarding, busy, voicemail and ringing all apply). */
  place(leg: FxLeg, number: string, transferred: boolean): void;
  /** Rings `target` for `leg`'s call (used to redirect an unanswered call to voicemail). */
  ring(leg: FxLeg, target: Target, shown: string, original?: { number: string; name: string }): void;
  addDevice(name: string, line: LineConfig): FxDevice;
  attach(name: string, sink: StationSink): void;
  setCapabilities(name: string, codecs: CodecName[]): void;
  offHook(name: string): void;
  onHook(name: string): void;
  mediaReady(name: string, passThru: number, status: number, ip: string, port: number): void;
  owner(number: string): Target | undefined;
  devices(): Iterable<FxDevice>;
  /** Whether `target` can take a call now (multi-call.ts admit: not 'busy'). */
  admits(target: Target): boolean;
}
