/** Terminal keystrokes → simulator actions. Function keys: xterm (ESC O P..S) and VT (ESC [ 11~..14~). */
export type SimAction =
  | { kind: 'key'; key: string }
  | { kind: 'hook' }
  | { kind: 'next' }
  | { kind: 'quit' };

const FKEYS: Record<string, string> = {
  '\x1bOP': 'softkey1', '\x1bOQ': 'softkey2', '\x1bOR': 'softkey3', '\x1bOS': 'softkey4',
  '\x1b[11~': 'softkey1', '\x1b[12~': 'softkey2', '\x1b[13~': 'softkey3', '\x1b[14~': 'softkey4',
};
const LETTERS: Record<string, string> = { q: 'softkey1', w: 'softkey2', e: 'softkey3', r: 'softkey4', l: 'line1', h: 'directories' };

/** Splits one stdin chunk (may hold several keystrokes) into actions. */
export function parseKeys(chunk: string): SimAction[] {
  const out: SimAction[] = [];
  let i = 0;
  while (i < chunk.length) {
    const rest = chunk.slice(i);
    const fk = Object.keys(FKEYS).find((s) => rest.startsWith(s));
    if (fk) { out.push({ kind: 'key', key: FKEYS[fk]! }); i += fk.length; continue; }
    const c = chunk[i]!;
    i++;
    if (c === '\x03' || c === '\x04' || c === 'x') out.push({ kind: 'quit' });
    else if (c === '\t') out.push({ kind: 'next' });
    else if (c === ' ') out.push({ kind: 'hook' });
    else if (/^[0-9*#]$/.test(c)) out.push({ kind: 'key', key: c });
    else if (/^[a-d]$/.test(c)) out.push({ kind: 'key', key: c.toUpperCase() });
    else if (LETTERS[c]) out.push({ kind: 'key', key: LETTERS[c]! });
  }
  return out;
}
