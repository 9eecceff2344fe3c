/**
 * Loads a YAML file and validates it with a zod schema. Every problem is reported with the file,
 * the line and column, the key path, and (for unknown keys) a "did you mean" suggestion from the
 * keys valid at that path, e.g.
 *   board-configs/pi4.yaml:12:5: display.adress: unknown key (did you mean "address"?)
 * Used by board configs, the call-manager config and scenario files.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { didYouMean, keysAt, plainMessage } from './schema-words.js';

import { ConfigError, formatProblem, pathString, type ConfigProblem, type KeyPath } from './config-error.js';

export { ConfigError, formatProblem, pathString, type ConfigProblem, type KeyPath };

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
  /** Reads `file`; a missing file, a directory or a binary file is one plain sentence (ConfigError). */
  static fromFile(file: string): YamlSource {
    const fail = (message: string): never => { throw new ConfigError([{ file, line: 0, col: 0, path: '', message }]); };
    let bytes: Buffer;
    try { bytes = readFileSync(file); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return fail('no such file');
      if (code === 'EISDIR') return fail('is a directory, not a YAML file');
      if (code === 'EACCES' || code === 'EPERM') return fail('cannot be read: permission denied');
      return fail(`cannot be read: ${(e as Error).message}`);
    }
    let text: string;
    try {
      if (bytes.includes(0)) throw new Error('NUL byte');
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail('is a binary file, not YAML text');
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
  /** YAML syntax errors (with line and column), an empty file, or the plain JS value. */
  toJS(): unknown {
    if (this.doc.errors.length) {
      throw new ConfigError(this.doc.errors.map((e) => {
        const { line, col } = this.lines.linePos(e.pos[0]);
        return { file: this.file, line, col, path: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` };
      }));
    }
    const value: unknown = this.doc.toJS();
    if (value === null || value === undefined) {
      throw new ConfigError([{ file: this.file, line: 0, col: 0, path: '', message: 'the file is empty (no YAML keys in it)' }]);
    }
    return value;
  }
}

export { editDistance, suggest } from './schema-words.js';

type Path = (string | number)[];
const pathOf = (issue: { path: PropertyKey[] }): Path => issue.path.filter((k): k is string | number => typeof k !== 'symbol');

function describeIssue(issue: z.core.$ZodIssue, at: Path, src: YamlSource, schema: unknown, root: unknown): ConfigProblem[] {
  const path = [...at, ...pathOf(issue)];
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(schema, path, root);
    return issue.keys.map((key) => src.problem([...path, key], `unknown key${didYouMean(key, known)}`));
  }
  if (issue.code === 'invalid_union') {
    // Keys that no form of the union knows ("lfit:" where a step is lift/replace/...): say that.
    const value = valueAt(root, path);
    const known = keysAt(schema, path, root);
    if (isPlainObject(value) && known.length) {
      const unknown = Object.keys(value).filter((k) => !known.includes(k));
      if (unknown.length) {
        return unknown.map((k) => src.problem([...path, k], `unknown key${didYouMean(k, known)}; expected one of: ${known.join(', ')}`));
      }
      // Every key is known somewhere: report the problems of the form that fits best.
      const fits = issue.errors.filter((errs) => !errs.some((e) => e.code === 'unrecognized_keys' && e.path.length === 0));
      const best = (fits.length ? fits : issue.errors).reduce((a, b) => (b.length < a.length ? b : a));
      return best.flatMap((e) => describeIssue(e, path, src, schema, root));
    }
  }
  return [src.problem(path, issue.message)];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const k of path) v = isPlainObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/** Only the problems the schema found: what describeIssue made of them. */
function schemaProblems(res: { error: z.core.$ZodError }, src: YamlSource, schema: unknown, root: unknown): ConfigProblem[] {
  return res.error.issues.flatMap((i) => describeIssue(i, [], src, schema, root));
}

export interface LoadConfigOptions<T> {
  /** Whole-config checks (pin used twice, ...). Also run on what remains valid when the schema finds problems. */
  crossCheck?: (v: T, src: YamlSource) => ConfigProblem[];
}

/**
 * Validates `src` against `schema`, reporting every problem in one run: the schema's (in plain
 * words, with "did you mean" from the keys valid at that path) and the cross-checks'. When the
 * schema rejects part of the file, the cross-checks still run on the rest (see repairForChecks).
 */
export function loadConfig<S extends z.ZodType>(src: YamlSource, schema: S, opts: LoadConfigOptions<z.output<S>> = {}): z.output<S> {
  const root = src.toJS();
  const res = schema.safeParse(root, { error: plainMessage });
  if (res.success) {
    const problems = opts.crossCheck ? opts.crossCheck(res.data, src) : [];
    if (problems.length) throw new ConfigError(problems);
    return res.data;
  }
  const problems = schemaProblems(res, src, schema, root);
  if (opts.crossCheck) problems.push(...crossCheckRemainder(src, schema, root, res.error, opts.crossCheck));
  throw new ConfigError(sortProblems(problems));
}

function sortProblems(p: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return p.filter((x) => { const k = formatProblem(x); if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * Cross-checks on what the schema accepted: unknown keys are dropped, values the schema rejects
 * are removed (a list entry is taken out, and the positions of the entries after it mapped back),
 * and missing top-level sections are allowed; defaults fill what was removed. Cross-check problems
 * at a key whose value was removed are not reported (they would follow from the schema's problem). A check that cannot run on the
 * remainder (a section it needs is gone) is skipped.
 */
function crossCheckRemainder<T>(src: YamlSource, schema: z.ZodType, root: unknown, first: z.core.$ZodError,
  crossCheck: (v: T, src: YamlSource) => ConfigProblem[]): ConfigProblem[] {
  const lenient = typeof (schema as { partial?: unknown }).partial === 'function' ? (schema as unknown as { partial(): z.ZodType }).partial() : schema;
  const value: unknown = structuredClone(root);
  const splices: { array: Path; index: number }[] = [];
  /** Keys whose value was rejected: cross-check problems there would follow from the schema's. */
  const removedFrom = new Set<string>();
  let error: z.core.$ZodError | undefined = first;
  for (let round = 0; round < 8 && error; round++) {
    const deletions: Path[] = [];
    for (const issue of error.issues) {
      const path = pathOf(issue);
      if (issue.code === 'unrecognized_keys') {
        const obj = valueAt(value, path);
        if (isPlainObject(obj)) for (const k of issue.keys) delete obj[k];
      } else deletions.push(valueAt(value, path) === undefined ? path.slice(0, -1) : path);
    }
    // Deepest and last first, so earlier indexes stay valid while removing.
    deletions.sort((a, b) => b.length - a.length || Number(b.at(-1)) - Number(a.at(-1)));
    for (const path of deletions) {
      if (path.length === 0) continue; // a missing top-level section: the lenient schema allows it
      const original = toOriginal(path, splices);
      if (typeof original.at(-1) === 'string') removedFrom.add(pathString(original));
      const parent = valueAt(value, path.slice(0, -1));
      const key = path.at(-1)!;
      if (Array.isArray(parent) && typeof key === 'number' && key < parent.length) {
        parent.splice(key, 1);
        splices.push({ array: path.slice(0, -1), index: key });
      } else if (isPlainObject(parent)) delete parent[key as string];
    }
    const res = lenient.safeParse(value);
    if (res.success) {
      const mapped: Pick<YamlSource, 'problem'> = { problem: (p, message) => src.problem(toOriginal([...p], splices), message) };
      let problems: ConfigProblem[];
      try { problems = crossCheck(res.data as T, mapped as YamlSource); } catch { return []; }
      const within = (p: string, prefix: string): boolean => p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`);
      return problems.filter((p) => ![...removedFrom].some((prefix) => within(p.path, prefix)));
    }
    error = res.error;
  }
  return [];
}

/** Maps a path in the repaired value back to the file's, undoing list removals newest first. */
function toOriginal(path: Path, splices: readonly { array: Path; index: number }[]): Path {
  const p = [...path];
  for (let i = splices.length - 1; i >= 0; i--) {
    const { array, index } = splices[i]!;
    if (p.length > array.length && array.every((k, j) => p[j] === k) && typeof p[array.length] === 'number' && (p[array.length] as number) >= index) {
      p[array.length] = (p[array.length] as number) + 1;
    }
  }
  return p;
}

/** Every object key a zod schema accepts, walked recursively. */
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
