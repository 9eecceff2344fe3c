/** A HID device: raw input reports in, output/feature reports out. */
export interface HidDeviceInfo {
  path: string; vendorId: number; productId: number;
  product?: string; manufacturer?: string; usagePage?: number; usage?: number; interface?: number;
}

export interface HidDevice {
  readonly info: HidDeviceInfo;
  /** Input reports; byte 0 is the report id when the device numbers its reports. */
  onReport(cb: (report: Uint8Array) => void): () => void;
  /** Called once when the device goes away (unplug); the device is unusable afterwards. */
  onDisconnect(cb: (err: Error) => void): () => void;
  /** Output report; byte 0 is the report id (0 if unnumbered). */
  write(report: Uint8Array): Promise<void>;
  /** The raw report descriptor (Linux: sysfs), for usage discovery. */
  reportDescriptor(): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface HidHost {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDevice>;
}
