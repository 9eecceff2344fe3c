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

/** A file parseWav cannot read: `reason` says what is wrong in a few words, the message names the file and a fix. */
export class WavFormatError extends Error {
  constructor(readonly reason: string, where: string, hint: string) {
    super(`wav: ${where}: ${reason} (hint: ${hint})`);
    this.name = 'WavFormatError';
  }
}

export interface WavPcm {
  sampleRate: number;
  samples: Int16Array;
  /** The data chunk is shorter than its header says (a file cut off while being written): the samples present. */
  truncated: boolean;
}

/**
 * Reads a 16-bit mono PCM WAV (RIFF/WAVE, WAVE_FORMAT_PCM = 1 or WAVE_FORMAT_EXTENSIBLE with the
 * PCM sub-format). Chunks other than "fmt " and "data" (LIST, fact, ...) are skipped; RIFF pads
 * odd-sized chunks to an even length. `where` names the file in errors. A data chunk shorter than
 * its header says gives the samples present with `truncated: true`.
 */
export function parseWav(b: Uint8Array, where = '<wav>'): WavPcm {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const fail = (what: string, hint = 'convert it with: sox in.wav -r 8000 -c 1 -b 16 -e signed out.wav'): never => {
    throw new WavFormatError(what, where, hint);
  };
  if (buf.length === 0) fail('empty file', 'the file holds no bytes');
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    fail('not a RIFF/WAVE file', 'a WAV file starts with "RIFF....WAVE"');
  }
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) fail(`"fmt " chunk of ${size} bytes at offset ${off} is too short`);
      let format = buf.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE (0xFFFE): the sub-format GUID's first two bytes carry the format code.
      if (format === 0xfffe && size >= 40 && body + 26 <= buf.length) format = buf.readUInt16LE(body + 24);
      fmt = { format, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) fail(`"data" chunk at offset ${off} before any "fmt " chunk`);
      const f = fmt!;
      if (f.format !== 1) fail(`format code ${f.format}, only PCM (1) is read`);
      if (f.channels !== 1) fail(`${f.channels} channels, only mono is read`);
      if (f.bits !== 16) fail(`${f.bits}-bit samples, only 16-bit is read`);
      const have = Math.min(size, buf.length - body) & ~1;
      const samples = new Int16Array(have / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + 2 * i);
      return { sampleRate: f.rate, samples, truncated: have < size };
    }
    off = body + size + (size & 1);
  }
  return fail(fmt ? 'no "data" chunk' : 'no "fmt " chunk');
}
