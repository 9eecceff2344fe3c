/**
 * An independent check of the directory server's answers (callmanager/directory/xml.ts): xmllint
 * (libxml2) validates them against schemas written from the documented format. Without presence
 * the answer is Cisco's format exactly; with presence=1 it needs the extension schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LineConfig } from '../../../callmanager/config.js';
import { requireTool, tempDir } from '../../support/oracles.js';
import { PLAIN_XSD, PRESENCE_XSD } from '../../fixtures/sccp/cisco-directory-schema.js';
import { directoryServer } from './support.js';

function xmllint(dir: string, xsd: string, xml: string): { ok: boolean; out: string } {
  const schema = join(dir, 'schema.xsd');
  writeFileSync(schema, xsd);
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stderr };
}

test('xmllint: the answers validate against the CiscoIPPhoneDirectory schema; presence only against the extension', async (t) => {
  if (!requireTool(t, 'xmllint')) return;
  const many = Array.from({ length: 40 }, (_, i) => ({ number: String(700 + i), name: `N${i} & <${'x'.repeat(40)}>`, maxCalls: 4, busyTrigger: 2 }) as LineConfig);
  const dir = tempDir('xmllint');
  for (const lines of [undefined, many]) {
    const { server, url } = await directoryServer({ presence: { 501: 'talking', 503: 'dnd' }, ...(lines ? { lines } : {}) });
    try {
      for (const q of ['', '?name=o', '?name=zz', `?name=${encodeURIComponent('& <')}`]) {
        const plain = await (await fetch(url + q)).text();
        const a = xmllint(dir, PLAIN_XSD, plain);
        assert.ok(a.ok, `plain ${q}: ${a.out}`);
        const withPresence = await (await fetch(`${url}${q || '?'}&presence=1`)).text();
        const b = xmllint(dir, PRESENCE_XSD, withPresence);
        assert.ok(b.ok, `presence ${q}: ${b.out}`);
        if (withPresence.includes('<Presence>')) assert.equal(xmllint(dir, PLAIN_XSD, withPresence).ok, false, 'the extension is not Cisco\'s format');
      }
    } finally { await server.close(); }
  }
  rmSync(dir, { recursive: true, force: true });
});
