/**
 * `deskphone status`: asks the running phone over its control socket (src/node/control.ts):
 * registration state and call manager, calls, audio devices, the last warnings and errors.
 * Readable text by default, the phone's JSON with --json. Exit 1 when no phone answers.
 */
import { existsSync } from 'node:fs';
import { parseCommandLine } from './command-line.js';
import { summaryOf } from './command-summaries.js';
import { askStatus, controlPaths, type PhoneStatus } from './node/control.js';

const SPEC = {
  name: 'status', summary: summaryOf('status'),
  options: {
    control: { type: 'string', arg: 'PATH', help: 'the phone\'s control socket (default: the first that exists of /run/deskphone/control.sock, $XDG_RUNTIME_DIR/deskphone/control.sock, /tmp/deskphone-UID/control.sock)' },
    json: { type: 'boolean', default: false, help: 'print the phone\'s answer as JSON' },
  },
  epilog: 'Example (the phone installed with `deskphone install`, running under systemd):\n  deskphone status',
} as const;

const duration = (s: number): string => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** The status as a few aligned lines. */
export function statusText(s: PhoneStatus): string {
  const row = (k: string, v: string): string => `${k.padEnd(13)} ${v}`;
  const reg = s.registration.state === 'registered' ? `registered to ${s.registration.server}`
    : `${s.registration.state}${s.registration.server ? ` (trying ${s.registration.server})` : ''}`;
  const lines = [
    `deskphone ${s.device} (${s.protocol.toUpperCase()}), pid ${s.pid}, up ${duration(s.uptimeS)}`,
    row('registration', reg),
    row('call managers', s.callManagers.join(', ')),
  ];
  if (s.calls.length === 0) lines.push(row('calls', 'none'));
  s.calls.forEach((c, i) => lines.push(row(i === 0 ? 'calls' : '', `line ${c.line}: ${c.state}${c.direction ? `, ${c.direction}` : ''}${c.number ? ` ${c.number}` : ''}${c.name ? ` ${c.name}` : ''}`)));
  if (s.audio.length === 0) lines.push(row('audio', 'none'));
  s.audio.forEach((a, i) => lines.push(row(i === 0 ? 'audio' : '', `${a.role} ${a.device}: ${a.open ? 'open' : 'not available (retrying)'}`)));
  if (s.lastErrors.length === 0) lines.push(row('last errors', 'none'));
  s.lastErrors.forEach((e, i) => lines.push(row(i === 0 ? 'last errors' : '', `${e.time} ${e.level.toUpperCase()} ${e.message}`)));
  return `${lines.join('\n')}\n`;
}

export async function statusMain(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(SPEC, argv);
  const path = values.control ?? controlPaths().find((p) => existsSync(p));
  const where = values.control ?? controlPaths().join(', ');
  if (!path) {
    process.stderr.write(`deskphone status: no phone is running: no control socket at ${where}. ` +
      'Start it with `sudo systemctl start deskphone` (see `journalctl -u deskphone` for why it stopped) or run `deskphone phone`.\n');
    return 1;
  }
  let s: PhoneStatus;
  try {
    s = await askStatus(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') {
      process.stderr.write(`deskphone status: the phone at ${path} did not answer: ${code === 'EACCES' ? 'permission denied (try sudo)' : (e as Error).message}\n`);
      return 1;
    }
    const why = code === 'ENOENT' ? `no control socket at ${path}`
      : `${path} is left over from a phone that stopped`;
    process.stderr.write(`deskphone status: no phone is running: ${why}. ` +
      'Start it with `sudo systemctl start deskphone` (see `journalctl -u deskphone` for why it stopped) or run `deskphone phone`.\n');
    return 1;
  }
  process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : statusText(s));
  return 0;
}
