/**
 * The running program's entry module (dist/src/bin.js, or dist/bundle/deskphone.js when the build
 * bundled it), set by bin.ts. Worker threads of deskphone start from the same entry, which then
 * runs the task named in their workerData instead of the command line (bin.ts). Undefined when the
 * CLI runs inside another program (tests calling main()): work meant for a worker then runs inline.
 */
let entry: URL | undefined;

export function setProgramEntry(url: string): void { entry = new URL(url); }
export function programEntry(): URL | undefined { return entry; }

/**
 * The argument a deskphone worker thread starts with (Worker's argv option appends it to the
 * worker's process.argv). bin.ts looks for it before it loads node:worker_threads, so the main
 * thread of a phone never loads that module (~9 ms of a start's CPU alone, docs/media.md); the
 * worker then confirms with isMainThread and its workerData.
 */
export const WORKER_ARG = '--deskphone-worker-task';

/** workerData of a deskphone worker thread: which task it runs and the task's input. */
export interface WorkerTask<T = unknown> { deskphoneTask: string; input: T }

export function isWorkerTask(d: unknown): d is WorkerTask {
  return typeof d === 'object' && d !== null && typeof (d as WorkerTask).deskphoneTask === 'string';
}
