import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, exampleConfig, rig } from '../support/callmanager.js';
import { names } from '../support/raw-station.js';

test('known device registers: voicemail lamps, RegisterAck, CapabilitiesReq, then every status request is answered', async () => {
  const r = await rig();
  try {
    const a = await r.station();
    const seq = await a.register(ALICE);
    assert.deepEqual(names(seq), ['SetLamp', 'SetLamp', 'RegisterAck', 'CapabilitiesReq']);
    assert.deepEqual(seq[0]!.fields, { stimulus: 15, stimulusInstance: 1, lampMode: 1 });
    assert.deepEqual(seq[1]!.fields, { stimulus: 15, stimulusInstance: 0, lampMode: 1 });
    assert.equal(seq[2]!.fields.keepAliveInterval, 30);
    assert.equal(seq[2]!.fields.dateTemplate, 'M/D/Y');
    assert.equal(seq[2]!.fields.secondaryKeepAliveInterval, 30);

    a.send('ButtonTemplateReq');
    const bt = await a.next('ButtonTemplate');
    assert.equal(bt.totalButtonCount, 3); // line 100 + 2 speed dials (7960: 6 slots)
    assert.deepEqual(bt.buttons.slice(0, 4), [
      { instanceNumber: 1, buttonDefinition: 9 }, { instanceNumber: 1, buttonDefinition: 2 },
      { instanceNumber: 2, buttonDefinition: 2 }, { instanceNumber: 0, buttonDefinition: 0 }]);

    a.send('SoftKeyTemplateReq');
    const skt = await a.next('SoftKeyTemplateRes');
    assert.equal(skt.totalSoftKeyCount, 23);
    assert.deepEqual(skt.softKeys[21], { softKeyLabel: '\x80\x39', softKeyEvent: 57 }); // RmLstC
    assert.deepEqual(skt.softKeys[22], { softKeyLabel: 'CallBack', softKeyEvent: 22 }); // ours (docs/sccp.md §4)
    assert.deepEqual(skt.softKeys[8], { softKeyLabel: '\x80\x09', softKeyEvent: 9 }); // EndCall
    assert.deepEqual(skt.softKeys[18], { softKeyLabel: 'DND', softKeyEvent: 19 });

    a.send('SoftKeySetReq');
    const sets = await a.until('SelectSoftKeys');
    assert.deepEqual(names(sets), ['SoftKeySetRes', 'SelectSoftKeys']);
    const res = sets[0]!.fields;
    // OnHook (set 0) = Redial, NewCall, CFwdAll, DND → template indexes 1, 2, 5, 19.
    assert.deepEqual(res.softKeySets[0].softKeyTemplateIndex.slice(0, 5), [1, 2, 5, 19, 0]);
    assert.deepEqual(res.softKeySets[4].softKeyTemplateIndex.slice(0, 6), [1, 9, 5, 16, 23, 0]); // OffHook: Redial, EndCall, CFwdAll, MeetMe, CallBack
    assert.deepEqual(res.softKeySets[8].softKeyTemplateIndex.slice(0, 4), [9, 4, 23, 0]); // RingOut (busy too): EndCall, Transfer, CallBack
    assert.deepEqual(res.softKeySets[3].softKeyTemplateIndex.slice(0, 3), [11, 9, 0]); // RingIn: Answer, EndCall
    assert.deepEqual(res.softKeySets[1].softKeyTemplateIndex.slice(0, 7), [3, 9, 4, 13, 15, 14, 0]); // Connected: Hold, EndCall, Transfer, Confrn, Join, Park
    assert.deepEqual(res.softKeySets[7].softKeyTemplateIndex.slice(0, 5), [3, 9, 13, 22, 0]); // ConnectedConference: Hold, EndCall, Confrn, RmLstC
    assert.deepEqual(sets[1]!.fields, { lineInstance: 0, callReference: 0, softKeySetIndex: 0, validKeyMask: 0b1111 });

    a.send('LineStatReq', { lineNumber: 1 });
    const ls = await a.next('LineStat');
    assert.equal(ls.lineDirNumber, '100');
    assert.equal(ls.lineFullyQualifiedDisplayName, 'Alice');
    a.send('SpeedDialStatReq', { speedDialNumber: 2 });
    assert.deepEqual(await a.next('SpeedDialStat'), { speedDialNumber: 2, speedDialDirNumber: '102', speedDialDisplayName: 'Carol' });
    a.send('ForwardStatReq', { lineNumber: 1 });
    assert.equal((await a.next('ForwardStat')).lineNumber, 1);
    a.send('TimeDateReq');
    const td = await a.next('DefineTimeDate');
    const now = r.clock.wallTime();
    assert.equal(td.systemTime, Math.floor(now.getTime() / 1000));
    assert.equal(td.year, now.getFullYear());
    assert.equal(td.month, now.getMonth() + 1);
    a.send('VersionReq');
    assert.equal((await a.next('Version')).version, 'deskphone-cm-1');
    a.send('ConfigStatReq');
    const cs = await a.next('ConfigStat');
    assert.equal(cs.deviceName, ALICE);
    assert.equal(cs.numberOfSpeedDials, 2);
    a.send('ServerReq');
    assert.equal((await a.next('ServerRes')).serverTcpListenPort[0], r.cm.port);
    a.send('KeepAlive');
    await a.next('KeepAliveAck');
    assert.deepEqual(r.cm.devices().find((d) => d.name === ALICE)?.registered, true);
    assert.deepEqual(r.cm.devices().find((d) => d.name === BOB)?.registered, false);
  } finally { await r.stop(); }
});

