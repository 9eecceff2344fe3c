/**
 * Forward busy and forward no answer, per line (docs/features.md §2 "Forward busy / no answer"):
 * set from the phone with the CFwdBusy / CFwdNoAnswer soft keys (the same prompt-and-dial flow as
 * CFwdAll, features/router.ts) or SSCP Forward with Mode Busy / NoAnswer (docs/sscp.md §2 #10);
 * pressing the key again cancels. Shown on the idle screen ("Fwd busy 200") and kept in the CM's
 * database (docs/state.md §2, table forward_cond). A call meets a forward once (one hop): when the
 * target cannot take it either, the forwarding line's mailbox does, else the caller hears busy /
 * the call keeps ringing.
 */
import type { CondForwardKind, CondForwardRow } from '../store/database.js';
import type { Logger } from '../log.js';
import type { CoreOps, FxDevice, FxLeg, Target } from './fx-types.js';

export type { CondForwardKind };

/** Where these forwards are kept (callmanager/store/database.ts CmStore). */
export interface CondForwardPersistence {
  condForwards(): CondForwardRow[];
  setCondForward(line: string, kind: CondForwardKind, target: string): void;
  clearCondForward(line: string, kind: CondForwardKind): void;
}

const MODE = { busy: 'forwardBusy', noAnswer: 'forwardNoAnswer' } as const;
const PROMPT: Record<CondForwardKind, string> = { busy: 'Fwd busy to', noAnswer: 'Fwd no answer to' };
const SHOWN: Record<CondForwardKind, string> = { busy: 'Fwd busy', noAnswer: 'Fwd no answer' };

export class CondForwards {
  private readonly map = new Map<string, Partial<Record<CondForwardKind, string>>>();

  constructor(private readonly core: Pick<CoreOps, 'owner' | 'startDialing' | 'teardown' | 'send' | 'reorder'>,
    private readonly log: Logger, private readonly persist?: CondForwardPersistence,
    /** A forward of line instance `inst` changed (router.ts sends ForwardStat). */
    private readonly changed: (dev: FxDevice, inst: number) => void = () => {}) {
    for (const f of persist?.condForwards() ?? []) {
      const why = this.refusal(f.line, f.target);
      if (!why) { this.entry(f.line)[f.kind] = f.target; continue; }
      log.warn(`forward ${f.kind} ${f.line} → ${f.target} from storage dropped: ${why}`);
      persist!.clearCondForward(f.line, f.kind);
    }
  }

  get(line: string, kind: CondForwardKind): string | undefined { return this.map.get(line)?.[kind]; }

  /** CFwdBusy / CFwdNoAnswer: cancels the prompt or an active forward, else goes off hook collecting the target. */
  key(dev: FxDevice, line: number, kind: CondForwardKind): void {
    const leg = dev.leg;
    const inst = leg?.line ?? (line >= 1 && line <= dev.lines.length ? line : 1);
    if (leg?.mode === MODE[kind]) return this.core.teardown(leg);
    if (this.get(dev.lines[inst - 1]!.number, kind) !== undefined) return void this.set(dev, inst, kind, '');
    if (leg && (leg.state !== 'dialing' || leg.digits !== '' || leg.held || leg.mode)) {
      return dev.sink?.send({ t: 'notify', text: 'Not available', timeoutS: 5 });
    }
    const l = leg ?? this.core.startDialing(dev, inst);
    l.mode = MODE[kind];
    this.core.send(l, { t: 'prompt', line: l.line, ref: l.ref, text: PROMPT[kind], timeoutS: 0 });
  }

  /** A complete number on a leg collecting a target: true when it was one (the forward is set, or refused with reorder). */
  dialed(leg: FxLeg, number: string): boolean {
    const kind = leg.mode === MODE.busy ? 'busy' : leg.mode === MODE.noAnswer ? 'noAnswer' : undefined;
    if (!kind) return false;
    const r = this.set(leg.dev, leg.line, kind, number);
    if (r.ok) this.core.teardown(leg); else this.core.reorder(leg, r.reason ?? 'Refused');
    return true;
  }

  /** Sets (target) or cancels ('') forward `kind` of line instance `inst` of `dev`; the phone is told. */
  set(dev: FxDevice, inst: number, kind: CondForwardKind, target: string): { ok: boolean; reason?: string } {
    const line = dev.lines[inst - 1];
    if (!line) return { ok: false, reason: 'No such line' };
    if (target) {
      const why = this.refusal(line.number, target);
      if (why) return { ok: false, reason: why };
      this.entry(line.number)[kind] = target;
      this.save(() => this.persist?.setCondForward(line.number, kind, target));
    } else {
      delete this.entry(line.number)[kind];
      this.save(() => this.persist?.clearCondForward(line.number, kind));
    }
    this.changed(dev, inst);
    dev.sink?.send(target ? { t: 'notify', text: `${SHOWN[kind]} ${target}`, timeoutS: 0 } : { t: 'notify', text: `${SHOWN[kind]} off`, timeoutS: 5 });
    this.log.info(`${dev.name}: line ${line.number} forward ${kind} ${target ? `→ ${target}` : 'cancelled'}`);
    return { ok: true };
  }

  /** A device (re)registered: its idle notices come back. */
  attached(dev: FxDevice): void {
    for (const l of dev.lines) {
      for (const kind of ['busy', 'noAnswer'] as const) {
        const t = this.get(l.number, kind);
        if (t) dev.sink?.send({ t: 'notify', text: `${SHOWN[kind]} ${t}`, timeoutS: 0 });
      }
    }
  }

  /** Where a call to busy line `number` goes instead: its forward-busy target, when it can take the call. */
  target(number: string, kind: CondForwardKind, admits: (t: Target) => boolean): Target | undefined {
    const to = this.get(number, kind);
    const t = to === undefined ? undefined : this.core.owner(to);
    return t && t.dev.sink && admits(t) ? t : undefined;
  }

  private refusal(line: string, target: string): string | undefined {
    if (!this.core.owner(line)) return 'line no longer configured';
    if (!this.core.owner(target)) return 'Unknown number';
    if (target === line) return 'Forward loop';
    return undefined;
  }
  private entry(line: string): Partial<Record<CondForwardKind, string>> {
    let e = this.map.get(line);
    if (!e) this.map.set(line, e = {});
    return e;
  }
  private save(fn: () => void): void {
    try { fn(); } catch (e) { this.log.warn(`storage: cannot save a forward busy/no answer: ${(e as Error).message}`); }
  }
}
