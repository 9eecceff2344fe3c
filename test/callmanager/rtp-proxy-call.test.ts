/**
 * A real call through the call manager's RTP proxy: phone A's RTP on ::1 (SCCP v17, ipv4or6
 * addresses, docs/sccp.md §1), phone B's on 127.0.0.1 (v11). Each phone is the real SCCP
 * station + RTP media engine with a tone microphone; each must hear the other's tone, and the
 * proxy's counters must show RTP both ways. A second call with `media: proxy` on an IPv4-only
 * pair goes through the proxy too; without it media stays phone to phone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { detectTones } from '../../firmware/media/tone-detect.js';
import { RecordingSpeaker } from '../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../firmware/media/emulated-audio.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import { SccpStation } from '../../firmware/sccp/station.js';
import type { SignallingEvent } from '../../firmware/station/signalling.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';

const A = 'SEP0000000A0100';
const B = 'SEP0000000B0101';
const config = (mediaB: 'direct' | 'proxy') => parseCallManagerConfig(`
server: { maxProtocolVersion: 17, keepalive: 30 }
lines: [{ number: "100", name: Alice }, { number: "101", name: Bob }]
devices:
  - { name: ${A}, lines: ["100"] }
  - { name: ${B}, lines: ["101"], media: ${mediaB} }
`, 'rtp-proxy-test.yaml');

const clock = new SystemClock();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Phone { station: SccpStation; media: RtpMediaEngine; ear: RecordingSpeaker; events: SignallingEvent[]; close(): Promise<void> }

async function phone(cm: CallManagerHandle, device: string, freq: number, bind: string, protocolVersion: number): Promise<Phone> {
  const ear = new RecordingSpeaker({ seconds: 3, name: `${device}-ear` });
  const microphone = new ToneMicrophone({ clock, freq, name: `${device}-mic` });
  const media = new RtpMediaEngine({ clock, microphone, speaker: ear, bindAddress: bind });
  const station = new SccpStation({ deviceName: device, servers: [{ host: '127.0.0.1', port: cm.port }], clock, media,
    protocolVersion, localAddress: '127.0.0.1' });
  const events: SignallingEvent[] = [];
  station.onEvent((e) => events.push(e));
  await station.start();
  await until(`${device} registered`, () => station.state === 'registered');
  return { station, media, ear, events, async close() { await station.stop(); await media.close(); } };
}

const connected = (p: Phone) => p.events.some((e) => e.type === 'callState' && e.state === 'connected');
/** Peak level (dBFS) of `freq` in the last 400 ms a phone's earpiece played. */
const hears = (p: Phone, freq: number) => detectTones(p.ear.recent(400), 8000, [freq])[0]!.dbfs;

async function call(cm: CallManagerHandle, a: Phone, b: Phone): Promise<void> {
  a.station.offHook(1);
  a.station.dial('101');
  await until('B rings', () => b.events.some((e) => e.type === 'callState' && e.state === 'ringin'));
  b.station.offHook(1);
  await until('both connected', () => connected(a) && connected(b));
  await until('media both ways', () => a.media.activeStreams().length > 0 && b.media.activeStreams().length > 0);
  await sleep(700); // jitter-buffer prefill + 400 ms of tone
}

test('IPv6 phone ↔ IPv4 phone: media through the RTP proxy, each hears the other', { timeout: 20_000 }, async () => {
  const cm = await startCallManager({ config: config('direct'), host: '127.0.0.1', port: 0, clock });
  const a = await phone(cm, A, 1000, '::1', 17);
  const b = await phone(cm, B, 1500, '127.0.0.1', 11);
  try {
    await call(cm, a, b);
    const s = cm.rtpProxy.sessions();
    assert.equal(s.length, 1, 'one proxied call');
    const st = s[0]!;
    assert.deepEqual(st.legs.map((l) => [l.device, l.local.ip]), [[A, '::1'], [B, '127.0.0.1']]);
    assert.equal(st.legs[0].remote.ip, '::1');
    // A's StartMediaTransmission named the proxy's ::1 socket, B's the proxy's 127.0.0.1 socket.
    assert.ok(st.rtp.aToB.packets > 10 && st.rtp.bToA.packets > 10, `RTP both ways: ${JSON.stringify(st.rtp)}`);
    assert.equal(st.rtp.aToB.dropped + st.rtp.bToA.dropped, 0);
    assert.ok(hears(b, 1000) > -30, `B hears A's 1000 Hz: ${hears(b, 1000).toFixed(1)} dBFS`);
    assert.ok(hears(a, 1500) > -30, `A hears B's 1500 Hz: ${hears(a, 1500).toFixed(1)} dBFS`);
    assert.ok(hears(a, 1000) < -40, 'A does not hear itself');

    a.station.onHook();
    await until('proxy session closed at hang-up', () => cm.rtpProxy.sessions().length === 0);
    assert.ok(cm.rtpProxy.totals().packets > 20);
  } finally {
    await a.close(); await b.close(); await cm.close();
  }
});

test('media: proxy on an IPv4 device relays an all-IPv4 call; direct devices stay phone to phone', { timeout: 20_000 }, async () => {
  for (const mode of ['proxy', 'direct'] as const) {
    const cm = await startCallManager({ config: config(mode), host: '127.0.0.1', port: 0, clock });
    const a = await phone(cm, A, 1000, '127.0.0.1', 11);
    const b = await phone(cm, B, 1500, '127.0.0.1', 11);
    try {
      await call(cm, a, b);
      assert.equal(cm.rtpProxy.sessions().length, mode === 'proxy' ? 1 : 0, `media: ${mode}`);
      if (mode === 'proxy') {
        const st = cm.rtpProxy.sessions()[0]!;
        assert.ok(st.rtp.aToB.packets > 10 && st.rtp.bToA.packets > 10, JSON.stringify(st.rtp));
      } else assert.equal(cm.rtpProxy.totals().packets, 0);
      assert.ok(hears(b, 1000) > -30 && hears(a, 1500) > -30, `media: ${mode}: both hear each other`);
    } finally {
      await a.close(); await b.close(); await cm.close();
    }
  }
});
