/**
 * The softkey sets a call manager selected per (line, call reference) — SCCP SelectSoftKeys,
 * SSCP SoftKeySet — and which one the phone shows. (0, 0) is the device's default (on-hook) set.
 * With several calls the phone shows the set of the call the user has selected (PhoneInput
 * selectCall, docs/features.md §2 "Several calls"): a set the CM selects for another call is kept
 * and shown once that call is selected. Before any selection (a station used without the phone
 * application) the CM's latest set is shown, as before. Asterisk selects the default set once, at
 * registration, and never again, so when a call clears, the set shown falls back to the selected
 * call's, else any live call's, else the default. Shared by the SCCP and SSCP stations; pure data.
 */

export interface CallKeyed { line: number; callRef: number }

const keyOf = (line: number, callRef: number): string => `${line}:${callRef}`;

export class SoftkeySets<T extends CallKeyed> {
  private readonly sets = new Map<string, T>();
  private shownKey: string | undefined;
  /** The call the phone shows (selectCall), undefined before the phone application chose one. */
  private selected: CallKeyed | undefined;

  /**
   * `live(callRef)`: the call manager still has the call (its last state was not onhook/idle);
   * `current()`: the call the handset talks to (the fallback before the phone selected one).
   */
  constructor(private readonly live: (callRef: number) => boolean, private readonly current: () => number = () => 0) {}

  /** The set shown now (undefined before the CM selected any). */
  get shown(): T | undefined { return this.shownKey === undefined ? undefined : this.sets.get(this.shownKey); }

  /** The call the user selected, if the phone application chose one and the call is still live. */
  get selectedCall(): CallKeyed | undefined {
    const s = this.selected;
    return s && s.callRef !== 0 && this.live(s.callRef) ? s : undefined;
  }

  /**
   * A set from the CM for its (line, call): kept, and shown unless the user has selected another
   * live call. Returns true when it is shown (the caller announces it).
   */
  put(sel: T): boolean {
    const k = keyOf(sel.line, sel.callRef);
    this.sets.set(k, sel);
    const chosen = this.selectedCall;
    if (chosen && chosen.callRef !== sel.callRef) return false;
    this.shownKey = k;
    return true;
  }

  /**
   * The phone selected call `callRef` on `line`: its set is shown if the CM gave one. Returns true
   * when the set shown changed (the caller announces it).
   */
  select(line: number, callRef: number): boolean {
    this.selected = { line, callRef };
    const k = this.keyFor(callRef);
    if (k === undefined || k === this.shownKey) return false;
    this.shownKey = k;
    return true;
  }

  /**
   * Call `callRef` cleared: its sets are dropped and, if the set shown went with them, the selected
   * call's (else any live call's, else the default) is shown. Returns true when the set shown changed.
   */
  cleared(callRef: number): boolean {
    if (callRef !== 0) for (const [k, s] of this.sets) if (s.callRef === callRef) this.sets.delete(k);
    if (this.shownKey !== undefined && this.sets.has(this.shownKey)) return false;
    const had = this.shownKey !== undefined;
    this.shownKey = this.fallbackKey();
    return had || this.shownKey !== undefined;
  }

  /** A fresh registration: the CM selects again. */
  reset(): void { this.sets.clear(); this.shownKey = undefined; this.selected = undefined; }

  private keyFor(callRef: number): string | undefined {
    for (const [k, s] of this.sets) if (s.callRef === callRef) return k;
    return undefined;
  }

  private fallbackKey(): string | undefined {
    const ref = this.selectedCall?.callRef ?? this.current();
    if (ref !== 0) { const k = this.keyFor(ref); if (k) return k; }
    for (const [k, s] of this.sets) if (s.callRef !== 0 && this.live(s.callRef)) return k;
    for (const [k, s] of this.sets) if (s.callRef === 0) return k;
    return undefined;
  }
}
