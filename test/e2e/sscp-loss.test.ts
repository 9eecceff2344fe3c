/**
 * An SSCP phone reaches the call manager through a UDP relay that drops every 4th datagram and
 * duplicates every 5th (test/support/loss-proxy.ts): registration and a whole call still complete,
 * repaired by the reliable transport (docs/sscp.md §4). RTP does not pass the relay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmulatedPhone } from '../../src/node/emulated-phone.js';
import { LossProxy } from '../support/loss-proxy.js';
import { hears, lcd, phone, startCm, until } from './sscp-rig.js';

test('registration and a call complete over a lossy, duplicating path', { timeout: 120_000 }, async () => {
  const cm = await startCm('127.0.0.1');
  const proxy = new LossProxy({ address: '127.0.0.1', port: cm.sscp!.port }, 4, 5, 'udp4');
  const via = await proxy.start('127.0.0.1');
  const phones: EmulatedPhone[] = [];
  try {
    const dana = await phone('dana', 'SEP000000000200', 'sscp', { host: via.address, port: via.port }, 1000);
    const erik = await phone('erik', 'SEP000000000201', 'sscp', { host: '127.0.0.1', port: cm.sscp!.port }, 1500);
    phones.push(dana, erik);
    await until(() => /Dana/.test(lcd(dana)) && /Erik/.test(lcd(erik)), 'both registered', phones, 40_000);
    await dana.lift();
    for (const k of '201') await dana.tap(k);
    await until(() => erik.ringer() !== 'off', 'erik rings', phones, 40_000);
    await erik.lift();
    await until(() => hears(dana, erik) && hears(erik, dana), 'two-way audio', phones, 40_000);
    await until(() => /Connected/.test(lcd(dana)), 'dana shows Connected', phones, 40_000);
    await dana.replace();
    await until(() => cm.core.legState('SEP000000000200') === 'idle', 'dana idle', phones, 40_000);
    assert.ok(proxy.dropped > 0 && proxy.duplicated > 0, `proxy dropped ${proxy.dropped}, duplicated ${proxy.duplicated}`);
    const st = (dana.station as { stats?: { retransmits: number } }).stats;
    assert.ok(st && st.retransmits > 0, 'losses were repaired by retransmission');
  } finally {
    for (const p of phones) await p.close();
    await cm.close();
    await proxy.close();
  }
});
