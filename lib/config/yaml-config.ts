/**
 * Loads a YAML file and validates it with a zod schema. Every problem is reported with the file,
 * the line and column, the key path, and (for unknown keys) a "did you mean" suggestion, e.g.
 *   board-configs/pi4.yaml:12:5: display.adress: unknown key (did you mean "address"?)
 * Used by board configs, the call-manager config and scenario files.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import type { z } from 'zod';

export interface ConfigProblem { file: string; line: number; col: number; path: string; message: string }

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.path || '(top level)'}: ${p.message}`;
}

export type KeyPath = ReadonlyArray<string | number>;

export function pathString(path: KeyPath): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : (s ? `.${k}` : k);
  return s;
}

/** A parsed YAML document that can say where any key path sits in the source. */
export class YamlSource {
  readonly file: string;
  readonly doc: Document;
  private readonly lines: LineCounter;
  constructor(file: string, text: string) {
    this.file = file;
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }
  static fromFile(file: string): YamlSource {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) {
      throw new ConfigError([{ file, line: 0, col: 0, path: '', message: `cannot read file: ${(e as Error).message}` }]);
    }
    return new YamlSource(file, text);
  }
  /** Position of the key at the end of `path`, or of the deepest part of it that exists. */
  position(path: KeyPath): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let at = isNode(node) ? node.range?.[0] ?? 0 : 0;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        if (isNode(pair.key) && pair.key.range) at = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && isNode(node.items[key])) {
        node = node.items[key];
        at = (node as { range?: [number, number, number] }).range?.[0] ?? at;
      } else break;
    }
    const pos = this.lines.linePos(at);
    return { line: pos.line, col: pos.col };
  }
  problem(path: KeyPath, message: string): ConfigProblem {
    const { line, col } = this.position(path);
    return { file: this.file, line, col, path: pathString(path), message };
  }
  /** YAML syntax errors, or the plain JS value. */
  toJS(): unknown {
    if (this.doc.errors.length) {
      throw new ConfigError(this.doc.errors.map((e) => ({
        file: this.file, line: e.linePos?.[0]?.line ?? 0, col: e.linePos?.[0]?.col ?? 0, path: '',
        message: `YAML syntax error: ${e.message.split('\n')[0]}`,
      })));
    }
    return this.doc.toJS();
  }
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!; prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined; let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, src: YamlSource, known: readonly string[]): ConfigProblem[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const hint = suggest(key, known);
      return src.problem([...path, key], `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`);
    });
  }
  return [src.problem(path, issue.message)];
}

/**
 * Validates `src` against `schema`. `knownKeys` lists every key name the schema accepts anywhere
 * (default: every key of the schema; used for "did you mean"); `crossCheck` adds semantic problems (pin used twice, ...).
 */
export function loadConfig<S extends z.ZodType>(
  src: YamlSource, schema: S, opts: { knownKeys?: readonly string[]; crossCheck?: (v: z.output<S>, src: YamlSource) => ConfigProblem[] } = {},
): z.output<S> {
  const res = schema.safeParse(src.toJS());
  const known = opts.knownKeys ?? schemaKeys(schema);
  if (!res.success) throw new ConfigError(res.error.issues.flatMap((i) => describeIssue(i, src, known)));
  const problems = opts.crossCheck ? opts.crossCheck(res.data, src) : [];
  if (problems.length) throw new ConfigError(problems);
  return res.data;
}

/** Every object key a zod schema accepts, walked recursively (for "did you mean"). */
export function schemaKeys(schema: unknown, out = new Set<string>(), visited = new WeakSet<object>()): string[] {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (!def || visited.has(def)) return [...out];
  visited.add(def);
  const shape = def['shape'] as Record<string, unknown> | undefined;
  if (shape) for (const [k, v] of Object.entries(shape)) { out.add(k); schemaKeys(v, out, visited); }
  for (const key of ['innerType', 'element', 'valueType', 'in', 'out', 'left', 'right']) if (def[key]) schemaKeys(def[key], out, visited);
  for (const key of ['options']) if (Array.isArray(def[key])) for (const o of def[key] as unknown[]) schemaKeys(o, out, visited);
  return [...out];
}
