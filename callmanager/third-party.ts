/**
 * ThirdPartyControl (tsp/control.ts) over the call core: TSP users of the config (`tsp.users`,
 * docs/tsp.md §3) each own one device. Dial makes that desk phone go off hook on the speaker and
 * dial the address through the same core paths as a person pressing keys (OffHook, KeypadButton,
 * then the Dial soft key if the number is still incomplete); Drop is the EndCall soft key. Every
 * CallState/CallInfo the core sends to the user's phone becomes a Notify (docs/tsp.md §2).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CallStateName } from '../firmware/station/signalling.js';
import { keypadKey } from './inputs.js';
import type { CallCore, LegEvent } from './calls.js';
import type { CallManagerConfig } from './config.js';
import { DialPlan } from './dialplan.js';
import type { ThirdPartyControl, TspCallEvent, TspCallState, TspResult } from './tsp/control.js';

/**
 * CallState (docs/sccp.md §4) → TSP call state (seed 002: only these five). States without a seed
 * equivalent (ringin, busy, congestion, invalid number, hold...) change no TSP state: inbound call
 * handling is outside TSP (seed 002 "Not support feature").
 */
const TSP_STATE: Partial<Record<CallStateName, TspCallState>> = {
  offhook: 'OffHookState', proceed: 'ProceedState', ringout: 'RingBackState', connected: 'ConnectedState', onhook: 'OnHookState',
};

/** TSP dials digits, * and # (docs/tsp.md §3). */
const dialKey = (ch: string) => (/^[0-9*#]$/.test(ch) ? keypadKey(ch) : undefined);

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class CallManagerThirdParty implements ThirdPartyControl {
  private readonly users = new Map<string, { secret: Buffer; device: string }>();
  private readonly plan: DialPlan;
  /** Address a TSP Dial asked for, per device, until the core names the callee (CallInfo). */
  private readonly dialling = new Map<string, string>();

  constructor(private readonly core: CallCore, config: CallManagerConfig) {
    for (const u of config.tsp?.users ?? []) this.users.set(u.name, { secret: digest(u.secret), device: u.device });
    this.plan = new DialPlan(config.lines.map((l) => l.number));
  }

  /** The device a user controls (undefined for unknown users). */
  deviceOf(user: string): string | undefined { return this.users.get(user)?.device; }

  authenticate(user: string, secret: string): boolean {
    const u = this.users.get(user);
    // Compare digests in constant time so the answer time does not leak the secret.
    const ok = timingSafeEqual(digest(secret), u?.secret ?? digest(`\0${secret}`));
    return !!u && ok;
  }

  async dial(user: string, address: string): Promise<TspResult> {
    const device = this.deviceOf(user);
    if (!device) return { ok: false, reason: `user ${user} has no phone in the call manager config (tsp.users)` };
    if (!this.core.isRegistered(device)) return { ok: false, reason: `phone ${device} is not registered with the call manager` };
    const cur = this.core.currentCall(device);
    if (cur) return { ok: false, reason: `phone ${device} is busy (call ${cur.callId}, ${cur.state}); Drop it first` };
    const buttons = [...address].map(dialKey);
    if (buttons.some((b) => b === undefined) || this.plan.classify(address).kind === 'none') {
      return { ok: false, reason: `cannot dial ${address}: no directory number of the call manager matches` };
    }
    this.dialling.set(device, address);
    try {
      this.core.speakerOffHook(device, 1);
      const call = this.core.currentCall(device);
      if (!call) return { ok: false, reason: `phone ${device} did not go off hook` };
      for (const b of buttons) {
        if (this.core.currentCall(device)?.state !== 'dialing') break;
        this.core.keypad(device, b!);
      }
      if (this.core.currentCall(device)?.state === 'dialing') this.core.softkey(device, 'dial');
      return { ok: true };
    } finally {
      this.dialling.delete(device);
    }
  }

  async drop(user: string, callId?: string): Promise<TspResult> {
    const device = this.deviceOf(user);
    if (!device) return { ok: false, reason: `user ${user} has no phone in the call manager config (tsp.users)` };
    const cur = this.core.currentCall(device);
    if (callId !== undefined && String(cur?.callId) !== callId) return { ok: false, reason: `call ${callId} is not on your terminal ${device}` };
    if (!cur) return { ok: false, reason: `no call on phone ${device}` };
    this.core.softkey(device, 'endCall');
    return { ok: true };
  }

  onCallState(user: string, cb: (ev: TspCallEvent) => void): () => void {
    const device = this.deviceOf(user);
    if (!device) return () => {};
    /** Per call: the last TSP state and party text sent, so repeats are not notified twice. */
    const seen = new Map<number, { state?: TspCallState; info: string }>();
    const listener = (ev: LegEvent): void => {
      if (ev.device !== device) return;
      const p = ev.party;
      const calledId = p.called || this.dialling.get(device) || '';
      const last = seen.get(ev.callId) ?? { info: '' };
      seen.set(ev.callId, last);
      const mapped = TSP_STATE[ev.state];
      const base = { terminalId: device, callId: String(ev.callId), callerName: p.callingName, callerId: p.calling,
        calleeName: p.calledName, calleeId: calledId };
      if (ev.kind === 'state') {
        if (!mapped || mapped === last.state) return;
        last.state = mapped;
        last.info = JSON.stringify(base);
        try { cb({ event: 'CALL_STATE', callState: mapped, ...base }); } finally { if (mapped === 'OnHookState') seen.delete(ev.callId); }
        return;
      }
      const info = JSON.stringify(base);
      if (info === last.info || !last.state) return; // no news, or no TSP-visible call yet (inbound ringing)
      last.info = info;
      cb({ event: 'CALL_INFO', callState: last.state, ...base });
    };
    this.core.events.on('leg', listener);
    return () => { this.core.events.off('leg', listener); };
  }
}
