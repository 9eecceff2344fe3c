/**
 * The phone's model of what the call manager told it: registration, lines, calls (per call
 * reference, each on a line), prompt/notify/display text, softkeys, tone. Protocol-neutral:
 * it is built only from SignallingEvents plus the digits the user typed. Timers (prompt and
 * notify timeouts) are run by PhoneApp on the injected Clock; entries carry an id so a late
 * timer never removes a newer text.
 */
import type {
  CallStateName, RegistrationState, SignallingEvent, SoftkeySlot, ToneName,
} from '../station/signalling.js';
import { cleanText } from './format.js';

export interface CallView {
  line: number;
  callRef: number;
  state: CallStateName;
  direction: 'inbound' | 'outbound' | 'forward' | undefined;
  callingName: string;
  calling: string;
  calledName: string;
  called: string;
  /** Number as confirmed by the CM ('dialedNumber'). */
  dialled: string;
  /** Clock time (ms, Clock.now) the call was first connected: the call timer runs from here. */
  connectedAt: number | undefined;
}

export interface LineView { line: number; number: string; label: string; displayName: string }
export interface TimedText { id: number; text: string }
/** `state`: the state of call `callRef` when the prompt arrived; a later state makes it stale. */
export interface PromptView extends TimedText { line: number; callRef: number; state?: CallStateName | undefined }
export interface NotifyView extends TimedText { priority: number | undefined }

export interface PhoneModel {
  registration: { state: RegistrationState; server?: string | undefined; reason?: string | undefined };
  lines: Map<number, LineView>;
  speedDials: Map<number, { number: string; label: string }>;
  calls: Map<number, CallView>;
  /** callRef of the selected call: the one the screen shows first and the softkeys act on. */
  focus: number | undefined;
  prompt: PromptView | undefined;
  /** Active notifies, oldest first; the screen shows the newest. */
  notifies: NotifyView[];
  displayText: string | undefined;
  softkeys: SoftkeySlot[];
  softkeyPage: number;
  /** Set when the call manager pages the softkeys itself (SignallingEvent 'softkeys' `paged`). */
  softkeyPaged: { page: number; pages: number } | undefined;
  tone: ToneName | undefined;
  /** Digits typed locally while dialling, before/without a 'dialedNumber' echo. */
  typed: string;
  lastDialled: string;
  speaker: boolean;
  microphone: boolean;
  /** Missed calls not yet seen in the call history (idle hint "N missed", docs/features.md §4); the
   *  only count of them: PhoneApp bumps it when CallHistory logs a missed call, zeroes it on view. */
  missedUnseen: number;
}

export function newModel(registration: RegistrationState = 'unregistered'): PhoneModel {
  return {
    registration: { state: registration }, lines: new Map(), speedDials: new Map(), calls: new Map(),
    focus: undefined, prompt: undefined, notifies: [], displayText: undefined, softkeys: [],
    softkeyPage: 0, softkeyPaged: undefined, tone: undefined, typed: '', lastDialled: '', speaker: false, microphone: true,
    missedUnseen: 0,
  };
}

/** States in which the user is busy with the call (ranked first when the selected call ends). */
const ENGAGED: ReadonlySet<CallStateName> = new Set<CallStateName>(
  ['offhook', 'proceed', 'ringout', 'connected', 'busy', 'congestion', 'invalidnumber', 'transfer']);
/**
 * Selected-call states an arriving call does not take the selection from: the user is dialling or
 * waiting for a far end, or another call is already ringing. From a connected or held call it does
 * (call waiting: a 7960 selects the new call so that Answer is under the softkeys, docs/features.md §2).
 */
const KEEPS_SELECTION: ReadonlySet<CallStateName> = new Set<CallStateName>(
  ['offhook', 'proceed', 'ringout', 'busy', 'congestion', 'invalidnumber', 'transfer', 'ringin', 'callwaiting']);
/** States another call moves into without taking the selection (the CM holds it, parks it ...). */
const BACKGROUND: ReadonlySet<CallStateName> = new Set<CallStateName>(['hold', 'park', 'remotemultiline', 'holdrevert']);
/** States after which typed digits no longer belong to a number being dialled. */
const PAST_DIALLING: ReadonlySet<CallStateName> = new Set<CallStateName>(
  ['ringout', 'connected', 'busy', 'congestion', 'invalidnumber', 'ringin', 'hold']);

