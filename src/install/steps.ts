/**
 * The steps of `deskphone install` / `uninstall` and the one executor for both modes: on the
 * system (as root: files written, commands run) or into a tree (`--root DIR`: files under DIR,
 * every command only printed as "would run", for packaging and tests).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Step =
  | { kind: 'mkdir'; path: string; mode: number }
  /** Copies the host path `from` (a file or a directory tree) to `to`. */
  | { kind: 'copy'; from: string; to: string }
  /** `keep`: an existing file is left as it is (the user's config). */
  | { kind: 'write'; path: string; text: string; mode: number; keep?: boolean }
  | { kind: 'remove'; path: string }
  /** `mayFail`: a failure is a warning (the service was not running, the rule was already gone). */
  | { kind: 'run'; argv: string[]; mayFail?: boolean }
  | { kind: 'say'; text: string; warn?: boolean };

export interface Io { out(line: string): void; err(line: string): void }

export interface ApplyOptions {
  /** Files go under this directory and no command runs; undefined: the real system. */
  root?: string | undefined;
  io: Io;
}

export class InstallError extends Error {}

const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
export const commandLine = (argv: readonly string[]): string => argv.map(quote).join(' ');

/** Where `path` of the target system is on this machine. */
export const inRoot = (root: string | undefined, path: string): string => (root ? join(root, path) : path);

export function applySteps(steps: readonly Step[], o: ApplyOptions): void {
  const at = (p: string): string => inRoot(o.root, p);
  for (const s of steps) {
    switch (s.kind) {
      case 'mkdir':
        mkdirSync(at(s.path), { recursive: true, mode: s.mode });
        chmodSync(at(s.path), s.mode);
        break;
      case 'copy':
        mkdirSync(dirname(at(s.to)), { recursive: true });
        cpSync(s.from, at(s.to), { recursive: true, verbatimSymlinks: true, force: true });
        break;
      case 'write':
        if (s.keep && existsSync(at(s.path))) { o.io.out(`kept      ${s.path} (exists; not overwritten)`); break; }
        mkdirSync(dirname(at(s.path)), { recursive: true });
        writeFileSync(at(s.path), s.text, { mode: s.mode });
        chmodSync(at(s.path), s.mode);
        o.io.out(`wrote     ${s.path}`);
        break;
      case 'remove':
        if (!existsSync(at(s.path))) break;
        rmSync(at(s.path), { recursive: true, force: true });
        o.io.out(`removed   ${s.path}`);
        break;
      case 'run': {
        if (o.root !== undefined) { o.io.out(`would run ${commandLine(s.argv)}`); break; }
        o.io.out(`run       ${commandLine(s.argv)}`);
        const r = spawnSync(s.argv[0]!, s.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
        const failure = r.error ? r.error.message : r.status !== 0 ? `exit code ${r.status ?? r.signal}` : undefined;
        if (failure === undefined) break;
        if (s.mayFail) { o.io.err(`warning: ${commandLine(s.argv)} failed (${failure}); going on`); break; }
        throw new InstallError(`${commandLine(s.argv)} failed: ${failure}`);
      }
      case 'say':
        if (s.warn) o.io.err(`warning: ${s.text}`); else o.io.out(s.text);
        break;
    }
  }
}
