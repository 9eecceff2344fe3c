/**
 * SSCP end to end through the one CallCore: an SSCP phone and an SCCP phone call each other both
 * ways with RTP direct between them; redial and speed dial over SSCP; two SSCP phones over the
 * dual-stack listener ("::"), one registering over IPv6, with RTP on IPv6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmulatedPhone } from '../../src/node/emulated-phone.js';
import { hears, lcd, phone, startCm, until } from './sscp-rig.js';

test('SSCP ↔ SCCP calls both ways; each hears the other; redial and speed dial over SSCP', { timeout: 90_000 }, async () => {
  const cm = await startCm('127.0.0.1');
  const phones: EmulatedPhone[] = [];
  try {
    const dana = await phone('dana', 'SEP000000000200', 'sscp', { host: '127.0.0.1', port: cm.sscp!.port }, 1000);
    const fay = await phone('fay', 'SEP000000000202', 'sccp', { host: '127.0.0.1', port: cm.port }, 1500);
    phones.push(dana, fay);
    await until(() => /Dana/.test(lcd(dana)) && /Fay/.test(lcd(fay)), 'both registered', phones);
    assert.equal(dana.station.protocol, 'sscp');
    assert.deepEqual(cm.devices().filter((d) => d.registered).map((d) => d.name).sort(), ['SEP000000000200', 'SEP000000000202']);

    // SSCP dials SCCP by keypad.
    await dana.lift();
    for (const k of '202') await dana.tap(k);
    await until(() => fay.ringer() !== 'off' && /Dana|200/.test(lcd(fay)), 'fay rings', phones);
    await fay.lift();
    await until(() => hears(dana, fay) && hears(fay, dana), 'two-way audio dana↔fay', phones);
    assert.match(lcd(dana), /Connected/);
    assert.ok(!hears(dana, dana), 'no echo of the own microphone');
    await dana.replace();
    await fay.replace();
    await until(() => !hears(fay, dana) && cm.core.legState('SEP000000000200') === 'idle' && cm.core.legState('SEP000000000202') === 'idle', 'idle', phones);

    // SCCP dials SSCP; SSCP answers by lifting.
    await fay.lift();
    for (const k of '200') await fay.tap(k);
    await until(() => dana.ringer() !== 'off' && /Fay|202/.test(lcd(dana)), 'dana rings', phones);
    await dana.lift();
    await until(() => hears(dana, fay) && hears(fay, dana), 'two-way audio fay→dana', phones);
    await fay.replace();
    await dana.replace();
    await until(() => cm.core.legState('SEP000000000200') === 'idle' && cm.core.legState('SEP000000000202') === 'idle', 'idle again', phones);

    // Redial over SSCP: the Redial soft key (SoftKeyEvent 1) calls the last number, 202.
    const calls: string[] = [];
    cm.events.on('call', (ev: { caller: string; callee: string; state: string }) => calls.push(`${ev.caller}>${ev.callee}:${ev.state}`));
    await until(() => /Redial|Redl/i.test(dana.lcd().at(-1) ?? ''), 'Redial soft key shown', phones);
    dana.station.softkey(0);                         // OnHook set: Redial is slot 0 (templates.ts DEFAULT_SETS)
    await until(() => calls.includes('200>202:ringing'), 'redial rings fay', phones);
    await until(() => fay.ringer() !== 'off', 'fay ringer', phones);
    dana.station.onHook();
    await until(() => cm.core.legState('SEP000000000200') === 'idle', 'redial cancelled', phones);

    // Speed dial 1 over SSCP (SpeedDial index 1 = Fay in the config).
    dana.station.speedDial(1);
    await until(() => calls.filter((c) => c === '200>202:ringing').length === 2, 'speed dial rings fay', phones);
    await fay.lift();
    await until(() => hears(dana, fay) && hears(fay, dana), 'audio after speed dial', phones);
    await fay.replace();
    await until(() => calls.at(-1) === '200>202:ended', 'ended', phones);
  } finally {
    for (const p of phones) await p.close();
    await cm.close();
  }
});

test('dual-stack SSCP listener: one phone over IPv6, one over IPv4, RTP over IPv6', { timeout: 60_000 }, async () => {
  const cm = await startCm('::');
  const phones: EmulatedPhone[] = [];
  try {
    const dana = await phone('dana', 'SEP000000000200', 'sscp', { host: '::1', port: cm.sscp!.port }, 1000, '::1');
    const erik = await phone('erik', 'SEP000000000201', 'sscp', { host: '127.0.0.1', port: cm.sscp!.port }, 1500, '::1');
    phones.push(dana, erik);
    await until(() => dana.station.state === 'registered' && erik.station.state === 'registered', 'registered', phones);
    const peers = cm.devices().filter((d) => d.registered).map((d) => d.peer ?? '');
    assert.ok(peers.some((p) => p.startsWith('[::1]:')), `an IPv6 registration: ${peers.join(', ')}`);
    assert.ok(peers.some((p) => p.startsWith('127.0.0.1:')), `an IPv4 registration: ${peers.join(', ')}`);
    await erik.lift();
    for (const k of '200') await erik.tap(k);
    await until(() => dana.ringer() !== 'off', 'dana rings', phones);
    await dana.lift();
    await until(() => hears(dana, erik) && hears(erik, dana), 'two-way audio over IPv6 RTP', phones);
    assert.deepEqual(dana.media.activeStreams().length, 1);
    await dana.replace();
    await erik.replace();
  } finally {
    for (const p of phones) await p.close();
    await cm.close();
  }
});

test('SSCP registration refusals: unknown device, device configured for SCCP', { timeout: 30_000 }, async () => {
  const cm = await startCm('127.0.0.1');
  const rejected: Array<{ device?: string; reason: string }> = [];
  cm.events.on('rejected', (e: { device?: string; reason: string }) => rejected.push(e));
  const phones: EmulatedPhone[] = [];
  try {
    const x = await phone('x', 'SEP0000000009FF', 'sscp', { host: '127.0.0.1', port: cm.sscp!.port }, 1000);
    const f = await phone('f', 'SEP000000000202', 'sscp', { host: '127.0.0.1', port: cm.sscp!.port }, 1500);
    phones.push(x, f);
    await until(() => x.station.state === 'rejected' && f.station.state === 'rejected', 'both rejected', phones);
    assert.deepEqual(rejected.map((r) => r.reason).sort(),
      ['Device SEP000000000202 is configured for SCCP', 'Unknown device SEP0000000009FF']);
  } finally {
    for (const p of phones) await p.close();
    await cm.close();
  }
});
