/**
 * ConferenceBridge over real loopback UDP with real phone media engines (VirtualClock): each
 * participant hears the sum of the others and not itself (N−1), across G.711 µ-law / A-law and
 * G.722, through joins, leaves and rejoins, and the participant limit holds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { ConferenceBridge, ConferenceFullError } from '../../../callmanager/media/conference.js';
import type { LegCodecName } from '../../../callmanager/media/leg.js';
import { type TestPhone, describe, joinPhone, run } from './phones.js';

/** A tone from another participant, −10 dBFS at its microphone, must arrive within 6 dB. */
const HEARD_DBFS = -16;
/** Own tone: nothing of it comes back (only codec noise, far below −45 dBFS). */
const ABSENT_DBFS = -45;

function assertHears(p: TestPhone, others: readonly TestPhone[], extraAbsent: readonly number[] = []): void {
  const freqs = [p.freq, ...others.map((o) => o.freq), ...extraAbsent];
  const lv = p.levels(freqs);
  for (const o of others) assert.ok(lv[o.freq]! >= HEARD_DBFS, `does not hear ${o.freq} Hz: ${describe(p, lv)}`);
  for (const f of [p.freq, ...extraAbsent]) assert.ok(lv[f]! <= ABSENT_DBFS, `hears ${f} Hz: ${describe(p, lv)}`);
}

/** A bridge on a fresh VirtualClock with one phone per [tone, codec], joined in order. */
async function conference(specs: ReadonlyArray<readonly [number, LegCodecName]>): Promise<{ clock: VirtualClock; bridge: ConferenceBridge; phones: TestPhone[] }> {
  const clock = new VirtualClock();
  const bridge = new ConferenceBridge({ clock });
  const phones: TestPhone[] = [];
  for (const [freq, codec] of specs) phones.push(await joinPhone(clock, bridge, freq, codec));
  return { clock, bridge, phones };
}

async function close(bridge: ConferenceBridge, phones: TestPhone[]): Promise<void> {
  await bridge.close();
  for (const p of phones) await p.engine.close();
}

test('three µ-law participants (400, 700, 1100 Hz): each hears the other two and not itself', async () => {
  const { clock, bridge, phones } = await conference([[400, 'ulaw'], [700, 'ulaw'], [1100, 'ulaw']]);
  try {
    await run(clock, 2000);
    assert.equal(bridge.mixRate, 8000);
    for (const p of phones) assertHears(p, phones.filter((o) => o !== p));
    for (const p of phones) {
      const st = bridge.stats(p.id);
      assert.ok(st.packetsReceived >= 90 && st.packetsSent >= 90, `participant ${p.id}: ${JSON.stringify(st)}`);
      assert.equal(st.malformed + st.unexpectedSource + st.wrongPayloadType, 0, JSON.stringify(st));
    }
    assert.equal(bridge.counters.clipped, 0);
  } finally { await close(bridge, phones); }
});

test('mixed codecs: G.722 (16 kHz) with µ-law and A-law participants, mixed at 16 kHz and transcoded', async () => {
  const { clock, bridge, phones } = await conference([[1100, 'g722'], [400, 'ulaw'], [700, 'alaw']]);
  const [wide, mu, a] = phones as [TestPhone, TestPhone, TestPhone];
  try {
    assert.equal(bridge.mixRate, 16000);
    await run(clock, 2000);
    for (const p of phones) assertHears(p, phones.filter((o) => o !== p));
    // With the G.722 participant gone the bridge mixes at 8 kHz again and the others go on.
    await wide.leave();
    assert.equal(bridge.mixRate, 8000);
    await run(clock, 1500);
    assertHears(mu, [a], [1100]);
    assertHears(a, [mu], [1100]);
  } finally { await close(bridge, phones); }
});

test('wideband stays wideband between G.722 participants; narrowband ones get it band-limited, not aliased', async () => {
  // 6 kHz exists only in the 16 kHz mix: at 8 kHz it would alias to 8000 − 6000 = 2000 Hz.
  const { clock, bridge, phones } = await conference([[6000, 'g722'], [500, 'g722'], [700, 'ulaw']]);
  const [w1, w2, n] = phones as [TestPhone, TestPhone, TestPhone];
  try {
    await run(clock, 2000);
    assertHears(w2, [w1, n]);
    assertHears(w1, [w2, n]);
    assertHears(n, [w2], [2000]);
  } finally { await close(bridge, phones); }
});

test('leave and rejoin: the others keep their mix; the one who left gets nothing; a rejoin (30 ms packets) is heard again', async () => {
  const { clock, bridge, phones } = await conference([[400, 'ulaw'], [700, 'ulaw'], [1100, 'ulaw']]);
  const [a, b, c] = phones as [TestPhone, TestPhone, TestPhone];
  try {
    await run(clock, 1500);
    assertHears(b, [a, c]);
    await bridge.remove(b.id);
    assert.equal(bridge.size, 2);
    await run(clock, 200);
    const before = b.engine.stats(1)!.packetsReceived;
    await run(clock, 1500);
    assert.equal(b.engine.stats(1)!.packetsReceived, before, 'the bridge still sends to a participant that left');
    assertHears(a, [c], [700]);
    assertHears(c, [a], [700]);
    await b.engine.close();
    const b2 = await joinPhone(clock, bridge, 700, 'ulaw', 30);
    phones.push(b2);
    await run(clock, 1500);
    for (const p of [a, b2, c]) assertHears(p, [a, b2, c].filter((o) => o !== p));
    assert.equal(bridge.stats(b2.id).ptimeMs, 30);
  } finally { await close(bridge, phones); }
});

test('maxParticipants is enforced with a clear error, also for joins in flight; a place freed can be taken', async () => {
  const clock = new VirtualClock();
  const bridge = new ConferenceBridge({ clock, maxParticipants: 3, name: 'meetme 800' });
  try {
    const joins = await Promise.allSettled([1, 2, 3, 4].map(() => bridge.addParticipant({ codec: 'ulaw' })));
    const ok = joins.filter((j) => j.status === 'fulfilled');
    const bad = joins.filter((j): j is PromiseRejectedResult => j.status === 'rejected');
    assert.equal(ok.length, 3);
    assert.equal(bad.length, 1);
    assert.ok(bad[0]!.reason instanceof ConferenceFullError);
    assert.match((bad[0]!.reason as Error).message, /meetme 800: addParticipant: the conference is full \(3 of maxParticipants 3\).*hint: raise conference\.maxParticipants/);
    await assert.rejects(bridge.addParticipant({ codec: 'g722' }), ConferenceFullError);
    const first = (ok[0] as PromiseFulfilledResult<{ id: number }>).value.id;
    await bridge.remove(first);
    const again = await bridge.addParticipant({ codec: 'alaw', remote: { ip: '127.0.0.1', port: 40000 } });
    assert.ok(again.localPort > 0 && again.localPort % 2 === 0, `even RTP port (RFC 3550 §11): ${again.localPort}`);
    assert.equal(bridge.size, 3);
    assert.throws(() => bridge.setRemote(999, '127.0.0.1', 4000), /no participant 999/);
    assert.throws(() => bridge.setRemote(again.id, 'not-an-ip', 4000), /bad remote endpoint/);
    await assert.rejects(bridge.addParticipant({ codec: 'ulaw', ptimeMs: 25 }), /packet time 25 ms is not supported/);
  } finally { await bridge.close(); }
  await assert.rejects(bridge.addParticipant({ codec: 'ulaw' }), /closed/);
});
