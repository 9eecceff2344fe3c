/**
 * The basic call on loopback, captured with tshark: every SCCP frame must decode with no
 * malformed/expert error and whole PDUs only, and every RTP stream must show 0 loss
 * (checks from docs/sccp.md §6 and docs/media.md "External peers and checkers").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadScenario } from '../../src/scenario/schema.js';
import { buildEmulatedRig } from '../../src/scenario/emulated-rig.js';
import { runScenario } from '../../src/scenario/runner.js';
import { memoryLogger } from '../../src/node/logger.js';
import { requireCapture } from '../support/oracles.js';
import { startCapture, tshark } from '../support/capture.js';

// docs/sccp.md §6 filter. On a busy loopback the kernel's tail-loss probe sometimes resends a
// segment before the delayed ACK (D-SACK proves the original arrived): tshark flags those as TCP
// retransmissions (a transport event, not an SCCP fault), so they are excluded and counted apart.
const RETX = 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission';
const MALFORMED = `_ws.malformed || _ws.unreassembled || (tcp.len > 0 && _ws.expert.severity >= 6291456 && !tcp.analysis.flags) || (tcp.len > 0 && !skinny && !(${RETX}))`;

test('basic call: tshark decodes every SCCP frame cleanly and RTP shows 0 loss', { timeout: 90_000 }, async (t) => {
  if (!requireCapture(t)) return;
  const scenario = loadScenario('test/scenarios/basic-call.yaml');
  const log = memoryLogger('warn');
  const rig = await buildEmulatedRig(scenario, log);
  const cmPort = rig.server.port;
  const rtpPorts = new Set<number>();
  // RTP ports are known only once media opens: capture all loopback UDP and this CM's TCP port.
  const cap = await startCapture(`tcp port ${cmPort} or udp`);
  let captured = false;
  try {
    // Registration happened before the capture started; restart the stations so it is captured too.
    for (const p of rig.phones.values()) { await p.station.stop(); await p.station.start(); }
    const until = Date.now() + 10_000;
    while ([...rig.phones.values()].some((p) => p.station.state !== 'registered') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500)); // let the post-registration status requests finish
    await runScenario({ ...scenario, steps: scenario.steps.slice(0, 13) }, rig);
    for (const p of rig.phones.values()) for (const id of p.media.activeStreams()) {
      const s = p.media.stats(id);
      if (s) rtpPorts.add(s.localPort);
    }
    await new Promise((r) => setTimeout(r, 1000));
    await runScenario({ ...scenario, steps: scenario.steps.slice(13) }, rig);
    await new Promise((r) => setTimeout(r, 300));
    await cap.stop();
    captured = true;
  } finally {
    if (!captured) await cap.stop();
    await rig.close();
  }
  assert.equal(rtpPorts.size, 2, 'both phones had an RTP stream');
  const decodeAs = ['-d', `tcp.port==${cmPort},skinny`, ...[...rtpPorts].flatMap((p) => ['-d', `udp.port==${p},rtp`])];

  const bad = tshark(['-r', cap.file, ...decodeAs, '-Y', `tcp.port==${cmPort} && (${MALFORMED})`]);
  assert.equal(bad.trim(), '', `tshark flagged SCCP frames:\n${bad}`);

  // Byte accounting: each TCP segment is covered exactly by whole SCCP PDUs (one write per message).
  const rows = tshark(['-r', cap.file, ...decodeAs, '-Y', `tcp.port==${cmPort} && tcp.len > 0 && !(${RETX})`, '-T', 'fields',
    '-e', 'frame.number', '-e', 'tcp.len', '-e', 'skinny.data_length']).trim().split('\n');
  for (const row of rows) {
    const [frame, len, lengths] = row.split('\t');
    const sum = (lengths ?? '').split(',').filter(Boolean).reduce((a, l) => a + Number(l) + 8, 0);
    assert.equal(sum, Number(len), `frame ${frame}: TCP payload ${len} bytes vs SCCP PDUs ${sum}`);
  }

  const retx = tshark(['-r', cap.file, ...decodeAs, '-Y', `tcp.port==${cmPort} && (${RETX})`]).trim();
  t.diagnostic(`TCP retransmissions on loopback (not SCCP errors): ${retx ? retx.split('\n').length : 0}`);

  // The call flow as tshark names it.
  const flow = tshark(['-r', cap.file, ...decodeAs, '-Y', `skinny`, '-T', 'fields', '-E', 'separator=|',
    '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', '_ws.col.Info']).trim();
  const ids = tshark(['-r', cap.file, ...decodeAs, '-Y', 'skinny', '-T', 'fields', '-e', 'skinny.messageId']).split(/[\n,]/).map(Number);
  for (const id of [0x0001, 0x0081, 0x0006, 0x0082, 0x0003, 0x0111, 0x008f, 0x0085, 0x0086, 0x0105, 0x0022, 0x008a, 0x0007, 0x0106, 0x008b]) {
    assert.ok(ids.includes(id), `message 0x${id.toString(16)} seen in the capture`);
  }
  writeFileSync(`${cap.file}.flow.txt`, flow);
  t.diagnostic(`capture ${cap.file}; flow in ${cap.file}.flow.txt`);

  // RTP: both directions present, 0 lost.
  const streams = tshark(['-r', cap.file, ...decodeAs, '-q', '-z', 'rtp,streams']);
  const lines = streams.split('\n').filter((l) => /ITU-T G\.711|g711U|PCMU/i.test(l));
  assert.ok(lines.length >= 2, `two RTP streams expected:\n${streams}`);
  for (const l of lines) {
    const m = /\s(\d+)\s+(-?\d+)\s+\((-?[\d.]+)%\)/.exec(l);
    assert.ok(m, `cannot read packets/lost from: ${l}`);
    assert.equal(Number(m![2]), 0, `RTP loss in stream: ${l}`);
    assert.ok(Number(m![1]) > 20, `stream carried audio: ${l}`);
  }
  t.diagnostic(streams);
});
