/**
 * Child process for jitter-buffer.test.ts: measures bytes allocated per put+pull (20 ms packet)
 * of an AdaptiveJitterBuffer with PLC, and prints JSON. Time comes from a bare now() source
 * because the meter is synchronous (VirtualClock.advance() is async).
 */
import { PCMU } from '../../../firmware/media/codecs.js';
import { AdaptiveJitterBuffer } from '../../../firmware/media/jitter-buffer.js';
import { bytesPerCall } from '../../support/alloc.js';
import { tone } from '../../support/signals.js';

let nowMs = 0;
const clock = { now: () => nowMs, wallTime: () => new Date(0), setTimeout: () => ({ id: 0 }), clearTimeout: () => {},
  setInterval: () => ({ id: 0 }), clearInterval: () => {}, sleep: () => Promise.resolve() };
const p = new Uint8Array(160);
PCMU.encode(tone(160, 8000, 1000, 8000), 0, 160, p, 0);
const out = new Int16Array(160);

function measure(lossEvery: number): number {
  const jb = new AdaptiveJitterBuffer({ clock });
  let i = 0;
  return bytesPerCall(() => {
    if (lossEvery === 0 || i % lossEvery !== 3) jb.putRtp(i & 0xffff, (i * 160) >>> 0, 5, false, p, 0, 160);
    nowMs += 20;
    jb.pull(PCMU, out);
    i++;
  });
}

const steady = measure(0);
const lossy = measure(8);
let sink: Int16Array | undefined;
const leaky = bytesPerCall(() => { sink = new Int16Array(8); });
process.stdout.write(JSON.stringify({ steady, lossy, leaky, sink: sink?.length }));
