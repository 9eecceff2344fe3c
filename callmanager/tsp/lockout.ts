/**
 * Per-address login lockout with exponential backoff (docs/security.md §TSP): after `after` failed
 * logins from one address, further logins from it are refused unread for `firstMs`, doubling per
 * further failure up to `maxMs`. A success clears the address. The table is bounded: at most
 * `maxAddresses` entries, the oldest dropped first, and entries idle for longer than `maxMs` past
 * their lockout are forgotten, so a sweep of source addresses cannot grow it without limit.
 */
import type { Clock } from '../../hal/api/clock.js';

interface Entry { failures: number; until: number; last: number }

export interface LoginLockoutOptions { after: number; firstMs: number; maxMs: number; maxAddresses?: number }

export class LoginLockout {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAddresses: number;

  constructor(private readonly clock: Clock, private readonly o: LoginLockoutOptions) {
    this.maxAddresses = o.maxAddresses ?? 4096;
  }

  get size(): number { return this.entries.size; }

  /** Milliseconds until `address` may try again (0 = now). */
  remainingMs(address: string): number {
    const e = this.entries.get(address);
    if (!e) return 0;
    const now = this.clock.now();
    if (now - Math.max(e.until, e.last) > this.o.maxMs) { this.entries.delete(address); return 0; }
    return Math.max(0, e.until - now);
  }

  failed(address: string): void {
    const now = this.clock.now();
    const e = this.entries.get(address) ?? { failures: 0, until: 0, last: now };
    e.failures++;
    e.last = now;
    if (e.failures >= this.o.after) {
      const ms = Math.min(this.o.firstMs * 2 ** (e.failures - this.o.after), this.o.maxMs);
      e.until = now + ms;
    }
    this.entries.delete(address);            // re-insert: Map order = least recently failed first
    this.entries.set(address, e);
    while (this.entries.size > this.maxAddresses) this.entries.delete(this.entries.keys().next().value as string);
  }

  succeeded(address: string): void { this.entries.delete(address); }

  clear(): void { this.entries.clear(); }
}
