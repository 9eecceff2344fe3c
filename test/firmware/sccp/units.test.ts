import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import {
  DeviceNameError, defaultMac, deviceNameFromMac, resolveDeviceName, validateDeviceName,
} from '../../../firmware/station/device-name.js';
import { StationTemplates } from '../../../firmware/sccp/station-templates.js';
import { callStateName, keypadCode, toneName, translateCmMessage } from '../../../firmware/sccp/station-events.js';
import { capabilitiesFields, codecFromPayload } from '../../../firmware/sccp/station-media.js';
import { FakeMedia } from '../../support/fake-cm.js';

const iface = (p: Partial<NetworkInterfaceInfo>): NetworkInterfaceInfo =>
  ({ address: '10.0.0.2', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: null, ...p }) as NetworkInterfaceInfo;

test('device name from MAC, validation of overrides', () => {
  assert.equal(deviceNameFromMac('00:11:22:aa:bb:cc'), 'SEP001122AABBCC');
  assert.equal(deviceNameFromMac('00-11-22-AA-BB-CC'), 'SEP001122AABBCC');
  assert.equal(deviceNameFromMac('001122aabbcc'), 'SEP001122AABBCC');
  assert.throws(() => deviceNameFromMac('00:11:22:aa:bb'), DeviceNameError);
  assert.equal(validateDeviceName('sep001122aabbcc'), 'SEP001122AABBCC');
  for (const bad of ['SEP001122AABBC', 'SEP001122AABBCCD', 'ATA001122AABBCC', 'SEP00112GAABBCC', '']) {
    assert.throws(() => validateDeviceName(bad), (e: Error) => e instanceof DeviceNameError && /SEP/.test(e.message), bad);
  }
  assert.equal(resolveDeviceName({ deviceName: 'SEP0000000000AB', mac: '11:11:11:11:11:11' }), 'SEP0000000000AB');
  assert.equal(resolveDeviceName({ mac: '11:11:11:11:11:11' }), 'SEP111111111111');
});

test('defaultMac picks the first non-internal IPv4 interface with a non-zero MAC', () => {
  const table = {
    lo: [iface({ address: '127.0.0.1', internal: true, mac: '00:00:00:00:00:00' })],
    tun0: [iface({ address: '10.8.0.1', mac: '00:00:00:00:00:00' })],
    eth0: [iface({ family: 'IPv6', address: 'fe80::1', mac: 'aa:aa:aa:aa:aa:aa' } as Partial<NetworkInterfaceInfo>),
      iface({ address: '192.168.1.20', mac: 'b8:27:eb:12:34:56' })],
    wlan0: [iface({ address: '192.168.1.21', mac: 'b8:27:eb:ff:ff:ff' })],
  };
  assert.equal(defaultMac(table), 'b8:27:eb:12:34:56');
  assert.equal(defaultMac({ lo: table.lo }), undefined);
});

test('templates: pieces by offset, 1-based template index, mask per slot', () => {
  const t = new StationTemplates();
  t.applyButtonTemplate({ buttonOffset: 0, buttonCount: 2, totalButtonCount: 4,
    buttons: [{ instanceNumber: 1, buttonDefinition: 9 }, { instanceNumber: 1, buttonDefinition: 2 }] });
  assert.equal(t.buttonsComplete, false);
  t.applyButtonTemplate({ buttonOffset: 2, buttonCount: 2, totalButtonCount: 4,
    buttons: [{ instanceNumber: 2, buttonDefinition: 9 }, { instanceNumber: 2, buttonDefinition: 0x15 }] });
  assert.equal(t.buttonsComplete, true);
  assert.deepEqual([t.lines, t.speedDials], [[1, 2], [1, 2]]);

  t.applySoftKeyTemplate({ softKeyOffset: 2, softKeyCount: 1, totalSoftKeyCount: 3, softKeys: [{ softKeyLabel: 'C', softKeyEvent: 30 }] }, (s) => s);
  t.applySoftKeyTemplate({ softKeyOffset: 0, softKeyCount: 2, totalSoftKeyCount: 3, softKeys: [{ softKeyLabel: 'A', softKeyEvent: 10 }, { softKeyLabel: 'B', softKeyEvent: 20 }] }, (s) => s.toLowerCase());
  t.applySoftKeySets({ softKeySetOffset: 1, softKeySetCount: 1, totalSoftKeySetCount: 2, softKeySets: [{ softKeyTemplateIndex: [3, 0, 1, 0, 0] }] });
  assert.deepEqual(t.resolve(1, 0b101), [
    { label: 'C', event: 30, enabled: true }, { label: '', event: 0, enabled: false }, { label: 'a', event: 10, enabled: true }]);
  assert.deepEqual(t.resolve(1, 0b001).map((k) => k.enabled), [true, false, false]);
  assert.deepEqual(t.resolve(7, 0xffff), [], 'unknown set → no keys');
});

test('enumerations: tones, call states, keypad codes, codecs', () => {
  assert.deepEqual([0x21, 0x22, 0x23, 0x24, 0x25, 0, 0x0a, 0x05, 0x0e, 0x0f, 0x10, 0x13, 0x99].map(toneName),
    ['dial', 'outsidedial', 'busy', 'ringback', 'reorder', 'silence', 'dtmf-0', 'dtmf-5', 'dtmf-*', 'dtmf-#', 'dtmf-A', 'dtmf-D', 'other']);
  assert.deepEqual([0, 4, 5, 12, 17, 18].map(callStateName), ['idle', 'ringin', 'connected', 'proceed', 'remotehold', undefined]);
  assert.deepEqual(['0', '9', '*', '#', 'A', 'd', '+', 'x', '12'].map(keypadCode), [0, 9, 14, 15, 10, 13, 16, undefined, undefined]);
  assert.deepEqual([2, 4, 6, 11].map(codecFromPayload), ['PCMA', 'PCMU', 'G722', undefined]);
  const caps = capabilitiesFields(new FakeMedia());
  assert.equal(caps.capCount, 3);
});

test('DefineTimeDate falls back to systemTime; SetRinger precedence ring', () => {
  const ev = translateCmMessage({ name: 'DefineTimeDate', fields: { year: 0, systemTime: 1_700_000_000 } }, (s) => s);
  assert.ok(!(ev instanceof Error) && ev?.type === 'timeDate');
  assert.equal(ev.date.getTime(), 1_700_000_000_000);
  assert.ok(translateCmMessage({ name: 'DefineTimeDate', fields: {} }, (s) => s) instanceof Error);
  assert.deepEqual(translateCmMessage({ name: 'SetRinger', fields: { ringMode: 3, ringDuration: 2 } }, (s) => s), { type: 'ringer', mode: 'outside', once: true });
  assert.equal(translateCmMessage({ name: 'KeepAliveAck', fields: {} }, (s) => s), undefined);
});
