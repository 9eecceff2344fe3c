/** 16-bit mono PCM WAV files (voicemail messages, recordings). */

/** RIFF/WAVE with a 16-byte PCM fmt chunk (Microsoft RIFF spec, WAVE_FORMAT_PCM = 1). */
export function wavFile(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const b = Buffer.alloc(44 + dataBytes);   // 44 = RIFF(12) + fmt chunk(8 + 16) + data header(8)
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVE', 8, 'latin1');
  b.write('fmt ', 12, 'latin1');
  b.writeUInt32LE(16, 16);                  // fmt chunk size
  b.writeUInt16LE(1, 20);                   // WAVE_FORMAT_PCM
  b.writeUInt16LE(1, 22);                   // channels
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);      // byte rate
  b.writeUInt16LE(2, 32);                   // block align
  b.writeUInt16LE(16, 34);                  // bits per sample
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 44 + i * 2);
  return b;
}

export interface ParsedWav { samples: Int16Array; sampleRate: number; truncated: boolean }

/**
 * Reads a 16-bit mono PCM WAV as wavFile writes it (RIFF/WAVE, fmt then data chunk, other chunks
 * skipped). Returns what is wrong as a string for anything else. A data chunk shorter than its
 * header says (a file cut off while being written) gives the samples present, `truncated: true`.
 */
export function parseWav(b: Uint8Array): ParsedWav | string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length === 0) return 'empty file';
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') return 'not a RIFF/WAVE file';
  let off = 12;
  let rate: number | undefined;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) return 'fmt chunk cut short';
      if (buf.readUInt16LE(body) !== 1 || buf.readUInt16LE(body + 2) !== 1 || buf.readUInt16LE(body + 14) !== 16) {
        return 'not 16-bit mono PCM (WAVE_FORMAT_PCM = 1, 1 channel, 16 bits)';
      }
      rate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (rate === undefined) return 'data chunk before the fmt chunk';
      const have = Math.min(size, buf.length - body) & ~1;
      const samples = new Int16Array(have / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + i * 2);
      return { samples, sampleRate: rate, truncated: have < size };
    }
    off = body + size + (size & 1); // chunks are padded to an even size (RIFF spec)
  }
  return 'no data chunk';
}
