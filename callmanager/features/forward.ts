/**
 * Call forward all, per line, kept in memory (docs/features.md §2 CFwdAll, §6 "Call forward"; chan-sccp
 * behaviour: the forward is a property of the line, shown by ForwardStat, docs/sccp.md §3 0x0090).
 * Loops are refused when set: a forward whose chain leads back to the forwarding line.
 */
export interface ForwardResult { ok: boolean; reason?: string }

export class ForwardTable {
  private readonly map = new Map<string, string>();

  constructor(private readonly known: (number: string) => boolean) {}

  get(line: string): string | undefined { return this.map.get(line); }

  /** Sets `line` → `target`; refuses unknown targets, self-forwarding and loops. */
  set(line: string, target: string): ForwardResult {
    if (!this.known(target)) return { ok: false, reason: 'Unknown number' };
    if (target === line) return { ok: false, reason: 'Forward loop' };
    const seen = new Set<string>([line]);
    for (let n: string | undefined = target; n !== undefined; n = this.map.get(n)) {
      if (seen.has(n)) return { ok: false, reason: 'Forward loop' };
      seen.add(n);
    }
    this.map.set(line, target);
    return { ok: true };
  }

  clear(line: string): boolean { return this.map.delete(line); }

  /** Where a call to `number` ends up after following forwards (loops cannot exist: `set` refuses them). */
  resolve(number: string): string {
    const seen = new Set<string>();
    let n = number;
    while (this.map.has(n) && !seen.has(n)) { seen.add(n); n = this.map.get(n)!; }
    return n;
  }
}
