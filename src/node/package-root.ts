/**
 * The directory of deskphone's package.json, found upwards from a module's URL: the same answer
 * from the compiled tree (dist/src/…), the bundle (dist/bundle/…) and an installed copy
 * (/opt/deskphone/…), whatever depth the calling module sits at.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const found = new Map<string, string>();

export function packageRoot(moduleUrl: string | URL): string {
  const start = dirname(fileURLToPath(moduleUrl));
  const hit = found.get(start);
  if (hit) return hit;
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'deskphone') { found.set(start, dir); return dir; }
      } catch { /* not ours: keep looking */ }
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of deskphone above ${start} (a broken install? reinstall with \`deskphone install\`)`);
  }
}
