/**
 * The phone application's input half (PhoneApp extends it): physical keys, hook and headset →
 * StationSignalling calls, the Directories menu (directory-menu.ts), and the selection among several calls
 * (up/down, line keys; docs/features.md §2 "Several calls") announced to the station with
 * selectCall. The event and rendering half is firmware/phone/phone-app.ts.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { KeyName, LampMode, PhoneHardware } from '../../hal/api/devices.js';
import type { TonePlayer } from '../media/engine.js';
import type { StationSignalling } from '../station/signalling.js';
import type { StateStore } from '../../hal/api/storage.js';
import type { PhoneStateKeeper } from './phone-state.js';
import { focusedCall, newModel, ringingCall, selectOnLine, selectStep, type PhoneModel } from './call-model.js';
import type { TimeFormatOptions } from './format.js';
import { CallHistory } from './history.js';
import { DirectoryMenu } from './directory-menu.js';
import type { PhoneBookEntry } from './phone-book.js';
import { resolveKey, type KeyAction } from './keys.js';
import { layoutSoftkeys, slotByName } from './softkeys.js';

export interface PhoneLog {
  debug?(msg: string): void;
  info?(msg: string): void;
  warn(msg: string): void;
}

export interface PhoneAppOptions extends TimeFormatOptions {
  /** start()/stop() also start and stop keypad, hook and headset detect (default true). */
  manageDevices?: boolean;
  /** Retry period for a failed display (re-init + redraw), in ms (default 5000). */
  displayRetryMs?: number;
  /**
   * Who drives the line lamps: 'cm' (the call manager's SetLamp, as on SCCP) or 'calls' (the phone,
   * from the states of the calls it holds, docs/sscp.md §5). Default: 'cm' on SCCP, 'calls' on SSCP.
   */
  lineLamps?: 'cm' | 'calls';
}

export interface PhoneAppDeps {
  hardware: PhoneHardware;
  signalling: StationSignalling;
  clock: Clock;
  tones?: TonePlayer;
  log?: PhoneLog;
  options?: PhoneAppOptions;
  /** Keeps call history, redial and the last call manager across restarts (firmware/phone/phone-state.ts). */
  state?: StateStore;
  /** The phone config's phone book, browsed under Directories → "2 Phone book" (directory-menu.ts). */
  phoneBook?: readonly PhoneBookEntry[];
}
/** Longest dialled string kept for the display (SCCP DialedNumber is char[24], docs/sccp.md §3). */
const MAX_TYPED = 24;

