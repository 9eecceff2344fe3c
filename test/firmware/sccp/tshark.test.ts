/**
 * External oracle: every PDU the station writes is decoded by tshark 4.0 (docs/sccp.md §6):
 * no malformed/unreassembled frames, each segment exactly covered by whole PDUs, Register shows
 * protocolVer, the ORC ack shows the echoed passThroughPartyId.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import { FakeCm, FakeMedia, waitUntil } from '../../support/fake-cm.js';

function haveTool(name: string): boolean {
  try { execFileSync(name, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

test('tshark decodes everything the station sends without errors', async (t) => {
  for (const tool of ['tshark', 'text2pcap']) {
    if (!haveTool(tool)) {
      if (process.env.DESKPHONE_ALLOW_MISSING_ORACLES === '1') { t.skip(`${tool} missing`); return; }
      assert.fail(`oracle ${tool} not found: install tshark (apt-get install tshark), or set DESKPHONE_ALLOW_MISSING_ORACLES=1`);
    }
  }
  const cm = await FakeCm.start({ keepAliveInterval: 5 });
  const clock = new VirtualClock();
  const st = new SccpStation({ mac: '00:11:22:33:44:55', servers: [{ host: '127.0.0.1', port: cm.port }], clock, media: new FakeMedia() });
  const dir = mkdtempSync(join(tmpdir(), 'sccp-station-'));
  try {
    await st.start();
    await waitUntil(() => st.state === 'registered' && cm.count('TimeDateReq') === 1, 'registered');
    await clock.advance(5000);
    cm.send('CallState', { callState: 4, lineInstance: 1, callReference: 9 });
    cm.send('OpenReceiveChannel', { conferenceId: 9, passThruPartyId: 4711, millisecondPacketSize: 20, compressionType: 4 });
    await waitUntil(() => cm.count('OpenReceiveChannelAck') === 1 && cm.count('KeepAlive') === 1, 'ack + keepalive');
    st.offHook(); st.keypad('#'); st.dial('101'); st.softkey(0); st.headset(true); st.onHook();
    await waitUntil(() => cm.count('OnHook') === 1, 'OnHook');
    await st.stop();
    await waitUntil(() => cm.count('Unregister') === 1, 'Unregister');

    // One packet per PDU (§6 "no-capture alternative"): offset-000000 lines start a new packet.
    const dump = cm.rx.map((m) => [...m.raw].reduce((s, b, i) =>
      s + (i % 16 === 0 ? `${i ? '\n' : ''}${i.toString(16).padStart(6, '0')}` : '') + ' ' + b.toString(16).padStart(2, '0'), '')).join('\n') + '\n';
    writeFileSync(join(dir, 'd.txt'), dump);
    execFileSync('text2pcap', ['-q', '-T', '50000,2000', '-4', '10.0.0.2,10.0.0.1', join(dir, 'd.txt'), join(dir, 'c.pcap')], { stdio: 'ignore' });
    const tshark = (...args: string[]) => execFileSync('tshark', ['-r', join(dir, 'c.pcap'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

    const F = '_ws.malformed || _ws.unreassembled || _ws.expert.severity >= 6291456 || (tcp.len > 0 && !skinny)';
    assert.equal(tshark('-Y', F).trim(), '', 'tshark reports problems');
    const rows = tshark('-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.len', '-e', 'skinny.data_length', '-e', 'skinny.messageId')
      .trim().split('\n').map((l) => l.split('\t'));
    assert.equal(rows.length, cm.rx.length);
    rows.forEach(([tcpLen, dataLen, id], i) => {
      assert.equal(Number(tcpLen), Number(dataLen) + 8, `frame ${i + 1}: segment covered by one PDU`);
      assert.equal(Number(id), cm.rx[i]!.id, `frame ${i + 1}: messageId`);
    });
    const reg = tshark('-Y', 'skinny.messageId == 1', '-T', 'fields', '-e', 'skinny.DeviceName', '-e', 'skinny.protocolVer', '-e', 'skinny.deviceType').trim();
    assert.deepEqual(reg.split('\t'), ['SEP001122334455', '11', '0x00000007']);
    const ack = tshark('-Y', 'skinny.messageId == 0x22', '-T', 'fields', '-e', 'skinny.passThroughPartyId', '-e', 'skinny.portNumber').trim();
    assert.deepEqual(ack.split('\t'), ['4711', String(40000 + 4711)]);
    const sk = tshark('-Y', 'skinny.messageId == 0x26', '-T', 'fields', '-e', 'skinny.softKeyEvent').trim();
    assert.match(sk, /^(0x0*)?1$/, 'idle set slot 0 = Redial (event 1)');
  } finally {
    await st.stop();
    await cm.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