export function focusedCall(m: PhoneModel): CallView | undefined {
  return m.focus === undefined ? undefined : m.calls.get(m.focus);
}

/** The call ringing in, if any (lifting the handset answers it). */
export function ringingCall(m: PhoneModel): CallView | undefined {
  for (const c of m.calls.values()) if (c.state === 'ringin') return c;
  return undefined;
}

/** The far party's number and name for a call, whatever its direction. */
export function party(c: CallView): { number: string; name: string } {
  return c.direction === 'inbound' || c.direction === 'forward'
    ? { number: c.calling, name: c.callingName }
    : { number: c.called || c.dialled, name: c.calledName };
}

function pickFocus(m: PhoneModel): number | undefined {
  let best: CallView | undefined;
  const rank = (c: CallView): number => (ENGAGED.has(c.state) ? 3 : c.state === 'ringin' || c.state === 'callwaiting' ? 2 : 1);
  for (const c of m.calls.values()) if (!best || rank(c) > rank(best)) best = c;
  return best?.callRef;
}

function upsertCall(m: PhoneModel, line: number, callRef: number): CallView {
  let c = m.calls.get(callRef);
  if (!c) {
    c = { line, callRef, state: 'offhook', direction: undefined, callingName: '', calling: '',
      calledName: '', called: '', dialled: '', connectedAt: undefined };
    m.calls.set(callRef, c);
  }
  c.line = line;
  return c;
}

function endCall(m: PhoneModel, callRef: number): void {
  const c = m.calls.get(callRef);
  if (!c) return;
  m.calls.delete(callRef);
  if (m.prompt && m.prompt.callRef === callRef) m.prompt = undefined;
  if (m.focus === callRef) m.focus = pickFocus(m);
  if (m.calls.size === 0) { m.typed = ''; m.softkeyPage = 0; }
}

let nextId = 1;
/** Ids for timed texts, unique within the process. */
export function textId(): number { return nextId++; }

/** The calls in the order they started (the screen's list order). */
export function callList(m: PhoneModel): CallView[] { return [...m.calls.values()]; }

/** Moves the selection `step` calls along the list (wrapping); returns true when it changed. */
export function selectStep(m: PhoneModel, step: 1 | -1): boolean {
  const list = callList(m);
  if (list.length < 2) return false;
  const i = list.findIndex((c) => c.callRef === m.focus);
  const next = list[((i < 0 ? 0 : i + step) % list.length + list.length) % list.length]!;
  m.focus = next.callRef;
  return true;
}

/**
 * A line key pressed: selects the next call on that line after the selected one (the first if the
 * selected call is on another line). Returns false when the line has no call to select (the key
 * then goes to the call manager as before: seize the line, answer its ringing call).
 */
export function selectOnLine(m: PhoneModel, line: number): boolean {
  const onLine = callList(m).filter((c) => c.line === line);
  if (onLine.length === 0) return false;
  const cur = onLine.findIndex((c) => c.callRef === m.focus);
  if (cur >= 0 && onLine.length === 1) return false;
  m.focus = onLine[(cur + 1) % onLine.length]!.callRef;
  return true;
}

/**
 * Applies one event to the model. Returns false for events that do not change what the model
 * holds (lamps, ringer, timeDate: PhoneApp handles those directly). `now` is Clock.now() (ms),
 * used for the call timers.
 */
