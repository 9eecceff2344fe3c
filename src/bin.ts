#!/usr/bin/env node
/**
 * Executable entry: runs the CLI and turns any escaped error into one line and an exit code
 * (0 done, 1 runtime failure, 2 usage or config error). Whatever a failed start left open
 * (a listener, a timer) cannot keep the process alive: it exits within a second.
 */
import { ConfigError } from '../lib/config/config-error.js';
import { CliExit, UsageError } from './command-line.js';
import { isWorkerTask, setProgramEntry, WORKER_ARG, type WorkerTask } from './node/program-entry.js';

/** How long a finished command may take to let its last handles close before the process exits anyway. */
const EXIT_GRACE_MS = 500;

function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => {
    if (process.env['DESKPHONE_DEBUG']) console.error(`deskphone: still open at exit: ${process.getActiveResourcesInfo().join(', ')}`);
    process.exit(code);
  }, EXIT_GRACE_MS).unref();
}

/**
 * A worker thread of this program (src/node/config-off-thread.ts) runs its task, not the command
 * line: it loads only what the task needs (the CLI is imported below, for the main thread).
 * node:worker_threads is imported only when the argument a worker starts with is there
 * (program-entry.ts WORKER_ARG); true only in a worker thread with a task, false otherwise.
 */
async function runWorkerTask(): Promise<boolean> {
  if (!process.argv.includes(WORKER_ARG)) return false;
  const { isMainThread, parentPort, workerData } = await import('node:worker_threads');
  if (isMainThread || !isWorkerTask(workerData)) return false;
  const task: WorkerTask = workerData;
  const { CONFIG_TASK, runConfigTask } = await import('./node/config-off-thread.js');
  if (task.deskphoneTask !== CONFIG_TASK) throw new Error(`unknown worker task "${task.deskphoneTask}"`);
  await runConfigTask(task.input as Parameters<typeof runConfigTask>[0], (r) => parentPort!.postMessage(r));
  return true;
}

function failed(err: unknown): void {
  if (err instanceof CliExit) return finish(err.exitCode);
  if (err instanceof UsageError) return finish(2); // commander printed it
  if (err instanceof ConfigError) {
    console.error(err.message);
    return finish(2);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`deskphone: ${e.message}`);
  if (process.env['DESKPHONE_DEBUG']) console.error(e.stack);
  finish(1);
}

// No top-level await: the bundle is CommonJS (scripts/build.mjs), which has none.
setProgramEntry(import.meta.url);
void runWorkerTask().then((ranTask) => {
  if (!ranTask) return import('./cli.js').then((cli) => cli.main(process.argv.slice(2)).then(finish, failed));
});
