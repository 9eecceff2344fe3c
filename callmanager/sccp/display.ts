/**
 * Neutral display text (callmanager/station.ts DisplayText) → an SCCP string: station phrases as
 * 0x80 label codes (docs/sccp.md §1 "Embedded display labels"; codes of firmware/sccp/labels.ts
 * TABLE_80), followed by their argument the way Asterisk chan_skinny writes them.
 */
import { label } from '../../firmware/sccp/labels.js';
import type { DisplayText, PhraseId } from '../station.js';

/** The label codes of firmware/sccp/labels.ts: 0x80 0x20 Enter Number, 0x17 From, 0x16 Ring Out, 0x18 Connected (docs/sccp.md §1). */
export const LABEL: Readonly<Record<PhraseId, string>> = {
  enterNumber: label('Enter Number'),
  from: label('From'),
  ringOut: label('Ring Out'),
  connected: label('Connected'),
};
/** What goes between the label and its argument ("\x80\x16 101" but "\x80\x17100", as chan_skinny sends them). */
const SEPARATOR: Partial<Record<PhraseId, string>> = { ringOut: ' ' };

export function sccpText(text: DisplayText): string {
  if (typeof text === 'string') return text;
  return text.arg !== undefined ? LABEL[text.phrase] + (SEPARATOR[text.phrase] ?? '') + text.arg : LABEL[text.phrase];
}
