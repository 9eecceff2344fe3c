/**
 * What a bad config file is reported as: a list of problems, each `file:line:col: key.path: message`.
 * Kept apart from the YAML loader (yaml-config.ts) so that code which only reports, catches or
 * rebuilds a ConfigError (the CLI entry, the phone's off-thread config load) loads neither yaml nor zod.
 */
export interface ConfigProblem { file: string; line: number; col: number; path: string; message: string }

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** `file:line:col: key.path: message`; a problem of the whole file is `file: message`. */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}${p.line > 0 ? `:${p.line}:${p.col}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export type KeyPath = ReadonlyArray<string | number>;

export function pathString(path: KeyPath): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : (s ? `.${k}` : k);
  return s;
}
