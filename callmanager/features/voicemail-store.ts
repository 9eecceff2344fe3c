/**
 * Mailboxes of the CM's voicemail (docs/features.md §4 "Messages", §6 "Voicemail key + MWI lamp"):
 * per line number, the recorded messages (8 kHz 16-bit PCM), each new until heard. With a
 * directory configured each message is also written as a WAV file (and removed on delete).
 */
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wavFile } from '../../firmware/media/wav.js';
import type { Logger } from '../log.js';

export interface VoiceMessage { id: number; from: string; at: Date; samples: Int16Array; sampleRate: number; isNew: boolean; file?: string }

let nextId = 1;

export class VoicemailStore {
  private readonly boxes = new Map<string, VoiceMessage[]>();
  /** Called with the mailbox whenever its count of new messages may have changed. */
  onChange: (mailbox: string) => void = () => {};

  constructor(private readonly dir: string | undefined, private readonly log: Logger) {}

  messages(mailbox: string): readonly VoiceMessage[] { return this.boxes.get(mailbox) ?? []; }
  newCount(mailbox: string): number { return this.messages(mailbox).filter((m) => m.isNew).length; }

  add(mailbox: string, from: string, samples: Int16Array, sampleRate: number, at: Date): VoiceMessage {
    const m: VoiceMessage = { id: nextId++, from, at, samples, sampleRate, isNew: true };
    const box = this.boxes.get(mailbox) ?? [];
    box.push(m);
    this.boxes.set(mailbox, box);
    if (this.dir) {
      const dir = this.dir;
      m.file = join(dir, `${mailbox}-${at.toISOString().replace(/[:.]/g, '-')}-${m.id}.wav`);
      mkdir(dir, { recursive: true }).then(() => writeFile(m.file!, wavFile(samples, sampleRate)))
        .catch((e: Error) => this.log.warn(`voicemail: cannot write ${m.file}: ${e.message}`));
    }
    this.onChange(mailbox);
    return m;
  }

  markHeard(mailbox: string, m: VoiceMessage): void {
    if (!m.isNew) return;
    m.isNew = false;
    this.onChange(mailbox);
  }

  delete(mailbox: string, m: VoiceMessage): void {
    const box = this.boxes.get(mailbox);
    const i = box?.indexOf(m) ?? -1;
    if (!box || i < 0) return;
    box.splice(i, 1);
    if (m.file) unlink(m.file).catch((e: Error) => this.log.warn(`voicemail: cannot delete ${m.file}: ${e.message}`));
    this.onChange(mailbox);
  }
}
