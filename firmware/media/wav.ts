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
