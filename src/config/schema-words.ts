/**
 * What a zod schema accepts, in words a user can act on: the keys valid at one path (for "did
 * you mean"), a short description of the expected value ("a list of { number, name, label? }"),
 * and plain messages for zod's issues ("missing: …", "must be one of …") instead of its internals.
 */
import type { z } from 'zod';

type Def = Record<string, unknown> & { type?: string };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Strips wrappers that do not change the shape: optional, default, nullable, pipes (their input side), lazy. */
export function unwrap(schema: unknown): unknown {
  for (let i = 0; i < 20; i++) {
    const d = defOf(schema);
    if (!d) return schema;
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault' || d.type === 'nullable' || d.type === 'readonly' || d.type === 'catch' || d.type === 'nonoptional') schema = d['innerType'];
    else if (d.type === 'pipe') schema = defOf(d['in'])?.type === 'unknown' ? d['out'] : d['in'];
    else if (d.type === 'lazy') schema = (d['getter'] as () => unknown)();
    else return schema;
  }
  return schema;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The union options that can describe `value`: for a discriminated union, the one its discriminator names. */
function unionOptions(d: Def, value: unknown): unknown[] {
  const options = (d['options'] as unknown[]) ?? [];
  const disc = d['discriminator'] as string | undefined;
  if (disc && isObj(value)) {
    const match = options.filter((o) => {
      const shape = defOf(unwrap(o))?.['shape'] as Record<string, unknown> | undefined;
      const values = (defOf(unwrap(shape?.[disc]))?.['values'] as unknown[] | undefined) ?? [];
      return values.includes(value[disc]);
    });
    if (match.length) return match;
  }
  return options;
}

/** The schemas that may hold the value at `path` (several where a union does not say which). */
export function schemasAt(schema: unknown, path: readonly (string | number)[], root: unknown): unknown[] {
  let current: { s: unknown; v: unknown }[] = [{ s: schema, v: root }];
  for (const key of path) {
    const next: { s: unknown; v: unknown }[] = [];
    for (const { s, v } of current) {
      for (const option of expand(s, v)) {
        const d = defOf(option)!;
        const child = isObj(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[key] : undefined;
        if (d.type === 'object' && typeof key === 'string') {
          const shape = d['shape'] as Record<string, unknown>;
          if (key in shape) next.push({ s: shape[key], v: child });
        } else if (d.type === 'array' && typeof key === 'number') next.push({ s: d['element'], v: child });
        else if (d.type === 'record') next.push({ s: d['valueType'], v: child });
      }
    }
    current = next;
  }
  return current.flatMap(({ s, v }) => expand(s, v));
}

/** `schema` unwrapped, unions split into their (matching) options. */
function expand(schema: unknown, value: unknown, depth = 0): unknown[] {
  const s = unwrap(schema);
  const d = defOf(s);
  if (!d) return [];
  if (d.type === 'union' && depth < 5) return unionOptions(d, value).flatMap((o) => expand(o, value, depth + 1));
  return [s];
}

/** Every key an object at `path` may have (empty when the schema there is not an object). */
export function keysAt(schema: unknown, path: readonly (string | number)[], root: unknown): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path, root)) {
    const d = defOf(s)!;
    if (d.type === 'object') for (const k of Object.keys(d['shape'] as object)) keys.add(k);
  }
  return [...keys];
}

/** True when the schema accepts a missing value (optional or with a default). */
function optional(schema: unknown): boolean {
  const t = defOf(schema)?.type;
  return t === 'optional' || t === 'default' || t === 'prefault';
}