test('unknown device is rejected with the reason and the connection closed; nothing but Register is answered before registration', async () => {
  const r = await rig();
  try {
    const x = await r.station();
    x.send('OffHook', { lineInstance: 1, callReference: 0 });
    x.send('ButtonTemplateReq');
    x.send('KeepAlive');
    x.send('Register', { deviceName: 'SEP0000DEADBEEF', deviceType: 7, protocolVer: 11 });
    const pre = await x.until('RegisterReject');
    assert.deepEqual(names(pre), ['RegisterReject'], 'OffHook, ButtonTemplateReq and KeepAlive must get no answer before Register');
    assert.equal(pre[0]!.fields.text, 'No Authority: SEP0000DEADBEEF');
    assert.ok(r.logs.some((l) => /SEP0000DEADBEEF.*rejected/.test(l)));
    await x.waitClosed(3000);
  } finally { await r.stop(); }
});

test('a device configured for SSCP is refused over SCCP, with the reason', async () => {
  const config = exampleConfig();
  config.devices.find((d) => d.name === ALICE)!.protocol = 'sscp';
  const r = await rig(config);
  try {
    const x = await r.station();
    x.send('Register', { deviceName: ALICE, deviceType: 7, protocolVer: 11 });
    const rej = await x.next('RegisterReject');
    assert.equal(rej.text, `SSCP only: ${ALICE}`);
    assert.ok(r.logs.some((l) => /over SCCP rejected: the config says protocol sscp/.test(l)));
  } finally { await r.stop(); }
});

test('keepalive supervision drops a silent session after 3 × keepalive on the virtual clock', async () => {
  const r = await rig();
  try {
    const a = await r.station(ALICE);
    const closed = new Promise((resolve) => r.cm.events.once('session-closed', resolve));
    await r.clock.advance(60_000);
    a.send('KeepAlive');
    await a.next('KeepAliveAck');
    await r.clock.advance(60_000); // 60 s since the last KeepAlive: still alive
    a.send('KeepAlive');
    await a.next('KeepAliveAck');
    await r.clock.advance(89_000);
    assert.equal(a.closed, false);
    assert.equal(r.cm.devices().find((d) => d.name === ALICE)?.registered, true);
    await r.clock.advance(1_000); // 90 s = 3 × 30 s without traffic
    const ev = await closed as { device: string; reason: string };
    assert.equal(ev.device, ALICE);
    assert.equal(ev.reason, 'keepalive timeout');
    await a.waitClosed();
    assert.equal(r.cm.devices().find((d) => d.name === ALICE)?.registered, false);
  } finally { await r.stop(); }
});

test('a re-Register of a registered device replaces the old session', async () => {
  const r = await rig();
  try {
    const a1 = await r.station(ALICE);
    const a2 = await r.station(ALICE);
    await a1.waitClosed();
    assert.equal(a2.closed, false);
    a2.send('KeepAlive');
    await a2.next('KeepAliveAck');
    assert.equal(r.cm.devices().find((d) => d.name === ALICE)?.registered, true);
  } finally { await r.stop(); }
});
