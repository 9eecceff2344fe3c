/**
 * Mailboxes of the CM's voicemail (docs/features.md §4 "Messages", §6 "Voicemail key + MWI lamp"):
 * per line number, the recorded messages (8 kHz 16-bit PCM), each new until heard. With a
 * directory configured each message is also a WAV file there, written crash-safely, and indexed
 * in the CM's database with its new/heard state (callmanager/store/voicemail-index.ts,
 * docs/state.md §2); messages found there at start (`loaded`) are the mailboxes' contents.
 *
 * Disk work runs in the background in one queue, in order; `idle()` resolves when it is done and
 * `VoiceMessage.saved` when a message's audio and row are both durable.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { wavFile } from '../../firmware/media/wav.js';
import { writeFileDurably } from '../../lib/fs/durable-file.js';
import type { CmStore } from '../store/database.js';
import { deleteVoicemailFile, voicemailFileName, type StoredMessage } from '../store/voicemail-index.js';
import type { Logger } from '../log.js';

export interface VoiceMessage {
  id: number; from: string; at: Date; samples: Int16Array; sampleRate: number; isNew: boolean;
  /** Path of the WAV file, when the store has a directory. */
  file?: string;
  /** Resolves when the audio and its index row are on disk (rejects never: failures are logged). */
  saved?: Promise<void>;
}

let nextId = 1;

export class VoicemailStore {
  private readonly boxes = new Map<string, VoiceMessage[]>();
  /** Database row id of each message that has one. */
  private readonly rows = new Map<VoiceMessage, number>();
  private queue: Promise<void> = Promise.resolve();
  /** Called with the mailbox whenever its count of new messages may have changed. */
  onChange: (mailbox: string) => void = () => {};

  constructor(private readonly dir: string | undefined, private readonly log: Logger,
    private readonly index?: CmStore, loaded: readonly StoredMessage[] = []) {
    for (const s of loaded) {
      const m: VoiceMessage = { id: nextId++, from: s.row.caller, at: new Date(s.row.at), samples: s.samples, sampleRate: s.row.sampleRate,
        isNew: !s.row.heard, ...(dir ? { file: join(dir, s.row.file) } : {}) };
      this.boxOf(s.row.mailbox).push(m);
      this.rows.set(m, s.row.id);
    }
  }

  messages(mailbox: string): readonly VoiceMessage[] { return this.boxes.get(mailbox) ?? []; }
  newCount(mailbox: string): number { return this.messages(mailbox).filter((m) => m.isNew).length; }
  /** Mailboxes holding messages. */
  mailboxes(): string[] { return [...this.boxes.keys()].filter((b) => this.messages(b).length > 0); }

  add(mailbox: string, from: string, samples: Int16Array, sampleRate: number, at: Date): VoiceMessage {
    const m: VoiceMessage = { id: nextId++, from, at, samples, sampleRate, isNew: true };
    this.boxOf(mailbox).push(m);
    if (this.dir) {
      const name = voicemailFileName(mailbox, at, randomBytes(4).toString('hex'));
      const file = join(this.dir, name);
      m.file = file;
      // The audio first, then its row: a crash between the two leaves a file that start-up adopts.
      m.saved = this.later(`cannot store ${file}`, async () => {
        await writeFileDurably(file, wavFile(samples, sampleRate));
        if (!this.index) return;
        const id = this.index.addVoicemail({ mailbox, caller: from, at: at.getTime(), file: name, samples: samples.length, sampleRate, heard: !m.isNew });
        this.rows.set(m, id);
      });
    }
    this.onChange(mailbox);
    return m;
  }

  markHeard(mailbox: string, m: VoiceMessage): void {
    if (!m.isNew) return;
    m.isNew = false;
    if (this.index) void this.later(`cannot mark message ${m.file ?? m.id} heard`, async () => { const id = this.rows.get(m); if (id !== undefined) this.index!.markHeard(id); });
    this.onChange(mailbox);
  }

  delete(mailbox: string, m: VoiceMessage): void {
    const box = this.boxes.get(mailbox);
    const i = box?.indexOf(m) ?? -1;
    if (!box || i < 0) return;
    box.splice(i, 1);
    const dir = this.dir;
    if (dir && m.file) {
      // The file first, then the row: a crash between the two leaves a row that start-up drops.
      void this.later(`cannot delete ${m.file}`, async () => {
        await deleteVoicemailFile(dir, m.file!.slice(dir.length + 1));
        const id = this.rows.get(m);
        if (id !== undefined) this.index?.deleteVoicemail(id);
        this.rows.delete(m);
      });
    }
    this.onChange(mailbox);
  }

  /** Resolves when every queued disk operation has finished. */
  idle(): Promise<void> { return this.queue; }

  private boxOf(mailbox: string): VoiceMessage[] {
    let box = this.boxes.get(mailbox);
    if (!box) { box = []; this.boxes.set(mailbox, box); }
    return box;
  }

  private later(what: string, fn: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(fn).catch((e: Error) => this.log.warn(`voicemail: ${what}: ${e.message}`));
    return this.queue;
  }
}
