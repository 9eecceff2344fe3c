/**
 * The call manager's date template reaches the clock row: the embedded CM sends
 * RegisterAck.dateTemplate (docs/sccp.md §3) and the emulated phone's LCD, decoded by the HD44780
 * emulator, shows the time and date in that order, 24 or 12 hours as the template says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/schema.js';
import { buildEmulatedRig } from '../../src/scenario/emulated-rig.js';
import { runScenario } from '../../src/scenario/runner.js';
import { memoryLogger } from '../../src/node/logger.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** What a 7960 shows for `d` under `template` (local time, as the phone formats it). */
function expected(d: Date, template: string, withYear = true): string {
  const parts: Record<string, string> = { D: pad(d.getDate()), M: pad(d.getMonth() + 1), Y: pad(d.getFullYear() % 100) };
  const sep = template[1]!;
  const date = [template[0]!, template[2]!, template[4]!].filter((c) => withYear || c !== 'Y').map((c) => parts[c]).join(sep);
  const H = d.getHours();
  const time = template.endsWith('A') ? `${H % 12 === 0 ? 12 : H % 12}:${pad(d.getMinutes())}${H < 12 ? 'AM' : 'PM'}` : `${pad(H)}:${pad(d.getMinutes())}`;
  return `${time} ${date}`;
}

for (const template of ['D.M.Y', 'Y-M-DA', 'M/D/Y']) {
  test(`dateTemplate ${template}: the clock row follows the call manager's template`, { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskphone-date-'));
    const cm = readFileSync('callmanager/examples/two-phones.yaml', 'utf8').replace(/dateTemplate: .*/, `dateTemplate: "${template}"`);
    assert.match(cm, new RegExp(`dateTemplate: "${template.replace(/[.\\/-]/g, '\\$&')}"`));
    writeFileSync(join(dir, 'cm.yaml'), cm);
    writeFileSync(join(dir, 's.yaml'), [
      'name: date template', 'callmanager: { embedded: cm.yaml }',
      `phones: { alice: { device: SEP000000000100, tone: 1000, board: ${join(process.cwd(), 'board-configs/laptop-emulated.yaml')} } }`,
      'steps:', '  - expect: { phone: alice, lcd: "Alice", within: 10s }', ''].join('\n'));
    const s = loadScenario(join(dir, 's.yaml'));
    const rig = await buildEmulatedRig(s, memoryLogger('warn'));
    try {
      await runScenario(s, rig);
      const row = rig.phones.get('alice')!.lcd()[0]!;
      const now = new Date();
      // A row too short for the label drops the two-digit year first (firmware/phone/format.ts).
      const ok = [now, new Date(now.getTime() - 60_000)].flatMap((d) => [expected(d, template), expected(d, template, false)]);
      assert.ok(ok.some((e) => row.startsWith(e)), `clock row ${JSON.stringify(row)}, expected it to start with ${JSON.stringify(ok[0])}`);
    } finally { await rig.close(); }
  });
}
