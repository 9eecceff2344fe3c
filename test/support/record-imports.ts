/**
 * `node --import <this file>`: records every module URL the main thread resolves into the file
 * named by DESKPHONE_RECORD_IMPORTS (one per line), through a module.register() resolve hook
 * (record-imports-hooks.ts). Worker threads run this too (they inherit --import) but register
 * nothing: what a worker loads is not the running program's to keep.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const out = process.env['DESKPHONE_RECORD_IMPORTS'];
if (out && isMainThread) register(new URL('./record-imports-hooks.js', import.meta.url), { data: { out } });
