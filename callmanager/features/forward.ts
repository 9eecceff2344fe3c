/**
 * Call forward all, per line (docs/features.md §2 CFwdAll, §6 "Call forward"; chan-sccp
 * behaviour: the forward is a property of the line, shown by ForwardStat, docs/sccp.md §3 0x0090).
 * Loops are refused when set: a forward whose chain leads back to the forwarding line.
 * With a `persist` the table is kept in the CM's database (docs/state.md §2) and loaded from it.
 */
import type { Logger } from '../station.js';

/** Where forwards are kept (callmanager/store/database.ts CmStore). */
export interface ForwardPersistence {
  forwards(): { line: string; target: string }[];
  setForward(line: string, target: string): void;
  clearForward(line: string): void;
}

export interface ForwardResult { ok: boolean; reason?: string }

export class ForwardTable {
  private readonly map = new Map<string, string>();

  constructor(private readonly known: (number: string) => boolean, private readonly persist?: ForwardPersistence, log?: Logger) {
    for (const f of persist?.forwards() ?? []) {
      const r = this.known(f.line) ? this.set(f.line, f.target, false) : { ok: false, reason: 'line no longer configured' };
      if (r.ok) continue;
      log?.warn(`forward ${f.line} → ${f.target} from storage dropped: ${r.reason}`);
      persist!.clearForward(f.line);
    }
  }

  get(line: string): string | undefined { return this.map.get(line); }

  /** Sets `line` → `target`; refuses unknown targets, self-forwarding and loops. */
  set(line: string, target: string, save = true): ForwardResult {
    if (!this.known(target)) return { ok: false, reason: 'Unknown number' };
    if (target === line) return { ok: false, reason: 'Forward loop' };
    const seen = new Set<string>([line]);
    for (let n: string | undefined = target; n !== undefined; n = this.map.get(n)) {
      if (seen.has(n)) return { ok: false, reason: 'Forward loop' };
      seen.add(n);
    }
    this.map.set(line, target);
    if (save) this.persist?.setForward(line, target);
    return { ok: true };
  }

  clear(line: string): boolean {
    if (!this.map.delete(line)) return false;
    this.persist?.clearForward(line);
    return true;
  }

  /** Where a call to `number` ends up after following forwards (loops cannot exist: `set` refuses them). */
  resolve(number: string): string {
    const seen = new Set<string>();
    let n = number;
    while (this.map.has(n) && !seen.has(n)) { seen.add(n); n = this.map.get(n)!; }
    return n;
  }
}
