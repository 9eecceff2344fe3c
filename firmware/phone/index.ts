/** Public surface of the phone application (composition root, simulator, tests). */
export { PhoneApp, type PhoneAppDeps, type PhoneAppOptions, type PhoneLog } from './phone-app.js';
export type { PhoneModel, CallView, LineView } from './call-model.js';
export { renderScreen, type ScreenGeometry } from './screens.js';
export { resolveKey, type KeyAction } from './keys.js';
export type { TimeFormatOptions } from './format.js';
export * from '../station/signalling.js';
