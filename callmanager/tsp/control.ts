/**
 * What the TSP server (server.ts) needs from the call manager. The call manager implements this;
 * the TSP server never touches SCCP/SSCP sessions itself. docs/tsp.md §4.
 */

/** The seed's call states (AddPac TSP "TSP Call State Notify Message"). */
export const TSP_CALL_STATES = ['OffHookState', 'ProceedState', 'RingBackState', 'ConnectedState', 'OnHookState'] as const;
export type TspCallState = (typeof TSP_CALL_STATES)[number];

/** One Notify line: CALL_STATE on every state change, CALL_INFO when party names/numbers become known. */
export interface TspCallEvent {
  event: 'CALL_STATE' | 'CALL_INFO';
  /** The user's phone (device id or extension) the call is on. */
  terminalId: string;
  callState: TspCallState;
  callId: string;
  callerName: string;
  callerId: string;
  calleeName: string;
  calleeId: string;
}

export interface TspResult { ok: boolean; reason?: string }

export interface ThirdPartyControl {
  /** Checks a user's credentials (the Smart Messenger login; seed 002 "User Authentication"). */
  authenticate(user: string, secret: string): boolean | Promise<boolean>;
  /** Makes the user's own phone call `address` (the phone goes off hook / speaker, then dials). */
  dial(user: string, address: string): Promise<TspResult>;
  /**
   * Drops the user's call `callId`, or the user's active call when omitted. Must refuse a call that
   * is not on one of the user's own terminals.
   */
  drop(user: string, callId?: string): Promise<TspResult>;
  /** Subscribes to call events on the user's own terminals; returns the unsubscribe function. */
  onCallState(user: string, cb: (ev: TspCallEvent) => void): () => void;
}
