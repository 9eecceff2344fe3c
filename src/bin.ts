#!/usr/bin/env node
/** Executable entry: runs the CLI and turns any escaped error into one line and exit code 1. */
import { main } from './cli.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`deskphone: ${e.message}`);
  if (process.env['DESKPHONE_DEBUG']) console.error(e.stack);
  process.exitCode = 1;
});
