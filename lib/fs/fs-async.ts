/**
 * Promise forms of the node:fs calls the phone makes, over Node's callback API. Not
 * node:fs/promises: loading it also loads readline, fs streams and watchers (eight more of Node's
 * built-in modules), ~0.5 MB of a phone's RSS (docs/media.md, "Memory"). The errors are Node's own
 * (code, syscall and path), as from fs/promises.
 */
import * as fs from 'node:fs';

type Callback<T> = (err: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(start: (cb: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}

/** open(2); resolves to the file descriptor. */
export const openFd = (path: string, flags: string, mode?: number): Promise<number> =>
  call<number>((cb) => fs.open(path, flags, mode, cb));
export const closeFd = (fd: number): Promise<void> => call<void>((cb) => fs.close(fd, (e) => cb(e, undefined)));
/** fsync(2) of an open descriptor. */
export const syncFd = (fd: number): Promise<void> => call<void>((cb) => fs.fsync(fd, (e) => cb(e, undefined)));
/** Writes all of `data` from the descriptor's current position. */
export const writeFd = (fd: number, data: Uint8Array | string): Promise<void> =>
  call<void>((cb) => fs.writeFile(fd, data, (e) => cb(e, undefined)));

export const readText = (path: string): Promise<string> => call<string>((cb) => fs.readFile(path, 'utf8', cb));
export const writeWhole = (path: string, data: Uint8Array | string): Promise<void> =>
  call<void>((cb) => fs.writeFile(path, data, (e) => cb(e, undefined)));
export const listDir = (path: string): Promise<string[]> => call<string[]>((cb) => fs.readdir(path, cb));
export const renamePath = (from: string, to: string): Promise<void> => call<void>((cb) => fs.rename(from, to, (e) => cb(e, undefined)));
export const unlinkPath = (path: string): Promise<void> => call<void>((cb) => fs.unlink(path, (e) => cb(e, undefined)));
/** mkdir -p. */
export const makeDirs = (path: string): Promise<void> =>
  call<void>((cb) => fs.mkdir(path, { recursive: true }, (e) => cb(e, undefined)));
/** access(2) with `mode` (fs.constants.W_OK and the like); rejects when it is not allowed. */
export const checkAccess = (path: string, mode: number): Promise<void> => call<void>((cb) => fs.access(path, mode, (e) => cb(e, undefined)));
