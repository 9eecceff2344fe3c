/**
 * Random words for RTP's initial sequence number, timestamp and SSRC (RFC 3550 §5.1 and §8.1: they
 * should be random and unpredictable, so an off-path host cannot guess them), read from the
 * kernel's random source, /dev/urandom (Linux random(4); the same file on the BSDs and macOS).
 *
 * Why not node:crypto's randomFillSync: loading node:crypto starts OpenSSL in the phone process,
 * ~1 MB of resident memory and a few ms of start-up for three numbers per call
 * (docs/media.md, "Memory: what an idle phone holds"). A host without /dev/urandom (Windows) takes
 * Web Crypto's getRandomValues, which is the same OpenSSL source.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Where the words come from (tests point it at a file they wrote). */
export const KERNEL_RANDOM = '/dev/urandom';

/** Fills `words` with random bits; throws an Error naming the source when it cannot be read. */
export function fillRandom(words: Uint32Array, source = KERNEL_RANDOM): void {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  let fd: number;
  try { fd = openSync(source, 'r'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && source === KERNEL_RANDOM && globalThis.crypto?.getRandomValues) {
      globalThis.crypto.getRandomValues(words);
      return;
    }
    throw new Error(`media: random numbers: cannot open ${source}: ${(e as Error).message} (hint: RTP needs the kernel's random source)`);
  }
  try {
    let got = 0;
    while (got < bytes.length) {                     // random(4): reads of ≤ 256 bytes from urandom are not interrupted; loop anyway
      const n = readSync(fd, bytes, got, bytes.length - got, null);
      if (n === 0) throw new Error(`media: random numbers: ${source} ended after ${got} of ${bytes.length} bytes (hint: it should be a character device)`);
      got += n;
    }
  } finally { closeSync(fd); }
}
