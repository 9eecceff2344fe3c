/**
 * The directory request's query string (docs/directory.md §3): `name` (the search text) and
 * `presence` (0/1, our extension). Form-encoded ('+' is a space, %XX UTF-8); other parameters
 * are ignored, as a real phone or a CUCM-style URL may carry some of its own.
 */

/** Longest search text accepted, in characters (a phone's search field holds far fewer). */
export const MAX_NAME = 64;

export interface DirectoryQuery { name: string; presence: boolean }

/** The parsed query, or the message of a 400 answer naming the parameter and what was wrong. */
export function parseDirectoryQuery(search: string): DirectoryQuery | string {
  const seen = new Map<string, string>();
  const raw = search.startsWith('?') ? search.slice(1) : search;
  for (const pair of raw === '' ? [] : raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    let key: string; let value: string;
    try {
      key = decodeURIComponent(k.replace(/\+/g, ' '));
      value = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      return `parameter "${k.slice(0, 32)}": bad percent-encoding (expected %XX sequences of UTF-8)`;
    }
    if (key !== 'name' && key !== 'presence') continue;
    if (seen.has(key)) return `parameter "${key}" given twice`;
    seen.set(key, value);
  }
  const name = seen.get('name') ?? '';
  if ([...name].length > MAX_NAME) return `parameter "name": ${[...name].length} characters, at most ${MAX_NAME}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'parameter "name": control characters are not allowed';
  const p = seen.get('presence') ?? '0';
  if (p !== '0' && p !== '1') return `parameter "presence": expected 0 or 1, not "${p.slice(0, 16)}"`;
  return { name: name.trim(), presence: p === '1' };
}
