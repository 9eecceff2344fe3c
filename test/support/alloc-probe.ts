/**
 * Child process for conference-alloc.test.ts: bytes allocated per mixed packet in steady state
 * (heapUsed growth over GC-free batches, test/support/alloc.ts), for the conference bridge's
 * whole per-tick path (RTP in → jitter buffer → decode → resample → N−1 mix → resample → encode
 * → RTP out, the bench rig of scripts/bench-conference.ts) and for music on hold. Prints JSON.
 */
import { MediaLeg, legCodec } from '../../callmanager/media/leg.js';
import { MusicOnHold } from '../../callmanager/media/moh.js';
import { conferenceRig } from '../../scripts/bench-conference.js';
import { bytesPerCall } from './alloc.js';

/**
 * The lower of two measurements: a function deoptimised mid-run allocates while V8 re-optimises it
 * (tier-up, seen in one run under load, not the next); a per-packet allocation shows in both.
 */
const steady = (fn: () => void): number => Math.min(bytesPerCall(fn), bytesPerCall(fn));

function perPacket(codecs: Parameters<typeof conferenceRig>[0]): { bytes: number; sent: number } {
  const rig = conferenceRig(codecs);
  for (let i = 0; i < 100; i++) rig.tick();
  const before = rig.sent();
  const b = steady(() => { rig.tick(); });
  return { bytes: b / codecs.length, sent: rig.sent() - before };
}

const clock = { now: () => 0, wallTime: () => new Date(0), setTimeout: () => ({ id: 0 }), clearTimeout: () => {},
  setInterval: () => ({ id: 0 }), clearInterval: () => {}, sleep: () => Promise.resolve() };
let mohSent = 0;
const socket = { send: (): void => { mohSent++; }, getSendQueueCount: (): number => 0 };
const moh = new MusicOnHold({ clock });
for (const [i, name] of (['ulaw', 'g722', 'alaw'] as const).entries()) {
  const leg = new MediaLeg({ clock, codec: legCodec(name), ptimeMs: 20, socket, rtcpSend: () => {}, receive: false, cname: 'probe', name: `moh ${i}` });
  leg.setRemote('127.0.0.1', 30000 + 2 * i);
  moh.attach(leg);
}
const mohBytes = steady(() => moh.tick()) / 3;
let sink: Int16Array | undefined;
const leaky = bytesPerCall(() => { sink = new Int16Array(8); });
process.stdout.write(JSON.stringify({
  ulaw3: perPacket(['ulaw', 'ulaw', 'ulaw']),
  ulaw6: perPacket(['ulaw', 'ulaw', 'ulaw', 'ulaw', 'ulaw', 'ulaw']),
  mixed6: perPacket(['g722', 'g722', 'ulaw', 'ulaw', 'alaw', 'alaw']),
  moh: { bytes: mohBytes, sent: mohSent }, leaky, sink: sink?.length,
}));
