/** Live tshark capture on loopback: start, wait until it is capturing (tshark takes seconds to start on a loaded 2-core machine), stop with SIGINT. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Capture { file: string; stop(): Promise<void> }

export async function startCapture(filter: string, timeoutMs = 60_000): Promise<Capture> {
  const file = join(mkdtempSync(join(tmpdir(), 'deskphone-cap-')), 'cap.pcap');
  const child: ChildProcess = spawn('tshark', ['-i', 'lo', '-w', file, '-f', filter, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A tshark left running would keep the test process alive after the failure.
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
      reject(new Error(`tshark did not start capturing within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      // dumpcap prints this just before the capture is really live: give it a moment more.
      if (err.includes('Capturing on')) { clearTimeout(timer); setTimeout(resolve, 1000); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`tshark exited (${code}) before capturing: ${err}`)); });
  });
  return {
    file,
    stop: () => new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', () => resolve());
      child.kill('SIGINT');
    }),
  };
}

export function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
