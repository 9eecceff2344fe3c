/**
 * Do not disturb (docs/features.md §2 DND, §4): a per-device toggle, the same for SCCP and SSCP
 * phones (SSCP soft key event 22, a deskphone extension: docs/sscp.md §2). While on, callers get
 * busy or the line's mailbox (multi-call.ts admit), the idle screen keeps a notice, and the state
 * is kept across restarts (docs/state.md §2).
 */
import type { FxDevice } from './router.js';

/** Toggles DND on `dev`; `save` stores the device's state (router.ts deviceChanged). */
export function toggleDnd(dev: FxDevice, save: (dev: FxDevice) => void): void {
  dev.dnd = !dev.dnd;
  save(dev);
  // While on, the notice stays (timeout 0) like a 7960's status line; "off" replaces it for 5 s.
  dev.sink?.send(dev.dnd ? { t: 'notify', text: 'Do not disturb', timeoutS: 0 } : { t: 'notify', text: 'Do not disturb off', timeoutS: 5 });
}
