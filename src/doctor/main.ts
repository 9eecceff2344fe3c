/**
 * `deskphone doctor --board FILE`: probes each peripheral of a board config on this machine and
 * prints device | check | result | fix. Exit 0 when everything passes, 1 when something fails,
 * 2 for usage or config errors. Never prints a stack trace for missing hardware.
 */
import { ConfigError, formatProblem } from '../../lib/config/yaml-config.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import { runChecks, type DoctorRow } from './checks.js';
import { realProbeEnv, type ProbeEnv } from './env.js';

const USAGE = 'usage: deskphone doctor --board FILE\n  checks I2C, GPIO, ALSA and HID devices named in the board config on this machine';

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
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--board' || a === '-b') file = argv[++i];
    else if (a.startsWith('--board=')) file = a.slice(8);
    else if (a === '--help' || a === '-h') { out(USAGE); return 0; }
    else { err(`doctor: unknown argument "${a}"\n${USAGE}`); return 2; }
  }
  if (!file) { err(`doctor: --board FILE is required\n${USAGE}`); return 2; }
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
