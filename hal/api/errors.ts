/**
 * The HAL's error contract: every hardware failure names the device, the operation and a hint
 * for the user. This is the only runtime code in hal/api, shared by drivers, emulators and bindings.
 */
export type HalErrorCode =
  | 'NACK'          // I2C address not acknowledged (device absent or unplugged)
  | 'EIO'           // bus or device I/O error
  | 'ENOENT'        // device node missing (/dev/i2c-1, /dev/gpiochip0, ALSA device)
  | 'EACCES'        // permission denied (user not in gpio/i2c/audio group, udev rule)
  | 'EBUSY'         // line or device already in use
  | 'UNAVAILABLE'   // native binding not installed or not loadable on this machine
  | 'INVALID'       // bad argument (pin not on header, value out of range)
  | 'DISCONNECTED'; // device went away while in use (USB unplug)

export interface HalErrorContext {
  device: string;     // e.g. "i2c-1@0x27 (PCF8574)", "gpiochip0 line 17", "hw:1,0"
  operation: string;  // e.g. "write", "open", "watch"
  hint?: string;      // what the user can do about it
  cause?: unknown;
}

export class HalError extends Error {
  readonly code: HalErrorCode;
  readonly device: string;
  readonly operation: string;
  readonly hint: string | undefined;
  constructor(code: HalErrorCode, message: string, ctx: HalErrorContext) {
    super(`${ctx.device}: ${ctx.operation}: ${message}${ctx.hint ? ` (hint: ${ctx.hint})` : ''}`,
      ctx.cause !== undefined ? { cause: ctx.cause } : undefined);
    this.name = 'HalError';
    this.code = code;
    this.device = ctx.device;
    this.operation = ctx.operation;
    this.hint = ctx.hint;
  }
}

export function isHalError(e: unknown, code?: HalErrorCode): e is HalError {
  return e instanceof HalError && (code === undefined || e.code === code);
}
