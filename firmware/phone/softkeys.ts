/**
 * Softkey layout: which announced slot sits under which physical softkey, paging with a "more"
 * key when the call manager announces more keys than the board has (the 7940/7960 has four
 * softkeys and pages longer sets, docs/features.md §1), and labels squeezed into equal-width cells.
 */
import type { SoftkeySlot } from '../station/signalling.js';
import { cleanText } from './format.js';

/** What a physical softkey does right now. */
export type SoftkeyTarget = { kind: 'slot'; slot: number } | { kind: 'more' } | { kind: 'none' };

export interface SoftkeyPage {
  /** One label per physical softkey ('' = blank cell). */
  labels: string[];
  targets: SoftkeyTarget[];
  pageCount: number;
}

export const MORE_LABEL = 'more';

/** Number of slots that matter: up to and including the last enabled one. */
function usedSlots(keys: readonly SoftkeySlot[]): number {
  for (let i = keys.length - 1; i >= 0; i--) if (keys[i]?.enabled && cleanText(keys[i]?.label)) return i + 1;
  return 0;
}

/**
 * Lays `keys` onto `count` physical softkeys. Disabled slots keep their position as blank cells
 * (the CM's valid-key mask blanks keys without moving the others). When more slots are in use
 * than there are keys, each page shows `count - 1` slots and the last key becomes "more".
 * `cm`: the call manager pages the set itself (SSCP, docs/sscp.md §5 "Layout"): `keys` are its
 * current page, laid out from slot 0 with "more" on the last key while it has several pages.
 */
export function layoutSoftkeys(keys: readonly SoftkeySlot[], count: number, page: number,
  cm?: { page: number; pages: number }): SoftkeyPage {
  const labels: string[] = [];
  const targets: SoftkeyTarget[] = [];
  if (count <= 0) return { labels, targets, pageCount: 1 };
  if (cm && cm.pages > 1 && count > 1) {
    for (let slot = 0; slot < count - 1; slot++) {
      const k = keys[slot];
      const label = k && k.enabled ? cleanText(k.label) : '';
      labels.push(label);
      targets.push(label ? { kind: 'slot', slot } : { kind: 'none' });
    }
    labels.push(MORE_LABEL);
    targets.push({ kind: 'more' });
    return { labels, targets, pageCount: cm.pages };
  }
  const used = usedSlots(keys);
  const paged = used > count && count > 1;
  const perPage = paged ? count - 1 : count;
  const pageCount = paged ? Math.ceil(used / perPage) : 1;
  const p = ((page % pageCount) + pageCount) % pageCount;
  for (let i = 0; i < perPage; i++) {
    const slot = p * perPage + i;
    const k = slot < used ? keys[slot] : undefined;
    const label = k && k.enabled ? cleanText(k.label) : '';
    labels.push(label);
    targets.push(label ? { kind: 'slot', slot } : { kind: 'none' });
  }
  if (paged) {
    labels.push(MORE_LABEL);
    targets.push({ kind: 'more' });
  }
  return { labels, targets, pageCount };
}

/**
 * Short forms for the usual CM labels (docs/features.md §2 key names) when a cell is narrow; keys
 * are the label lower-cased with non-alphanumerics removed.
 */
const ABBREV: Readonly<Record<string, readonly string[]>> = {
  redial: ['Redial', 'Redl', 'Rdl'],
  newcall: ['NewCall', 'New', 'New'],
  endcall: ['EndCall', 'End', 'End'],
  answer: ['Answer', 'Ansr', 'Ans'],
  hold: ['Hold', 'Hold', 'Hld'],
  resume: ['Resume', 'Resm', 'Res'],
  transfer: ['Transfer', 'Xfer', 'Xfr'],
  trnsfer: ['Trnsfer', 'Xfer', 'Xfr'],
  cfwdall: ['CFwdAll', 'CFwd', 'Fwd'],
  cfwdbusy: ['CFwdBusy', 'CFwB', 'FwB'],
  cfwdnoanswer: ['CFwdNoAns', 'CFwN', 'FwN'],
  backspace: ['<<', '<<', '<<'],
  bkspc: ['<<', '<<', '<<'],
  pickup: ['PickUp', 'PkUp', 'PkU'],
  gpickup: ['GPickUp', 'GPkU', 'GPk'],
  idivert: ['iDivert', 'iDiv', 'iDv'],
  conference: ['Conf', 'Conf', 'Cnf'],
  confrn: ['Confrn', 'Conf', 'Cnf'],
  conflist: ['ConfList', 'CLst', 'CLs'],
  meetme: ['MeetMe', 'Meet', 'Mtg'],
  barge: ['Barge', 'Brg', 'Brg'],
  private: ['Private', 'Priv', 'Prv'],
  select: ['Select', 'Sel', 'Sel'],
  dirtrfr: ['DirTrfr', 'DXfr', 'DXf'],
  park: ['Park', 'Park', 'Prk'],
  more: ['more', 'more', '>>'],
  next: ['Next', 'Next', 'Nxt'],
  exit: ['Exit', 'Exit', 'Ext'],
  prev: ['Prev', 'Prev', 'Prv'],
  search: ['Search', 'Srch', 'Src'],
};

const norm = (label: string): string => label.toLowerCase().replace(/[^a-z0-9<]/g, '');

/** `label` in at most `width` characters: itself, a known short form, or a truncation. */
export function shortLabel(label: string, width: number): string {
  if (width <= 0) return '';
  if (label.length <= width) return label;
  const forms = ABBREV[norm(label)];
  if (forms) for (const f of forms) if (f.length <= width) return f;
  return label.slice(0, width);
}

/**
 * The softkey row: `labels.length` equal cells of floor(cols / n) characters, each label
 * left-aligned with one separating space when the cell is wider than 3 characters.
 */
export function softkeyRow(labels: readonly string[], cols: number): string {
  const n = labels.length;
  if (n === 0 || cols <= 0) return ' '.repeat(Math.max(0, cols));
  const cell = Math.floor(cols / n);
  const width = cell > 3 ? cell - 1 : cell;
  let out = '';
  for (const l of labels) {
    const s = shortLabel(l, width);
    out += s + ' '.repeat(cell - s.length);
  }
  return out + ' '.repeat(cols - out.length);
}

/** Index of the announced slot whose label names `key` ('hold', 'redial', 'endcall'...), if enabled. */
export function slotByName(keys: readonly SoftkeySlot[], key: string): number | undefined {
  const k = norm(key);
  if (!k) return undefined;
  for (let i = 0; i < keys.length; i++) {
    const s = keys[i];
    if (s && s.enabled && norm(cleanText(s.label)) === k) return i;
  }
  return undefined;
}
