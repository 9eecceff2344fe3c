/**
 * The SCCP session (callmanager/sccp/session.ts) and busy-lamp-field speed dials: after RegisterAck
 * the CM sends each BLF key's SetLamp(SpeedDial, index), repeats it after that key's SpeedDialStat
 * (the phone knows the button by then; docs/sccp.md §5 "Busy-lamp-field speed dials") and follows
 * the watched line; a plain speed dial gets no lamp.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, exampleConfig, rig } from '../../support/callmanager.js';
import { names } from '../../support/raw-station.js';

test('BLF speed dial on SCCP: lamp after registration, again after SpeedDialStat, then follows the line', async () => {
  const config = exampleConfig(); // two-phones.yaml: Alice's speed dials 101 Bob and 102 Carol
  config.devices.find((d) => d.name === ALICE)!.speeddials[0]!.blf = true;
  const r = await rig(config);
  try {
    const a = await r.station(ALICE);
    const first = await a.next('SetLamp', (f) => f.stimulus === 2);
    assert.deepEqual(first, { stimulus: 2, stimulusInstance: 1, lampMode: 1 }, 'Bob unregistered: off');
    a.send('SpeedDialStatReq', { speedDialNumber: 1 });
    const sd1 = await a.until('SetLamp', (f) => f.stimulus === 2);
    assert.deepEqual(names(sd1), ['SpeedDialStat', 'SetLamp']);
    assert.equal(sd1[0]!.fields.speedDialDirNumber, '101');
    a.send('SpeedDialStatReq', { speedDialNumber: 2 });
    await a.next('SpeedDialStat');
    assert.deepEqual(names(await a.drain()), [], 'speed dial 2 (Carol) is a plain speed dial: no lamp');
    const b = await r.station(BOB);
    b.send('OffHook', { lineInstance: 1, callReference: 0 });
    assert.deepEqual(await a.next('SetLamp', (f) => f.stimulus === 2 && f.lampMode === 2), { stimulus: 2, stimulusInstance: 1, lampMode: 2 });
    b.send('OnHook', { lineInstance: 1, callReference: 0 });
    assert.deepEqual(await a.next('SetLamp', (f) => f.stimulus === 2 && f.lampMode === 1), { stimulus: 2, stimulusInstance: 1, lampMode: 1 });
  } finally {
    await r.stop();
  }
});