const consoleLog: PhoneLog = { warn: (m) => console.warn(m) };
export const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export abstract class PhoneInputHandler {
  protected readonly hw: PhoneHardware;
  protected readonly sig: StationSignalling;
  protected readonly log: PhoneLog;
  protected readonly opts: PhoneAppOptions;
  protected readonly m: PhoneModel;
  protected readonly history: CallHistory;
  /** Durable copy of history, redial and the last call manager (set by PhoneApp when a store is given). */
  protected keeper: PhoneStateKeeper | undefined;
  /** The Directories menu while it is open (directory-menu.ts: call history, phone book, directory). */
  protected dir: DirectoryMenu | undefined;
  private readonly menuClock: Clock;
  private readonly phoneBook: readonly PhoneBookEntry[];
  /** The call last announced to the station as selected (PhoneInput.selectCall). */
  protected selectedSent: number | undefined;
  protected handsetOff = false;
  protected speakerOn = false;
  protected headsetOn = false;

  constructor(deps: PhoneAppDeps) {
    this.hw = deps.hardware;
    this.sig = deps.signalling;
    this.log = deps.log ?? consoleLog;
    this.opts = deps.options ?? {};
    this.m = newModel(deps.signalling.state);
    this.history = new CallHistory();
    this.menuClock = deps.clock;
    this.phoneBook = deps.phoneBook ?? [];
  }

  /** Redraws soon (coalesced). */
  protected abstract invalidate(): void;

  /** Handles one key press as if it came from the keypad (simulator, tests, remote control). */
  press(key: KeyName): void {
    this.guard(`key '${String(key)}'`, () => {
      const action = resolveKey(key);
      if (!action) { this.log.debug?.(`phone: ignored key '${String(key)}'`); return; }
      this.onAction(action);
    });
  }

  // ---- input ---------------------------------------------------------------------------------

  protected onAction(a: KeyAction): void {
    if (this.browseKey(a)) return;
    switch (a.kind) {
      case 'digit': return this.digit(a.key);
      case 'softkey': return this.softkey(a.index);
      case 'line':
        // A line holding calls: its key selects them in turn; else it goes to the CM (seize, answer).
        if (selectOnLine(this.m, a.line)) return this.selectionMoved();
        return this.sig.lineButton(a.line);
      case 'speedDial': return this.sig.speedDial(a.index);
      case 'more': return this.moreKeys();
      case 'speaker': return this.toggleSpeaker();
      case 'headset': return this.setHeadset(!this.headsetOn);
      case 'flash': return this.sig.hookFlash();
      case 'named': return this.named(a.name);
    }
  }

  /** Line to take off hook: the ringing call's (answer), else the shown call's, else line 1. */
  protected hookLine(): number {
    return ringingCall(this.m)?.line ?? focusedCall(this.m)?.line ?? 1;
  }

  protected onHook(off: boolean): void {
    this.handsetOff = off;
    this.closeDirectories();
    if (off) {
      // Handset lifted during a speaker call: audio moves to the handset, the call stays as it is.
      if (this.speakerOn) this.setSpeaker(false);
      else this.sig.offHook(this.hookLine());
    } else if (!this.speakerOn) {
      this.m.typed = '';
      this.sig.onHook();
    }
    this.invalidate();
  }

  protected toggleSpeaker(): void {
    if (this.speakerOn) {
      this.setSpeaker(false);
      if (!this.handsetOff) this.sig.onHook();
    } else {
      this.setSpeaker(true);
      if (!this.handsetOff) this.sig.offHook(this.hookLine());
    }
  }

  protected setSpeaker(on: boolean): void {
    this.speakerOn = on;
    this.setLamp('speaker', on ? 'on' : 'off');
  }

  protected setHeadset(on: boolean): void {
    this.headsetOn = on;
    this.setLamp('headset', on ? 'on' : 'off');
    this.sig.headset(on);
  }

  protected digit(key: string): void {
    const c = focusedCall(this.m);
    // Pre-dial on hook: a digit with no call goes off hook on the speaker first (docs/features.md §2:
    // NewCall = like lifting the handset), then the digit goes out like any other.
    if (this.m.calls.size === 0 && !this.handsetOff && !this.speakerOn) {
      this.setSpeaker(true);
      this.sig.offHook(1);
    }
    if ((!c || c.state === 'offhook') && this.m.typed.length < MAX_TYPED) {
      this.m.typed += key;
      this.invalidate();
    }
    this.sig.keypad(key);
  }

  protected softkey(index: number): void {
    const page = layoutSoftkeys(this.m.softkeys, this.hw.softkeyCount, this.m.softkeyPage, this.m.softkeyPaged);
    const t = page.targets[index];
    if (!t || t.kind === 'none') { this.log.debug?.(`phone: softkey${index + 1} has no function now`); return; }
    if (t.kind === 'more') return this.moreKeys();
    this.sendSoftkey(t.slot);
  }

  /** "more": the next page from the call manager when it pages the set (SSCP 16 FunctionKeyPage), else the phone's own. */
  protected moreKeys(): void {
    const p = this.m.softkeyPaged;
    if (p && p.pages > 1 && this.sig.nextSoftkeyPage) return this.sig.nextSoftkeyPage();
    this.m.softkeyPage++;
    this.invalidate();
  }

  protected sendSoftkey(slot: number): void {
    const label = (this.m.softkeys[slot]?.label ?? '').toLowerCase();
    if (label === '<<' || label.startsWith('back') || label === 'bkspc') {
      this.m.typed = this.m.typed.slice(0, -1);
      this.invalidate();
    }
    this.sig.softkey(slot);
  }

  /**
   * The Directories key opens the Directories menu when idle; while it is open its softkeys,
   * digits and navigation keys act on it (directory-menu.ts). Returns false for keys it leaves to
   * the normal handling (the menu closes and the key does what it always does).
   */
  protected browseKey(a: KeyAction): boolean {
    const d = this.dir;
    if (!d) {
      if (a.kind !== 'named' || a.name !== 'directories' || this.m.calls.size > 0) return false;
      const search = this.sig.searchDirectory?.bind(this.sig);
      this.dir = new DirectoryMenu({
        clock: this.menuClock, history: () => this.history.entries, phoneBook: this.phoneBook,
        search, changed: () => this.invalidate(),
        historyOpened: () => { this.m.missedUnseen = 0; this.keeper?.changed(); },
      });
      this.invalidate();
      return true;
    }
    this.invalidate();
    const out = d.key(a, this.hw.softkeyCount);
    if (out === 'stay') return true;
    this.closeDirectories();
    if (typeof out === 'object') this.dialOut(out.dial);
    return out !== 'pass';
  }

  /** Closes the Directories menu (its timers stop, a pending directory answer is dropped). */
  protected closeDirectories(): void {
    this.dir?.close();
    this.dir = undefined;
  }

  /** Like redial: off hook on the speaker unless the handset is up, then the whole number (enbloc). */
  protected dialOut(number: string): void {
    if (!this.handsetOff) this.setSpeaker(true);
    this.sig.offHook(1);
    this.sig.dial(number);
  }

  /** The user moved the selection: tell the station (softkeys follow) and redraw. */
  protected selectionMoved(): void {
    this.syncSelection();
    this.invalidate();
  }

  /** Announces the selected call to the station when it changed (its softkey set is then shown). */
  protected syncSelection(): void {
    const c = focusedCall(this.m);
    if (!c) { this.selectedSent = undefined; return; }
    if (c.callRef === this.selectedSent) return;
    this.selectedSent = c.callRef;
    this.sig.selectCall(c.line, c.callRef);
  }

  /** A named fixed key ('hold', 'redial', 'transfer'...): the softkey with that label, if any. */
  protected named(name: string): void {
    // Up/down navigation selects among several calls (docs/features.md §2 "Several calls").
    if ((name === 'up' || name === 'down') && selectStep(this.m, name === 'down' ? 1 : -1)) return this.selectionMoved();
    const slot = slotByName(this.m.softkeys, name);
    if (slot !== undefined) return this.sendSoftkey(slot);
    const idle = this.m.calls.size === 0;
    if (name === 'redial' && idle && this.m.lastDialled) {
      this.dialOut(this.m.lastDialled);
    } else if ((name === 'endcall' || name === 'release') && !idle) {
      this.setSpeaker(false);
      this.sig.onHook();
    } else if (name === 'answer' && ringingCall(this.m)) {
      if (!this.handsetOff) this.setSpeaker(true);
      this.sig.offHook(this.hookLine());
    } else {
      this.log.debug?.(`phone: key '${name}' has no softkey and no local function now`);
    }
  }

  protected setLamp(name: string, mode: LampMode): void {
    const lamp = this.hw.lamps[name];
    if (!lamp) return; // boards have only some lamps; unknown ones are ignored
    try { lamp.set(mode); } catch (e) { this.log.warn(`phone: lamp ${name} set ${mode} failed: ${errText(e)}`); }
  }

  /** Runs `fn`, logging instead of throwing: bad input or a failing device never crashes the app. */
  protected guard(what: string, fn: () => void): void {
    try { fn(); } catch (e) { this.log.warn(`phone: ${what} failed: ${errText(e)}`); }
  }
}
