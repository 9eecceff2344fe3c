export * from './clock.js';
export * from './errors.js';
export * from './gpio.js';
export * from './i2c.js';
export * from './hid.js';
export * from './pcm.js';
export * from './devices.js';
export * from './storage.js';
