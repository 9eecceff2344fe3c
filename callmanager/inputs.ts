/**
 * Protocol-neutral station inputs the call core (calls.ts) takes: soft keys by name, keypad keys as
 * characters. The SCCP half (sccp/inputs.ts) turns SoftKeyEvent / Stimulus / KeypadButton numbers into
 * these; the SSCP half (sscp-server/inputs.ts) its soft key event ids and Digit keys.
 */

/**
 * Config soft key names (config.ts SOFTKEY_NAMES, the `softkeys` override and the default sets of
 * softkey-sets.ts) → the neutral soft key the core acts on. The core implements redial, newCall,
 * hold, transfer, cfwdAll, cfwdBusy, cfwdNoAnswer, backspace, endCall, resume, answer, pickUp, gPickUp,
 * dnd, iDivert, park, callBack and dial (features/*.ts), confrn, join, rmLstC and meetMe
 * (conference-calls.ts); the others answer "Not available" (docs/features.md §2).
 */
export const SOFTKEY_BY_CONFIG_NAME = {
  Redial: 'redial', NewCall: 'newCall', Hold: 'hold', Transfer: 'transfer', CFwdAll: 'cfwdAll', CFwdBusy: 'cfwdBusy',
  CFwdNoAnswer: 'cfwdNoAnswer', BackSpace: 'backspace', EndCall: 'endCall', Resume: 'resume', Answer: 'answer',
  Info: 'info', Confrn: 'confrn', Park: 'park', Join: 'join', MeetMe: 'meetMe', PickUp: 'pickUp', GPickUp: 'gPickUp',
  DND: 'dnd', iDivert: 'iDivert', Dial: 'dial', RmLstC: 'rmLstC', CallBack: 'callBack',
} as const;
export type SoftKeyConfigName = keyof typeof SOFTKEY_BY_CONFIG_NAME;
export type SoftKeyName = (typeof SOFTKEY_BY_CONFIG_NAME)[SoftKeyConfigName];

/** Keys a station may report from its keypad: digits, * and #, and the DTMF letters A-D. */
export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';
const KEYPAD = /^[0-9*#A-D]$/;
/** `key` as a KeypadKey (one of 0-9 * # A-D), else undefined. */
export function keypadKey(key: string): KeypadKey | undefined { return KEYPAD.test(key) ? key as KeypadKey : undefined; }
