/**
 * A StateStore in memory (hal/api/storage.ts): what an emulated phone without a state directory
 * uses. Records survive a restart of the phone application on the same store object, not the
 * process. `corrupt` lets tests plant a damaged current copy above the previous good one.
 */
import type { StateStore, StoredCopy } from '../api/storage.js';

export class MemoryStateStore implements StateStore {
  readonly location = 'memory';
  private readonly records = new Map<string, string[]>();
  /** Number of write() calls per key (tests check write coalescing). */
  readonly writes = new Map<string, number>();

  async read(key: string): Promise<StoredCopy[]> {
    return (this.records.get(key) ?? []).map((text) => ({ where: `memory:${key}`, text }));
  }

  async write(key: string, text: string): Promise<void> {
    const prev = this.records.get(key)?.[0];
    this.records.set(key, prev === undefined ? [text] : [text, prev]);
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }

  /** Makes `text` the current copy of `key` without counting a write (a damaged file, in tests). */
  corrupt(key: string, text: string): void {
    const cur = this.records.get(key) ?? [];
    this.records.set(key, [text, ...cur.slice(0, 1)]);
  }
}
