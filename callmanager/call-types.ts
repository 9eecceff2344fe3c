/** The call core's data: devices, call legs, calls, and the events it publishes (calls.ts). */
import type { TimerHandle } from '../hal/api/clock.js';
import type { CallStateName } from '../firmware/station/signalling.js';
import type { RelaySession } from './call-media.js';
import type { CodecName } from './codec-choice.js';
import type { LineConfig } from './config.js';
import type { StationSink } from './station.js';
import type { LegMode } from './features/fx-types.js';

/** 'parked': on a park slot, hearing music on hold (features/park.ts). */
export type LegState = 'dialing' | 'ringout' | 'ringin' | 'connected' | 'hold' | 'busy' | 'reorder' | 'parked' | 'ended';

export interface Device {
  name: string; lines: LineConfig[]; speeddials: { number: string; label: string; blf?: boolean }[];
  sink?: StationSink; codecs: CodecName[]; lastDialed?: string; dnd: boolean;
  /** The focused call (the one keys act on); `calls` has every call of the device, held and waiting ones too. */
  leg?: Leg; calls: Leg[];
}
export interface Leg {
  dev: Device; line: number; ref: number; state: LegState; digits: string; call?: Call;
  timer?: TimerHandle; mediaOpen: boolean; rtp?: { ip: string; port: number }; mediaStarted: boolean;
  /** Call id observers see: the caller leg's ref, for both legs, kept after the call ends. */
  cid: number; party: Party; shown: CallStateName; speaker?: boolean;
  /** features/router.ts: collecting a forward target; the held leg of a transfer being dialled. */
  mode?: LegMode; held?: Leg; consult?: boolean;
  /** A ring the CM started for a feature (park reversion, callback; features/recall.ts): what answering it does. */
  recall?: (leg: Leg) => void;
}
export interface Call { id: number; caller: Leg; callee: Leg; codec: CodecName; heldBy?: Leg; relay?: RelaySession; relayPending?: object }

export interface Party { callingName: string; calling: string; calledName: string; called: string }
export interface CallEvent { id: number; caller: string; callee: string; state: 'ringing' | 'connected' | 'busy' | 'ended' | 'hold' | 'resumed' }
/**
 * 'leg' event: what one device was just told about its call — a CallState (`kind: 'state'`) or a
 * CallInfo (`kind: 'info'`). Third-party control (third-party.ts) turns these into TSP Notifies.
 */
export interface LegEvent { device: string; line: number; callId: number; kind: 'state' | 'info'; state: CallStateName; party: Party }
export interface CoreResult { ok: boolean; reason?: string }

