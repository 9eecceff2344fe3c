/**
 * The udev rule that lets the `deskphone` user open the USB handset's hidraw node without root
 * (docs/hardware.md §3: node-hid permission errors are fixed with a hidraw rule): group input,
 * mode 0660, for each HID device of the board config matched by its USB vendor/product id.
 */
import type { BoardConfig } from '../../hal/board/schema.js';

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export interface UdevRule { text: string | undefined; warnings: string[] }

/** The rule file for `board`, or no text when the board has no HID devices. */
export function udevRule(board: BoardConfig, boardFile: string): UdevRule {
  const warnings: string[] = [];
  const lines: string[] = [];
  let everyHidraw = false;
  for (const d of board.hid) {
    if (d.vendorId === undefined) {
      warnings.push(`${boardFile}: hid ${d.id} has no vendorId, so the rule gives group input every hidraw device; ` +
        'add vendorId/productId (from `lsusb`, e.g. "ID 0b0e:0422" is vendorId: 0x0b0e, productId: 0x0422) and run install again to narrow it');
      everyHidraw = true;
      continue;
    }
    const product = d.productId === undefined ? '' : `, ATTRS{idProduct}=="${hex4(d.productId)}"`;
    lines.push(`# ${d.id} (${boardFile})`, `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(d.vendorId)}"${product}, GROUP="input", MODE="0660"`);
  }
  if (everyHidraw) lines.push('# a HID device of the board config matched without USB ids: every hidraw node', 'SUBSYSTEM=="hidraw", GROUP="input", MODE="0660"');
  if (lines.length === 0) return { text: undefined, warnings };
  return { text: `# Installed by \`deskphone install\` from the board config; \`deskphone uninstall\` removes it.\n${lines.join('\n')}\n`, warnings };
}
