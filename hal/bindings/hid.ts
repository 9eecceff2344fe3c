/**
 * HidHost over the optional `node-hid` package (HIDAsync, hidraw driver on Linux). node-hid has
 * no getReportDescriptor() (docs/hardware.md §2, node-hid#380/#448), so the descriptor is read
 * from /sys/class/hidraw/hidrawN/device/report_descriptor, N taken from the device path
 * /dev/hidrawN. `root` moves that sysfs lookup for tests.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { HalError, type HidDevice, type HidDeviceInfo, type HidHost } from '../api/index.js';
import { errnoCode, loadNative } from './native.js';

interface NodeHidInfo {
  path?: string; vendorId: number; productId: number; product?: string; manufacturer?: string;
  usagePage?: number; usage?: number; interface?: number;
}
interface HidAsyncDevice {
  on(ev: 'data', cb: (b: Buffer) => void): void;
  on(ev: 'error', cb: (e: Error) => void): void;
  write(data: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidInfo[]>;
  HIDAsync: { open(path: string): Promise<HidAsyncDevice> };
}

export const HIDRAW_UDEV_HINT = 'add a udev rule, e.g. /etc/udev/rules.d/60-deskphone-hid.rules: '
  + 'KERNEL=="hidraw*", ATTRS{idVendor}=="<vid>", MODE="0660", GROUP="plugdev"; then sudo udevadm control --reload && sudo udevadm trigger';

export interface NodeHidHostOptions {
  /** Root of /sys (tests); default "/". */
  root?: string;
  module?: NodeHidModule;
}

/** "/dev/hidraw3" → sysfs path of its report descriptor, or undefined for non-hidraw paths. */
export function reportDescriptorPath(devPath: string, root = '/'): string | undefined {
  const m = /hidraw(\d+)$/.exec(devPath);
  return m ? join(root, 'sys/class/hidraw', `hidraw${m[1]}`, 'device/report_descriptor') : undefined;
}

export async function readReportDescriptor(devPath: string, root = '/'): Promise<Uint8Array> {
  const p = reportDescriptorPath(devPath, root);
  if (!p) {
    throw new HalError('INVALID', 'not a hidraw device path', {
      device: devPath, operation: 'read report descriptor', hint: 'the Linux hidraw driver gives /dev/hidrawN paths (node-hid default)',
    });
  }
  try { return new Uint8Array(await fs.readFile(p)); } catch (e) {
    throw new HalError(errnoCode(e) === 'EACCES' ? 'EACCES' : 'ENOENT', `cannot read ${p}`, {
      device: devPath, operation: 'read report descriptor', hint: 'the device may have been unplugged', cause: e,
    });
  }
}

export async function openNodeHidHost(opts: NodeHidHostOptions = {}): Promise<HidHost> {
  const mod = opts.module ?? await loadNative<NodeHidModule>('node-hid', 'USB HID');
  const root = opts.root ?? '/';
  const host: HidHost = {
    async list(): Promise<HidDeviceInfo[]> {
      try {
        return (await mod.devicesAsync()).filter((d) => d.path).map((d) => ({
          path: d.path!, vendorId: d.vendorId, productId: d.productId,
          ...(d.product !== undefined ? { product: d.product } : {}), ...(d.manufacturer !== undefined ? { manufacturer: d.manufacturer } : {}),
          ...(d.usagePage !== undefined ? { usagePage: d.usagePage } : {}), ...(d.usage !== undefined ? { usage: d.usage } : {}),
          ...(d.interface !== undefined ? { interface: d.interface } : {}),
        }));
      } catch (e) {
        throw new HalError('EIO', e instanceof Error ? e.message : String(e), { device: 'USB HID', operation: 'list', hint: 'check that libudev1 is installed', cause: e });
      }
    },
    async open(path: string): Promise<HidDevice> {
      const infos = await host.list();
      const info = infos.find((d) => d.path === path) ?? { path, vendorId: 0, productId: 0 };
      let dev: HidAsyncDevice;
      try { dev = await mod.HIDAsync.open(path); } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const denied = /cannot open|permission/i.test(msg);
        throw new HalError(denied ? 'EACCES' : 'ENOENT', msg, {
          device: `${path} (${info.vendorId.toString(16).padStart(4, '0')}:${info.productId.toString(16).padStart(4, '0')})`,
          operation: 'open', hint: denied ? HIDRAW_UDEV_HINT : 'the device is not present (unplugged?)', cause: e,
        });
      }
      return new NodeHidDevice(info, dev, root);
    },
  };
  return host;
}

class NodeHidDevice implements HidDevice {
  private readonly reportCbs = new Set<(r: Uint8Array) => void>();
  private readonly discCbs = new Set<(e: Error) => void>();
  private gone = false;

  constructor(readonly info: HidDeviceInfo, private readonly dev: HidAsyncDevice, private readonly root: string) {
    dev.on('data', (b: Buffer) => { for (const cb of [...this.reportCbs]) cb(new Uint8Array(b)); });
    // hidapi reports an unplug as a read error; the device is unusable afterwards.
    dev.on('error', (e: Error) => this.disconnect(e));
  }

  onReport(cb: (r: Uint8Array) => void): () => void { this.reportCbs.add(cb); return () => { this.reportCbs.delete(cb); }; }
  onDisconnect(cb: (e: Error) => void): () => void { this.discCbs.add(cb); return () => { this.discCbs.delete(cb); }; }

  async write(report: Uint8Array): Promise<void> {
    if (this.gone) throw new HalError('DISCONNECTED', 'device was unplugged', { device: this.info.path, operation: 'write' });
    try { await this.dev.write(Buffer.from(report)); } catch (e) {
      this.disconnect(e instanceof Error ? e : new Error(String(e)));
      throw new HalError('DISCONNECTED', e instanceof Error ? e.message : String(e), { device: this.info.path, operation: 'write', cause: e });
    }
  }

  reportDescriptor(): Promise<Uint8Array> { return readReportDescriptor(this.info.path, this.root); }

  async close(): Promise<void> { this.gone = true; try { await this.dev.close(); } catch { /* already closed */ } }

  private disconnect(e: Error): void {
    if (this.gone) return;
    this.gone = true;
    const err = new HalError('DISCONNECTED', e.message, { device: this.info.path, operation: 'read', cause: e });
    for (const cb of [...this.discCbs]) cb(err);
    void this.dev.close().catch(() => {});
  }
}
