/** Wraps UDP payloads in a pcap with text2pcap (dummy IPv4/UDP headers) and decodes it with tshark. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/oracles.js';

/** text2pcap hex dump: every packet restarts at offset 000000. */
function hexDump(pkts: readonly Uint8Array[]): string {
  return pkts.map((p) => {
    const lines: string[] = [];
    for (let o = 0; o < p.length; o += 16) {
      lines.push(`${o.toString(16).padStart(6, '0')} ${[...p.subarray(o, o + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    }
    return lines.join('\n');
  }).join('\n') + '\n';
}

/**
 * Decodes `pkts` (sent to UDP port `port`, decoded as `proto`) with tshark; returns one row per
 * packet of the requested fields, tab-separated (multi-occurrence fields comma-separated).
 */
export function tsharkFields(pkts: readonly Uint8Array[], port: number, proto: string, fields: string[], extra: string[] = []): string[][] {
  const dir = tempDir('udp-pcap');
  writeFileSync(join(dir, 'dump.txt'), hexDump(pkts));
  const pcap = join(dir, 'c.pcap');
  execFileSync('text2pcap', ['-q', '-u', `40000,${port}`, '-4', '10.0.0.2,10.0.0.1', join(dir, 'dump.txt'), pcap], { stdio: 'pipe' });
  const out = execFileSync('tshark', ['-r', pcap, '-d', `udp.port==${port},${proto}`, ...extra, '-T', 'fields',
    ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  return out.trimEnd().split('\n').map((l) => l.split('\t'));
}
