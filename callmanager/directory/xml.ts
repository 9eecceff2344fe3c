/**
 * The CiscoIPPhoneDirectory document the directory server answers with (docs/directory.md §1):
 * Title, Prompt, then one DirectoryEntry { Name, Telephone } per result, built with
 * fast-xml-parser's XMLBuilder (which escapes & < > " ' in text). With presence on, each entry
 * also carries our <Presence> extension element after Telephone (docs/directory.md §2).
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { LineConfig } from '../config.js';
import type { Presence } from '../presence.js';

/**
 * The format's limits (docs/directory.md §1): a phone shows at most 32 DirectoryEntry items, and
 * Title, Prompt, Name and Telephone are at most 32 characters each.
 */
export const MAX_ENTRIES = 32;
export const MAX_TEXT = 32;

export interface DirectoryRow { name: string; number: string; presence?: Presence }

/** `s` cut to `MAX_TEXT` characters (code points, so no surrogate pair is split). */
export function clip(s: string): string {
  const cps = [...s];
  return cps.length <= MAX_TEXT ? s : cps.slice(0, MAX_TEXT).join('');
}

/**
 * The lines whose name, label or number contains `query` (case-insensitive; '' = all), sorted by
 * name then number. All matches: the caller cuts the list to MAX_ENTRIES and says so in the Prompt.
 */
export function matchingLines(lines: readonly LineConfig[], query: string): LineConfig[] {
  const q = query.toLowerCase();
  return lines
    .filter((l) => q === '' || l.name.toLowerCase().includes(q) || (l.label ?? '').toLowerCase().includes(q) || l.number.includes(q))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.number.localeCompare(b.number));
}

/** "3 of 3" / "32 of 40": how many matches are shown (the Prompt, ≤ 32 characters). */
export function promptFor(shown: number, total: number, query: string): string {
  if (total === 0) return clip(query === '' ? 'No entries' : `No match for ${query}`);
  return clip(`${shown} of ${total}${query === '' ? '' : ` for ${query}`}`);
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });

/** The whole document, with an XML declaration (UTF-8). `rows` beyond MAX_ENTRIES are not sent. */
export function directoryXml(title: string, prompt: string, rows: readonly DirectoryRow[]): string {
  const entries = rows.slice(0, MAX_ENTRIES).map((r) => ({
    Name: clip(r.name), Telephone: r.number,
    ...(r.presence !== undefined && r.presence !== 'unknown' ? { Presence: r.presence } : {}),
  }));
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    CiscoIPPhoneDirectory: { Title: clip(title), Prompt: clip(prompt), DirectoryEntry: entries },
  }) as string;
}