export function applyEvent(m: PhoneModel, ev: SignallingEvent, now = 0): boolean {
  switch (ev.type) {
    case 'registration':
      m.registration = { state: ev.state, server: ev.server, reason: ev.reason };
      return true;
    case 'callState': {
      if (ev.state === 'onhook' || ev.state === 'idle') { endCall(m, ev.callRef); return true; }
      const c = upsertCall(m, ev.line, ev.callRef);
      c.state = ev.state;
      if (ev.state === 'connected' && c.connectedAt === undefined) c.connectedAt = now;
      if (!c.direction) {
        if (ev.state === 'ringin' || ev.state === 'callwaiting') c.direction = 'inbound';
        else if (ev.state === 'offhook' || ev.state === 'ringout' || ev.state === 'proceed') c.direction = 'outbound';
      }
      if (PAST_DIALLING.has(ev.state) && m.focus === ev.callRef) m.typed = '';
      const cur = focusedCall(m);
      const arriving = ev.state === 'ringin' || ev.state === 'callwaiting';
      if (!cur || cur === c) m.focus = ev.callRef;
      else if (arriving ? !KEEPS_SELECTION.has(cur.state) : !BACKGROUND.has(ev.state)) m.focus = ev.callRef;
      return true;
    }
    case 'callInfo': {
      const c = upsertCall(m, ev.line, ev.callRef);
      const firstCalled = !c.called && !c.dialled; // later infos (voicemail answering, a transfer) are not what was dialled
      c.direction = ev.direction;
      c.callingName = cleanText(ev.callingName); c.calling = cleanText(ev.calling);
      c.calledName = cleanText(ev.calledName); c.called = cleanText(ev.called);
      if (ev.direction === 'outbound' && c.called && firstCalled) m.lastDialled = c.called;
      if (m.focus === undefined) m.focus = ev.callRef;
      return true;
    }
    case 'dialedNumber': {
      const c = upsertCall(m, ev.line, ev.callRef);
      c.dialled = cleanText(ev.number);
      if (c.dialled) m.lastDialled = c.dialled;
      return true;
    }
    case 'prompt':
      m.prompt = { id: textId(), text: cleanText(ev.text), line: ev.line, callRef: ev.callRef, state: m.calls.get(ev.callRef)?.state };
      return true;
    case 'promptClear':
      if (m.prompt && (ev.callRef === 0 || m.prompt.callRef === ev.callRef)) m.prompt = undefined;
      return true;
    case 'notify': {
      m.notifies = m.notifies.filter((n) => n.priority !== ev.priority);
      const text = cleanText(ev.text);
      if (text) m.notifies.push({ id: textId(), text, priority: ev.priority });
      return true;
    }
    case 'notifyClear':
      m.notifies = m.notifies.filter((n) => n.priority !== ev.priority);
      return true;
    case 'displayText': m.displayText = cleanText(ev.text) || undefined; return true;
    case 'displayClear': m.displayText = undefined; return true;
    case 'softkeys': m.softkeys = ev.keys.slice(); m.softkeyPage = 0; m.softkeyPaged = ev.paged; return true;
    case 'lineStatus':
      m.lines.set(ev.line, { line: ev.line, number: cleanText(ev.number), label: cleanText(ev.label),
        displayName: cleanText(ev.displayName) });
      return true;
    case 'speedDial':
      m.speedDials.set(ev.index, { number: cleanText(ev.number), label: cleanText(ev.label) });
      return true;
    case 'tone': m.tone = ev.tone === 'silence' ? undefined : ev.tone; return true;
    case 'toneStop': m.tone = undefined; return true;
    case 'speaker': m.speaker = ev.on; return true;
    case 'microphone': m.microphone = ev.on; return true;
    case 'callPlane': {
      if (!ev.active) return false;
      const cur = focusedCall(m);
      if (cur && cur.line === ev.line) return false;
      for (const c of m.calls.values()) if (c.line === ev.line) { m.focus = c.callRef; return true; }
      return false;
    }
    case 'lamp': case 'ringer': case 'timeDate': case 'dateTemplate':
      return false;
    default:
      return false;
  }
}

/**
 * The notify the screen shows: a plain DisplayNotify (newest) first — it is the CM's message of the
 * moment and carries its own timeout — else the DisplayPriNotify with the highest priority value
 * (the newest of equal ones). Lower ones come back when it times out or is cleared.
 */
export function shownNotify(m: PhoneModel): NotifyView | undefined {
  let best: NotifyView | undefined;
  for (const n of m.notifies) {
    const rank = n.priority === undefined ? Number.POSITIVE_INFINITY : n.priority;
    const bestRank = best ? (best.priority === undefined ? Number.POSITIVE_INFINITY : best.priority) : Number.NEGATIVE_INFINITY;
    if (rank >= bestRank) best = n;
  }
  return best;
}

/** Drops a timed text if it is still the one with `id` (its timeout fired). */
export function expireText(m: PhoneModel, id: number): boolean {
  if (m.prompt?.id === id) { m.prompt = undefined; return true; }
  const before = m.notifies.length;
  m.notifies = m.notifies.filter((n) => n.id !== id);
  return m.notifies.length !== before;
}
