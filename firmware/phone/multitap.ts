/**
 * Keypad letter entry as on a Cisco 7960 directory search (docs/features.md §4 "Directories"):
 * each digit key carries letters (2=ABC ... 9=WXYZ, 0=space); pressing the same key again within
 * the timeout moves to its next character (after the letters comes the digit itself, then the
 * first letter again); another key, the timeout or an explicit commit keeps the shown character.
 * Timing goes through the injected Clock.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';

/** Characters under each key, in cycle order (ITU E.161 letter groups; 0 = space, then the digit). */
export const MULTITAP_KEYS: Readonly<Record<string, string>> = {
  '1': '1', '2': 'ABC2', '3': 'DEF3', '4': 'GHI4', '5': 'JKL5', '6': 'MNO6',
  '7': 'PQRS7', '8': 'TUV8', '9': 'WXYZ9', '0': ' 0',
};

/** A second press of the same key within this many ms cycles to its next character. */
export const MULTITAP_TIMEOUT_MS = 1000;

export class MultiTap {
  private committed = '';
  private pending: { key: string; index: number; timer: TimerHandle } | undefined;

  constructor(
    private readonly clock: Clock,
    /** Called when the text changes by itself (the timeout committed a character). */
    private readonly changed: () => void = () => {},
    private readonly maxLength = 24,
    private readonly timeoutMs = MULTITAP_TIMEOUT_MS,
  ) {}

  /** The text as shown: committed characters plus the one still cycling. */
  get text(): string {
    const p = this.pending;
    return p ? this.committed + (MULTITAP_KEYS[p.key]?.[p.index] ?? '') : this.committed;
  }

  /** True while a character is still cycling (a same-key press would change it). */
  get cycling(): boolean { return this.pending !== undefined; }

  /** One keypad key; false when the key has no characters ('*', '#', 'A'-'D') or the text is full. */
  press(key: string): boolean {
    const chars = MULTITAP_KEYS[key];
    if (!chars) return false;
    const p = this.pending;
    if (p && p.key === key) {
      p.index = (p.index + 1) % chars.length;
      this.restartTimer(p);
      return true;
    }
    this.commit();
    if (this.committed.length >= this.maxLength) return false;
    this.pending = { key, index: 0, timer: this.clock.setTimeout(() => this.expire(), this.timeoutMs) };
    return true;
  }

  /** Keeps the cycling character (another key, Search). */
  commit(): void {
    const p = this.pending;
    if (!p) return;
    this.clock.clearTimeout(p.timer);
    this.pending = undefined;
    this.committed += MULTITAP_KEYS[p.key]?.[p.index] ?? '';
  }

  /** Removes the cycling character, else the last committed one. */
  backspace(): void {
    if (this.pending) {
      this.clock.clearTimeout(this.pending.timer);
      this.pending = undefined;
      return;
    }
    this.committed = this.committed.slice(0, -1);
  }

  /** Stops the timer (the screen closed); the text stays as shown. */
  stop(): void { this.commit(); }

  private restartTimer(p: { timer: TimerHandle }): void {
    this.clock.clearTimeout(p.timer);
    p.timer = this.clock.setTimeout(() => this.expire(), this.timeoutMs);
  }

  private expire(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.committed += MULTITAP_KEYS[p.key]?.[p.index] ?? '';
    this.changed();
  }
}
