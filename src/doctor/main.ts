/**
 * `deskphone doctor --board FILE`: probes each peripheral of a board config on this machine and
 * prints device | check | result | fix. Exit 0 when everything passes, 1 when something fails,
 * 2 for usage or config errors. Never prints a stack trace for missing hardware.
 */
import { ConfigError, formatProblem } from '../config/yaml-config.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import { runChecks, type DoctorRow } from './checks.js';
import { realProbeEnv, type ProbeEnv } from './env.js';
import { CliExit, UsageError, parseCommandLine } from '../command-line.js';
import { summaryOf } from '../cli.js';

const SPEC = {
  name: 'doctor', summary: summaryOf('doctor'),
  options: { board: { type: 'string', short: 'b', arg: 'FILE', help: 'board config whose I2C, GPIO, ALSA and HID devices are checked (required)' } },
} as const;

/** Fixed-width table; long fix texts wrap onto continuation lines. */
export function formatTable(rows: readonly DoctorRow[]): string {
  const head = { device: 'device', check: 'check', result: 'result', fix: 'fix' };
  const cell = (r: DoctorRow): { device: string; check: string; result: string; fix: string } =>
    ({ device: r.device, check: r.check, result: `${r.status === 'ok' ? 'ok' : r.status === 'skip' ? 'SKIP' : 'FAIL'}: ${r.result}`, fix: r.fix });
  const all = [head, ...rows.map(cell)];
  const w = (k: 'device' | 'check' | 'result'): number => Math.min(44, Math.max(...all.map((r) => r[k].length)));
  const [wd, wc, wr] = [w('device'), w('check'), w('result')];
  const line = (r: typeof head): string => `${r.device.padEnd(wd)} | ${r.check.padEnd(wc)} | ${r.result.padEnd(wr)} | ${r.fix}`.trimEnd();
  return [line(head), `${'-'.repeat(wd)}-+-${'-'.repeat(wc)}-+-${'-'.repeat(wr)}-+-${'-'.repeat(3)}`, ...all.slice(1).map(line)].join('\n');
}

export interface DoctorIo { out?: (s: string) => void; err?: (s: string) => void; env?: ProbeEnv }

export async function doctorMain(argv: string[], io: DoctorIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(`${s}\n`));
  const err = io.err ?? ((s: string) => process.stderr.write(`${s}\n`));
  let file: string | undefined;
  try {
    file = parseCommandLine(SPEC, argv, { out: (t) => out(t.trimEnd()), err: (t) => err(t.trimEnd()) }).values.board;
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    if (e instanceof UsageError) return 2;
    throw e;
  }
  if (!file) { err('deskphone doctor: --board FILE is required (run `deskphone doctor --help` for the options)'); return 2; }
  let cfg;
  try { cfg = loadBoardConfig(file); } catch (e) {
    if (e instanceof ConfigError) { err(e.problems.map(formatProblem).join('\n')); return 2; }
    err(`doctor: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  let rows: DoctorRow[];
  try { rows = await runChecks(cfg, io.env ?? realProbeEnv()); } catch (e) {
    err(`doctor: internal error while probing: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  out(`deskphone doctor: ${cfg.board.name} (${cfg.board.model}) from ${file}\n`);
  out(formatTable(rows));
  const failed = rows.filter((r) => r.status !== 'ok').length;
  const noHardware = rows.some((r) => r.status === 'FAIL' && (r.result === 'no /dev/gpiochip*' || (r.check === 'device node exists' && r.result === 'missing')));
  out(failed === 0 ? '\nall checks passed'
    : `\n${failed} of ${rows.length} checks did not pass${noHardware ? ' (no GPIO/I2C hardware found: is this the target board?)' : ''}`);
  return failed === 0 ? 0 : 1;
}
