/**
 * iDivert (docs/features.md §2 "iDivert"): the presser's ringing or connected call goes to the
 * voicemail of the presser's line — a ringing call as if unanswered, a connected one by sending
 * the far party there — and the presser's phone is free again. Without a mailbox (or with the
 * mailbox busy) the call stays and the phone says so.
 */
import type { CoreOps, FxDevice, FxLeg, Target } from './fx-types.js';

export interface DivertHost {
  core: Pick<CoreOps, 'other' | 'detachCall' | 'teardown' | 'ring'>;
  /** The free mailbox of line `number` (router.ts voicemailTarget), set to record a message. */
  voicemailTarget(number: string): Target | undefined;
  hasMailbox(number: string): boolean;
}

/** iDivert on `leg` (the selected call of `dev`): true when the call went to voicemail. */
export function iDivert(h: DivertHost, dev: FxDevice, leg: FxLeg | undefined): boolean {
  const notify = (text: string) => { dev.sink?.send({ t: 'notify', text, timeoutS: 5 }); return false; };
  if (!leg || (leg.state !== 'ringin' && leg.state !== 'connected')) return notify('Not available');
  const far = h.core.other(leg);
  if (!far) return notify('Not available');
  const line = dev.lines[leg.line - 1] ?? dev.lines[0]!;
  if (!h.hasMailbox(line.number)) return notify('No mailbox');
  const box = h.voicemailTarget(line.number);
  if (!box) return notify('Voicemail busy');
  h.core.detachCall(leg);
  h.core.teardown(leg);
  h.core.ring(far, box, line.number, { number: line.number, name: line.name });
  return true;
}
