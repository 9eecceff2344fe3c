/**
 * What call park and callback at busy (park.ts, camp-on.ts) need from the call core, and the two
 * moves they share (docs/features.md §2 "Group call park", "Callback at busy"): a CM-originated
 * ring on a phone (park reversion, "Callback: 101 is free") whose answer runs the feature instead
 * of joining a call, and joining two legs into a connected call.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { Call, CallEvent, Device, Leg, LegState, Party } from '../call-types.js';
import type { CallUi, UiArgs } from '../call-ui.js';
import { pickCodec } from '../codec-choice.js';
import type { CallManagerConfig, LineConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { MediaServices } from '../media/services.js';
import type { HoldMusic } from '../hold-music.js';
import type { CmCommand } from '../station.js';

/** The core operations the features drive (CallCore passes closures over its private methods). */
export interface CallHost {
  readonly config: CallManagerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly services?: MediaServices | undefined;
  /** The core's music on hold (hold-music.ts): a parked party hears it too. */
  readonly holdMusic: HoldMusic;
  send(leg: Leg, cmd: CmCommand): void;
  tell(leg: Leg, ui: CallUi, args?: UiArgs): void;
  /** A notice on the device's idle screen (DisplayNotify / SSCP 114). */
  notify(dev: Device, text: string, timeoutS: number): void;
  lineOf(leg: Leg): LineConfig;
  other(leg: Leg): Leg | undefined;
  emit(ev: CallEvent): void;
  /** Ends `leg`'s call quietly (both legs forget it, media closed). */
  detachCall(leg: Leg): void;
  teardown(leg: Leg): void;
  reorder(leg: Leg, text: string): void;
  closeMedia(leg: Leg): void;
  openMedia(call: Call): void;
  /** Calls `number` from `leg` as if dialled (forwards, busy, voicemail apply). */
  place(leg: Leg, number: string): void;
  /** A new leg on `dev` (fresh ref, in dev.calls; focused when the device has no focused call). */
  newLeg(dev: Device, line: number, state: LegState, party: Party): Leg;
  /** The presence of `number`, no line (a park slot), may have changed (presence.ts: BLF lamps follow). */
  numberChanged(number: string): void;
  owner(number: string): { dev: Device; instance: number; line: LineConfig } | undefined;
}

/**
 * Rings `dev` on line instance `line` for a feature: the ringing screen shows `party` as the
 * caller and `prompt` on the call; answering (off hook, Answer, line key) runs `onAnswer` with the
 * leg (already told 'answered'). A phone talking on another call gets it as a waiting call.
 */
export function ringRecall(h: CallHost, dev: Device, line: number, party: Party, prompt: string, onAnswer: (leg: Leg) => void): Leg {
  const waiting = dev.leg?.state === 'connected';
  const leg = h.newLeg(dev, line, 'ringin', party);
  leg.recall = onAnswer;
  h.tell(leg, waiting ? 'waiting' : 'ringin', { text: party.calling, info: { t: 'callInfo', line: leg.line, ref: leg.ref,
    callingName: party.callingName, calling: party.calling, calledName: party.calledName, called: party.called, direction: 'inbound' } });
  h.send(leg, { t: 'prompt', line: leg.line, ref: leg.ref, text: prompt, timeoutS: 0 });
  return leg;
}

/** `a` and `b` (neither in a call) become one connected call, `a` the caller; media opens phone to phone. */
export function connectLegs(h: CallHost, a: Leg, b: Leg): Call {
  const call: Call = { id: a.cid, caller: a, callee: b, codec: pickCodec(a.dev.codecs, b.dev.codecs, h.config.server.codecs) };
  a.call = call; b.call = call;
  const me = h.lineOf(a); const them = h.lineOf(b);
  for (const [leg, dir] of [[a, 'outbound'], [b, 'inbound']] as const) {
    leg.state = 'connected';
    h.send(leg, { t: 'stopTone', line: leg.line, ref: leg.ref });
    h.send(leg, { t: 'callInfo', line: leg.line, ref: leg.ref, callingName: me.name, calling: me.number,
      calledName: them.name, called: them.number, direction: dir });
    h.tell(leg, 'connected');
  }
  h.openMedia(call);
  h.emit({ id: call.id, caller: me.number, callee: them.number, state: 'connected' });
  return call;
}
