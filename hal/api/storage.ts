/**
 * Durable storage for the phone's own state (call history, redial, the last call manager): a few
 * small named records, each replaced whole. The firmware decides what goes in a record and checks
 * what comes back; the store keeps records across restarts and power loss (docs/state.md).
 * Implementations: a directory of crash-safely written files (src/node/file-state-store.ts) and
 * memory (hal/emul/memory-state-store.ts).
 */

/** One stored copy of a record: its text, or why it could not be read. */
export interface StoredCopy {
  /** Where this copy lives, for messages ("/var/lib/deskphone/phone.json", "memory:phone"). */
  readonly where: string;
  readonly text?: string;
  readonly error?: string;
}

export interface StateStore {
  /** Where the records live, for messages ("/var/lib/deskphone", "memory"). */
  readonly location: string;
  /**
   * The copies of record `key`, newest first: the current one, then the previous good one where
   * the store keeps it. Empty when the record was never written.
   */
  read(key: string): Promise<StoredCopy[]>;
  /** Replaces record `key`; resolves once it is durable (a crash after this keeps `text`). */
  write(key: string, text: string): Promise<void>;
}