/** A short description of what `schema` accepts: "a number", "a list of { number, name, label? }". */
export function describeSchema(schema: unknown, depth = 0): string {
  const s = unwrap(schema);
  const d = defOf(s);
  if (!d) return 'a value';
  switch (d.type) {
    case 'string': return 'text';
    case 'number': case 'int': return 'a number';
    case 'boolean': return 'true or false';
    case 'literal': return ((d['values'] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'enum': return `one of ${Object.values(d['entries'] as object).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'array': return depth > 1 ? 'a list' : `a list of ${describeSchema(d['element'], depth + 1)}`;
    case 'record': return depth > 1 ? 'a mapping' : `a mapping of names to ${describeSchema(d['valueType'], depth + 1)}`;
    case 'object': {
      const shape = d['shape'] as Record<string, unknown>;
      const keys = Object.entries(shape).map(([k, v]) => {
        const lit = defOf(v)?.type === 'literal' ? (defOf(v)!['values'] as unknown[]) : undefined;
        return lit?.length === 1 ? `${k}: ${JSON.stringify(lit[0])}` : `${k}${optional(v) ? '?' : ''}`;
      });
      return `{ ${keys.join(', ')} }`;
    }
    case 'union': {
      const options = [...new Set(((d['options'] as unknown[]) ?? []).map((o) => describeSchema(o, depth + 1)))];
      return options.join(' or ');
    }
    default: return 'a value';
  }
}

/** The value a user wrote, in words: text "abc", the number 3, a list, a mapping. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list (${v.length} ${v.length === 1 ? 'entry' : 'entries'})`;
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), so "lfit" is one
 * edit from "lift".
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, when it is close: one edit for words up to 4 letters, one per
 * four letters beyond; or a candidate `word` is the start of ("scan" → "scanMs"). Never `word`
 * itself; nothing when nothing is close.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined; let bestD = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (c === word) continue;
    const d = w.length >= 3 && lc.startsWith(w) ? 1 : editDistance(w, lc);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(w.length / 4)) ? best : undefined;
}

/** " (did you mean "x"?)" or "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = suggest(word, candidates);
  return hint ? ` (did you mean "${hint}"?)` : '';
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * zod error map: plain words for the issues zod words in its own terms. Schema-level custom
 * messages win over this map (zod's precedence), so hand-written messages are kept.
 */
export function plainMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const i = iss as z.core.$ZodRawIssue & Record<string, unknown>;
  const expected = describeSchema(i.inst);
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? `missing: ${expected}` : `expected ${expected}, not ${describeValue(iss.input)}`;
    case 'too_small': {
      const min = Number(i['minimum']);
      if (i['origin'] === 'array') return `needs at least ${plural(min, 'entry', 'entries')}`;
      if (i['origin'] === 'string') return min === 1 ? 'must not be empty' : `needs at least ${plural(min, 'character', 'characters')}`;
      return `must be ${i['inclusive'] ? 'at least' : 'more than'} ${min}, not ${String(iss.input)}`;
    }
    case 'too_big': {
      const max = Number(i['maximum']);
      if (i['origin'] === 'array') return `takes at most ${plural(max, 'entry', 'entries')}`;
      if (i['origin'] === 'string') return `takes at most ${plural(max, 'character', 'characters')}`;
      return `must be ${i['inclusive'] ? 'at most' : 'less than'} ${max}, not ${String(iss.input)}`;
    }
    case 'invalid_value': {
      const values = (i['values'] as unknown[]).map(String);
      const typed = iss.input === undefined ? '' : `, not ${JSON.stringify(iss.input)}`;
      return `must be ${values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.join(', ')}`}${typed}${typeof iss.input === 'string' ? didYouMean(iss.input, values) : ''}`;
    }
    case 'invalid_format': return `${describeValue(iss.input)} does not have the expected form (${String(i['pattern'] ?? i['format'])})`;
    case 'not_multiple_of': return `must be a multiple of ${String(i['divisor'])}`;
    case 'invalid_union': {
      if (i['note'] === 'No matching discriminator' && Array.isArray(i['options'])) {
        const disc = String(i['discriminator']);
        const got = isObj(iss.input) ? iss.input[disc] : iss.input;
        const values = (i['options'] as unknown[]).map(String);
        return got === undefined ? `missing: one of ${values.join(', ')}`
          : `must be one of ${values.join(', ')}, not ${JSON.stringify(got)}${typeof got === 'string' ? didYouMean(got, values) : ''}`;
      }
      return `expected ${expected}, not ${describeValue(iss.input)}`;
    }
    default: return undefined;
  }
}
