/**
 * What a station stack remembers about calls to address its own messages, whatever the protocol:
 * per call reference the line and state (from the call manager's call-state messages), the call
 * the handset talks to, and the ringing call an off-hook answers. Shared by the SCCP and SSCP stations.
 */
import type { CallStateName } from './signalling.js';

/** States in which a call is the one the handset talks to (others: ringing, held, gone). */
const FOREGROUND: ReadonlySet<CallStateName> = new Set<CallStateName>([
  'offhook', 'ringout', 'connected', 'busy', 'congestion', 'proceed', 'transfer', 'park',
  'invalidnumber', 'whisper', 'remotehold', 'holdrevert',
]);

export class CallTracker {
  private readonly calls = new Map<number, { line: number; state: CallStateName }>();
  private line = 0;
  private ref = 0;

  /** `defaultLine` is used until a call or call plane has picked one. */
  constructor(private readonly defaultLine: () => number = () => 1) {}

  get currentLine(): number { return this.line || this.defaultLine(); }
  get currentCallRef(): number { return this.ref; }
  get activeCalls(): number { return this.calls.size; }
  /** The state the CM last gave call `callRef` (undefined once it has ended or was never seen). */
  stateOf(callRef: number): CallStateName | undefined { return this.calls.get(callRef)?.state; }

  callState(line: number, callRef: number, state: CallStateName): void {
    if (state === 'onhook' || state === 'idle') {
      this.calls.delete(callRef);
      if (this.ref === callRef) {
        this.ref = 0;
        for (const [r, c] of this.calls) if (FOREGROUND.has(c.state)) { this.ref = r; this.line = c.line; }
      }
      return;
    }
    this.calls.set(callRef, { line, state });
    if (FOREGROUND.has(state)) { this.ref = callRef; this.line = line; }
  }

  /** The calls the CM told us of, in the order they started. */
  list(): Array<{ ref: number; line: number; state: CallStateName }> {
    return [...this.calls].map(([ref, c]) => ({ ref, line: c.line, state: c.state }));
  }

  /** The CM made `line` the active call plane. */
  selectLine(line: number): void { if (line > 0) this.line = line; }

  /** The ringing call on `line`, or on any line when `line` is undefined. */
  ringing(line: number | undefined): { ref: number; line: number } | undefined {
    for (const [ref, c] of this.calls) {
      if ((c.state === 'ringin' || c.state === 'callwaiting') && (line === undefined || c.line === line)) return { ref, line: c.line };
    }
    return undefined;
  }

  /** Going off hook: answers the ringing call on `line` (or any) if there is one; returns line and call. */
  offHook(line?: number): { line: number; ring: { ref: number; line: number } | undefined } {
    const ring = this.ringing(line);
    const l = line ?? ring?.line ?? this.currentLine;
    this.line = l;
    if (ring) this.ref = ring.ref;
    return { line: l, ring };
  }

  /** A fresh registration: calls may have ended while we were away; the CM tells us again. */
  reset(): void { this.calls.clear(); this.ref = 0; }
}
