/**
 * External check (docs/media.md "External peers and checkers"): a captured three-party conference
 * (one G.722, two µ-law participants) on loopback, dissected by tshark: every RTP stream in both
 * directions decodes with the right payload type, 0 lost, 0 malformed frames, RTCP included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { ConferenceBridge } from '../../../callmanager/media/conference.js';
import { startCapture, tshark } from '../../support/capture.js';
import { requireCapture } from '../../support/oracles.js';
import { joinPhone, run } from './phones.js';

test('tshark: all six RTP streams of a captured G.722 + 2 × µ-law conference decode, 0 lost, 0 malformed', async (t) => {
  if (!requireCapture(t)) return;
  const clock = new VirtualClock();
  const bridge = new ConferenceBridge({ clock });
  const phones = [await joinPhone(clock, bridge, 1100, 'g722', 20, { deferConnect: true }),
    await joinPhone(clock, bridge, 400, 'ulaw', 20, { deferConnect: true }),
    await joinPhone(clock, bridge, 700, 'ulaw', 20, { deferConnect: true })];
  const bridgePorts = phones.map((p) => p.ports[0]);
  // RTP and RTCP (port + 1, RFC 3550 §11) of the bridge's side of every participant.
  const cap = await startCapture(`udp and (${bridgePorts.map((p) => `port ${p} or port ${p + 1}`).join(' or ')})`);
  try {
    for (const p of phones) await p.connect();
    await run(clock, 6000);                              // long enough for the first RTCP reports (2.5 s ± 50 %)
  } finally {
    await cap.stop();
    await bridge.close();
    for (const p of phones) await p.engine.close();
  }
  const decode = bridgePorts.flatMap((p) => ['-d', `udp.port==${p},rtp`, '-d', `udp.port==${p + 1},rtcp`]);
  const malformed = tshark(['-r', cap.file, ...decode, '-Y', '_ws.malformed || _ws.expert.severity >= "error"', '-T', 'fields', '-e', 'frame.number']).trim();
  assert.equal(malformed, '', `malformed frames: ${malformed}`);
  const rtcp = tshark(['-r', cap.file, ...decode, '-Y', 'rtcp', '-T', 'fields', '-e', 'frame.number']).trim().split('\n').filter(Boolean);
  assert.ok(rtcp.length >= 3, `RTCP reports in 6 s: ${rtcp.length}`);
  const out = tshark(['-r', cap.file, ...decode, '-q', '-z', 'rtp,streams']);
  // Row: start, end, src addr, port, dst addr, port, SSRC, payload, packets, lost (pct), deltas ..., jitter ...
  const STREAM = /\d+\.\d+\.\d+\.\d+\s+(\d+)\s+\d+\.\d+\.\d+\.\d+\s+(\d+)\s+0x[0-9A-F]+\s+(\S+)\s+(\d+)\s+(-?\d+)\s+\(/i;
  const rows = out.split('\n').filter((l) => STREAM.test(l));
  assert.equal(rows.length, 6, `expected 3 streams in, 3 out:\n${out}`);
  for (const row of rows) {
    const [, srcPort, dstPort, payload, pkts, lost] = STREAM.exec(row)!;
    const phone = phones.find((p) => p.ports.includes(Number(srcPort)) && p.ports.includes(Number(dstPort)));
    assert.ok(phone, `stream between unknown ports: ${row}`);
    assert.match(payload!, phone!.codec === 'g722' ? /G\.?722/i : /PCMU|g711U/i, row);
    // 300 packets in 6 s of media time at 20 ms; the virtual clock runs them in well under a second, and
    // a stream's first packets may precede the other side's connect: half is enough to show it ran.
    assert.ok(Number(pkts) >= 150, `packets in 6 s: ${row}`);
    assert.equal(Number(lost), 0, `loss: ${row}`);
  }
});
