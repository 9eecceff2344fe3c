/**
 * How often the CM answers SSCP senders it has not accepted (docs/security.md §5): at most one
 * datagram per source address:port per `perAddressMs`, and at most `perSecond` in total (a token bucket), so a
 * spoofed source cannot turn the CM into a reflector. The per-address table is bounded
 * (`maxAddresses`, oldest first) and entries expire after `perAddressMs`.
 */
import type { Clock } from '../../hal/api/clock.js';

export interface ReplyLimitOptions { perAddressMs?: number; perSecond?: number; maxAddresses?: number }

export class ReplyLimit {
  private readonly last = new Map<string, number>();
  private tokens: number;
  private refilled: number;
  private readonly perAddressMs: number;
  private readonly perSecond: number;
  private readonly maxAddresses: number;
  suppressed = 0;

  constructor(private readonly clock: Clock, o: ReplyLimitOptions = {}) {
    this.perAddressMs = o.perAddressMs ?? 10_000;
    this.perSecond = o.perSecond ?? 20;
    this.maxAddresses = o.maxAddresses ?? 1024;
    this.tokens = this.perSecond;
    this.refilled = clock.now();
  }

  get tracked(): number { return this.last.size; }

  /** True when an answer to `address` may go out now (and counts it). */
  allow(address: string): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.refilled) / 1000) * this.perSecond);
    this.refilled = now;
    const prev = this.last.get(address);
    if ((prev !== undefined && now - prev < this.perAddressMs) || this.tokens < 1) { this.suppressed++; return false; }
    this.tokens--;
    this.last.delete(address);
    this.last.set(address, now);
    for (const [a, t] of this.last) {            // oldest first: drop expired and overflow
      if (this.last.size <= this.maxAddresses && now - t < this.perAddressMs) break;
      this.last.delete(a);
    }
    return true;
  }
}
