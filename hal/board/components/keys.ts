/** Key names a board config may give keys (KeyName in hal/api/devices.ts; docs/board-config.md). */

/** Named keys besides 0-9 * # A-D. */
const NAMED_KEYS = ['hold', 'transfer', 'conference', 'redial', 'speaker', 'mute', 'headset', 'volup', 'voldown',
  'menu', 'directories', 'messages', 'settings', 'services', 'up', 'down', 'left', 'right', 'select', 'back', 'flash', 'park'];
export const KEY_NAMES: readonly string[] = [
  ...'0123456789*#ABCD'.split(''),
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((i) => [`softkey${i}`, `line${i}`]),
  ...NAMED_KEYS,
];
