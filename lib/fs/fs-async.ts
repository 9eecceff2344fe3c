/**
 * Promise forms of the node:fs calls the phone makes: Node's callback API through util.promisify.
 * Not node:fs/promises: loading it also loads readline, fs streams and watchers (eight more of
 * Node's built-in modules), ~0.5 MB of a phone's RSS (docs/media.md, "Memory"). The errors are
 * Node's own (code, syscall and path), as from fs/promises.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';

/** open(2); resolves to the file descriptor. */
export const openFd = promisify(fs.open);
export const closeFd = promisify(fs.close);
/** fsync(2) of an open descriptor. */
export const syncFd = promisify(fs.fsync);
const writeFile = promisify(fs.writeFile);
/** Writes all of `data` from the descriptor's current position. */
export const writeFd = (fd: number, data: Uint8Array | string): Promise<void> => writeFile(fd, data);
export const writeWhole = (path: string, data: Uint8Array | string): Promise<void> => writeFile(path, data);
const readFile = promisify(fs.readFile);
export const readText = (path: string): Promise<string> => readFile(path, 'utf8');
const readdir = promisify(fs.readdir);
export const listDir = (path: string): Promise<string[]> => readdir(path);
export const renamePath = promisify(fs.rename);
export const unlinkPath = promisify(fs.unlink);
const mkdir = promisify(fs.mkdir);
/** mkdir -p. */
export const makeDirs = async (path: string): Promise<void> => { await mkdir(path, { recursive: true }); };
/** access(2) with `mode` (fs.constants.W_OK and the like); rejects when it is not allowed. */
export const checkAccess = promisify(fs.access);
