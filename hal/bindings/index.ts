/**
 * Native bindings (the only importers of native packages, each loaded lazily). SystemClock and the
 * audio bindings live in their own files owned elsewhere.
 */
export { loadNative, NATIVE_FIX } from './native.js';
export { openI2cBus, mapI2cErrno, ENABLE_I2C_HINT, I2C_GROUP_HINT, type OpenI2cOptions, type I2cBusModule } from './i2c.js';
export {
  HEADER_CHIP_LABELS, listSysfsChips, pickHeaderChip, resolveHeaderBase, sysfsNumber, listCharDevChips,
  type SysfsChip, type CharDevChip,
} from './gpio-chip-base.js';
export { openSysfsGpio, mapGpioErrno, type SysfsGpioOptions, type OnoffModule } from './gpio-sysfs.js';
export {
  openLibgpiodGpio, openCliGpio, parseGpiodVersion, gpiomonArgs, gpiogetArgs, gpiosetArgs, parseGpiomonLine,
  type ChardevGpioOptions, type CliGpioOptions, type GpiodCliVersion, type LibgpiodModule,
} from './gpio-chardev.js';
export { openNodeHidHost, readReportDescriptor, reportDescriptorPath, HIDRAW_UDEV_HINT, type NodeHidHostOptions, type NodeHidModule } from './hid.js';
