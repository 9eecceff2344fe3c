/**
 * CI boots every shipped board config in emulation: for each board-configs/*.yaml, compose the
 * board (real drivers over emulated I2C/GPIO/HID devices), register a phone on it with the
 * software SCCP call manager, and drive it through THAT board's emulated inputs — hook contact,
 * key matrix / MCP23017 matrix / USB handset buttons — reading back that board's display
 * (HD44780 text or SSD1306 pixels) and the earpiece.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager } from '../../callmanager/start.js';
import { createEmulatedPhone, type EmulatedPhone } from '../../src/node/emulated-phone.js';
import { identifyTone } from '../../src/scenario/hearing.js';

const CONFIGS = fileURLToPath(new URL('../../../board-configs/', import.meta.url));
const DEVICE = 'SEP0000000B0070';
const CM_CONFIG = `
server: { keepalive: 30 }
lines: [{ number: "100", name: Alice }]
devices:
  - { name: ${DEVICE}, lines: ["100"] }
`;
const quiet = { info() {}, warn() {}, debug() {} };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, describe: () => string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}; now: ${describe()}`);
    await sleep(25);
  }
}

const boards = readdirSync(CONFIGS).filter((f) => f.endsWith('.yaml')).sort();

test('board-configs/ ships the four documented boards', () => {
  assert.deepEqual(boards, ['laptop-emulated.yaml', 'pi-zero2w-ssd1306-mcp23017.yaml', 'pi4-hd44780-matrix.yaml', 'pi5-usb-handset.yaml']);
});

for (const file of boards) {
  test(`${file}: boots in emulation, registers, shows the line, hook and keys reach the call manager`, async () => {
    const clock = new SystemClock();
    const cm = await startCallManager({ config: parseCallManagerConfig(CM_CONFIG, 'boot.yaml'), host: '127.0.0.1', port: 0, clock, log: quiet });
    let phone: EmulatedPhone | undefined;
    try {
      phone = await createEmulatedPhone({
        name: file, deviceName: DEVICE, boardFile: join(CONFIGS, file), servers: [{ host: '127.0.0.1', port: cm.port }],
        clock, micFrequency: 1000, log: quiet,
      });
      const p = phone;
      await p.start();
      const screen = (): string => p.lcd().join('\n');
      const dev = (): { registered: boolean; call: string } => cm.devices().find((d) => d.name === DEVICE)!;
      const state = (): string => `cm ${JSON.stringify(dev())}, tone ${identifyTone(p.heard(1500).samples, p.heard(1).sampleRate)}, screen:\n${screen()}`;

      await until('registration', () => dev().registered, state);
      await until('the line label on the board display', () => /Alice/.test(screen()), state);
      const rows = p.lcd();
      assert.equal(rows.length, p.board.hardware.display.rows, 'screen() reads every row of this display');
      assert.ok(rows.every((r) => r.length === p.board.hardware.display.cols));

      await p.lift(); // the board's hook input: header contact, MCP23017 pin or USB handset report
      await until('off hook at the call manager and dial tone', () => dev().call === 'dialing' && identifyTone(p.heard(300).samples, p.heard(1).sampleRate) === 'dial', state);

      await p.tap('5'); // key matrix on header lines / MCP23017 matrix / handset keypad
      await until('dial tone stopped by the call manager after the first digit', () => identifyTone(p.heard(300).samples, p.heard(1).sampleRate) === 'none', state);
      await p.tap('#'); // dial now: 5 is no number of this call manager
      await until('the call manager answering the dialled number', () => identifyTone(p.heard(1500).samples, p.heard(1).sampleRate) === 'reorder' || /unknown|invalid|not found/i.test(screen()), state, 12_000);

      await p.replace();
      await until('back on hook at the call manager', () => dev().call === 'idle', state);
    } finally {
      await phone?.close();
      await cm.close();
    }
  });
}
