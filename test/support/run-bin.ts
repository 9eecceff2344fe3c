/** Runs the built `deskphone` binary as a user would: spawn, wait for its exit, time it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));

export interface BinResult { status: number | null; signal: string | null; stdout: string; stderr: string; ms: number; killed: boolean }

/** Starts `deskphone ...args` in the repository root. */
export function startBin(args: readonly string[], env: NodeJS.ProcessEnv = {}, bin = BIN): ChildProcess & { out: string; err: string } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const c = Object.assign(child, { out: '', err: '' });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { c.out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { c.err += d; });
  return c;
}

/** Runs `deskphone ...args` to its end; a process still running after `limitMs` is killed (killed: true). */
export function runBin(args: readonly string[], limitMs = 20_000, env: NodeJS.ProcessEnv = {}): Promise<BinResult> {
  const started = Date.now();
  const c = startBin(args, env);
  let killed = false;
  const t = setTimeout(() => { killed = true; c.kill('SIGKILL'); }, limitMs);
  return new Promise((resolve) => c.on('close', (status, signal) => {
    clearTimeout(t);
    resolve({ status, signal, stdout: c.out, stderr: c.err, ms: Date.now() - started, killed });
  }));
}

/**
 * `deskphone callmanager` on a free loopback port with one line `number` (shown as `name`) and its
 * device SEP000000000 + number, listening when this returns; `dir` (a new temp folder) holds its
 * config and is where the test puts its other files. Throws with the call manager's stderr when it
 * does not listen within 15 s.
 */
export async function startLineCallManager(number: string, name: string, bin = BIN): Promise<{ port: number; dir: string; device: string; cm: ChildProcess & { err: string } }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `cm-${number}-`));
  const device = `SEP000000000${number}`;
  writeFileSync(join(dir, 'cm.yaml'), `server: { bind: 127.0.0.1, port: ${port} }\nlines:\n  - { number: "${number}", name: ${name} }\ndevices:\n  - { name: ${device}, lines: ["${number}"] }\n`);
  const cm = startBin(['callmanager', '--config', join(dir, 'cm.yaml')], {}, bin);
  if (!(await until(() => /listening on/.test(cm.err), 15_000))) { await stop(cm); throw new Error(`the call manager did not listen:\n${cm.err}`); }
  return { port, dir, device, cm };
}

/** Waits until `pred()` or `ms` passed; returns pred(). */
export async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return pred();
}

/** Stops a started binary with SIGINT and waits for its exit code. */
export function stop(c: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (c.exitCode !== null) { resolve(c.exitCode); return; }
    c.once('close', (code) => resolve(code));
    c.kill('SIGINT');
  });
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Holds a TCP port (as "another program" would); close() releases it. */
export async function holdPort(host = '0.0.0.0'): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  const port = (server.address() as { port: number }).port;
  return { port, server, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** True when something can listen on `port` (nobody holds it). */
export async function canListen(port: number, host = '0.0.0.0'): Promise<boolean> {
  const s = createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}
