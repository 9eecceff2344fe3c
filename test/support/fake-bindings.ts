/**
 * Fakes of the native binding modules (i2c-bus, node-libgpiod) and a fake /dev + /sys root from
 * the fixture trees, for composing a board in 'hardware' mode without hardware (docs/hardware.md §5).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { I2cBusModule } from '../../hal/bindings/i2c.js';
import type { LibgpiodModule } from '../../hal/bindings/gpio-chardev.js';

const FIX = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

/** A fake root: fixture /sys + /dev trees and the /dev/i2c-N nodes the test wants. */
export function fakeRoot(trees: string[], i2c: number[]): { root: string; done(): void } {
  const root = mkdtempSync(join(tmpdir(), 'deskphone-board-'));
  for (const t of trees) cpSync(FIX(t), root, { recursive: true });
  mkdirSync(join(root, 'dev'), { recursive: true });
  for (const n of i2c) writeFileSync(join(root, 'dev', `i2c-${n}`), '');
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}

/** i2c-bus whose transfers succeed; writes are recorded. */
export function fakeI2c(): { module: I2cBusModule; opened: number[]; writes: { addr: number; bytes: number[] }[]; closed: number } {
  const st = { opened: [] as number[], writes: [] as { addr: number; bytes: number[] }[], closed: 0 };
  const module: I2cBusModule = {
    async openPromisified(bus) {
      st.opened.push(bus);
      return {
        async i2cWrite(addr, length, buf) { st.writes.push({ addr, bytes: [...buf.subarray(0, length)] }); return { bytesWritten: length }; },
        async i2cRead(_addr, length, buf) { buf.fill(0, 0, length); return { bytesRead: length, buffer: buf }; },
        async scan() { return []; },
        async close() { st.closed++; },
      };
    },
  };
  return Object.assign(st, { module });
}

/** node-libgpiod with every line idle high; `lines` maps offsets to their mode and value. */
export function fakeLibgpiod(): { module: LibgpiodModule; chips: number[]; lines: Map<number, { mode: string; value: number; released: boolean }> } {
  const chips: number[] = [];
  const lines = new Map<number, { mode: string; value: number; released: boolean }>();
  const module: LibgpiodModule = {
    Chip: class { constructor(n: number | string) { chips.push(Number(n)); } getNumberOfLines() { return 58; } },
    Line: class {
      private readonly st: { mode: string; value: number; released: boolean };
      constructor(_chip: unknown, offset: number) {
        if (lines.has(offset)) throw Object.assign(new Error('Device or resource busy'), { code: 'EBUSY' });
        this.st = { mode: '', value: 1, released: false };
        lines.set(offset, this.st);
      }
      requestInputModeFlags(_c: string, _f: number) { this.st.mode = 'in'; }
      requestOutputModeFlags(_c: string, v: number, _f: number) { this.st.mode = 'out'; this.st.value = v; }
      requestOutputMode(_c: string, v?: number) { this.st.mode = 'out'; this.st.value = v ?? 0; }
      getValue() { return this.st.value; }
      setValue(v: number) { this.st.value = v; }
      release() { this.st.released = true; }
    },
  };
  return { module, chips, lines };
}
