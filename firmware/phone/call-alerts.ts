/**
 * What the phone does by itself while it holds several calls (docs/features.md §2 "Several calls",
 * §3 lamps), as a 7960 does:
 * - call waiting: a call ringing in while another call is connected gives the call-waiting tone in
 *   the earpiece instead of the ringer. The CM's own StartTone CallWaiting (0x2D, docs/sccp.md §4)
 *   plays the same tone; when the CM sends none the phone plays it locally (tones.ts 'callwaiting':
 *   440 Hz 300 ms, repeated every 10 s) until the call is answered or gone;
 * - the ringer does not sound while the user is off hook in a call (the CM's SetRinger is ignored then);
 * - line lamps computed from the calls when the protocol leaves them to the phone (SSCP, docs/sscp.md
 *   §5 "Several calls"): blink for a ringing call, on for a call in use, wink for a held one, off.
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { TonePlayer } from '../media/engine.js';
import type { CallStateName } from '../station/signalling.js';
import type { PhoneModel } from './call-model.js';

const RINGING: ReadonlySet<CallStateName> = new Set<CallStateName>(['ringin', 'callwaiting']);
const HELD: ReadonlySet<CallStateName> = new Set<CallStateName>(['hold', 'holdrevert', 'park']);
/** States that light no lamp (the call is someone else's or gone). */
const UNLIT: ReadonlySet<CallStateName> = new Set<CallStateName>(['idle', 'onhook', 'remotemultiline']);

/** The lamp a 7960 shows for a line holding calls in these states (ringing > in use > held). */
export function lineLampMode(states: readonly CallStateName[]): LampMode {
  if (states.some((s) => RINGING.has(s))) return 'blink';
  if (states.some((s) => !HELD.has(s) && !UNLIT.has(s))) return 'on';
  if (states.some((s) => HELD.has(s))) return 'wink';
  return 'off';
}

/** A call rings in while another is connected: call waiting. */
export function callWaiting(m: PhoneModel): boolean {
  let ringing = false;
  let connected = false;
  for (const c of m.calls.values()) {
    if (RINGING.has(c.state)) ringing = true;
    else if (c.state === 'connected') connected = true;
  }
  return ringing && connected;
}

export interface CallAlertsDeps {
  tones: TonePlayer | undefined;
  setLamp(name: string, mode: LampMode): void;
}

export class CallAlerts {
  /** The call-waiting tone playing is ours (not the CM's StartTone). */
  private localTone = false;
  /** Line lamps last set from the calls (local mode), by line instance. */
  private readonly lit = new Map<number, LampMode>();

  constructor(private readonly d: CallAlertsDeps) {}

  /** SetRinger `mode` arrives: true when it must not sound (off hook in a call: call waiting). */
  muteRinger(m: PhoneModel, mode: RingMode, offHook: boolean): boolean {
    if (mode === 'off' || !offHook) return false;
    for (const c of m.calls.values()) if (!RINGING.has(c.state)) return true;
    return false;
  }

  /** After each event: the local call-waiting tone, and line lamps when `localLamps`. */
  update(m: PhoneModel, localLamps: boolean): void {
    const t = this.d.tones;
    if (t) {
      const waiting = callWaiting(m);
      if (waiting && t.playing === undefined) { t.play('callwaiting'); this.localTone = true; }
      else if (!waiting && this.localTone) {
        if (t.playing === 'callwaiting') t.stop();
        this.localTone = false;
      }
    }
    if (localLamps) this.updateLamps(m);
  }

  /** The CM stopped or replaced the tone: a later call waiting starts our own again. */
  toneFromCm(): void { this.localTone = false; }

  /** In local mode a CM line lamp applies only to a line the phone holds no call on (a shared line in use elsewhere). */
  cmLineLampApplies(m: PhoneModel, line: number): boolean {
    for (const c of m.calls.values()) if (c.line === line) return false;
    return true;
  }

  private updateLamps(m: PhoneModel): void {
    const byLine = new Map<number, CallStateName[]>();
    for (const c of m.calls.values()) {
      const l = byLine.get(c.line);
      if (l) l.push(c.state); else byLine.set(c.line, [c.state]);
    }
    for (const line of new Set([...byLine.keys(), ...this.lit.keys()])) {
      const mode = lineLampMode(byLine.get(line) ?? []);
      if ((this.lit.get(line) ?? 'off') === mode) continue;
      this.d.setLamp(`line${line}`, mode);
      if (mode === 'off') this.lit.delete(line); else this.lit.set(line, mode);
    }
  }
}
