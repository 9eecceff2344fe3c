/**
 * Board-config loading: YAML → zod schema → whole-board checks. Every problem comes back as
 * `file:line:col: key.path: message` (src/config/yaml-config.ts).
 */
import { ConfigError, YamlSource, formatProblem, loadConfig } from '../../src/config/yaml-config.js';
import { checkBoard } from './checks.js';
import { boardSchema, type BoardConfig } from './schema.js';

export type { BoardConfig } from './schema.js';

/** Validates an already-read YAML source. Throws ConfigError listing every problem found. */
export function parseBoardConfig(src: YamlSource): BoardConfig {
  return loadConfig(src, boardSchema, { crossCheck: checkBoard });
}

/** Loads `text` as if it were the file `file` (tests, stdin). */
export function loadBoardConfigText(file: string, text: string): BoardConfig {
  return parseBoardConfig(new YamlSource(file, text));
}

/** Reads and validates one board config. Throws ConfigError (file:line:col: path: message). */
export function loadBoardConfig(file: string): BoardConfig {
  return parseBoardConfig(YamlSource.fromFile(file));
}

export interface BoardCheckResult {
  file: string;
  ok: boolean;
  /** Formatted problems, one per line of `deskphone board check` output. */
  problems: string[];
}

/** Checks several files without stopping at the first bad one (for `deskphone board check FILE...`). */
export function checkBoardFiles(files: readonly string[]): BoardCheckResult[] {
  return files.map((file) => {
    try {
      loadBoardConfig(file);
      return { file, ok: true, problems: [] };
    } catch (e) {
      if (e instanceof ConfigError) return { file, ok: false, problems: e.problems.map(formatProblem) };
      return { file, ok: false, problems: [`${file}: ${(e as Error).message ?? String(e)}`] };
    }
  });
}
