/**
 * `deskphone phone` options of the rig agent (docs/hil.md): --rig-listen [ADDR:]PORT (off unless
 * given; a bare port binds loopback), and the token from --rig-token-file FILE, the
 * DESKPHONE_RIG_TOKEN environment variable or --rig-token (visible in `ps`: for tests only).
 */
import { readFileSync } from 'node:fs';
import { parseHostPort } from './address.js';

export const RIG_AGENT_OPTIONS = {
  'rig-listen': { type: 'string', arg: '[ADDR:]PORT', help: 'serve the rig agent for hardware-in-the-loop tests (docs/hil.md); a bare port binds 127.0.0.1' },
  'rig-token': { type: 'string', arg: 'TOKEN', help: 'the agent\'s token (visible in ps: prefer --rig-token-file or DESKPHONE_RIG_TOKEN)' },
  'rig-token-file': { type: 'string', arg: 'FILE', help: 'file whose first line is the agent\'s token' },
} as const;

export interface RigListen { host: string; port: number; token: string }

/** undefined when --rig-listen is not given; throws with the fix for a bad address or missing token. */
export function rigListenOptions(v: { 'rig-listen'?: string; 'rig-token'?: string; 'rig-token-file'?: string }, env: NodeJS.ProcessEnv = process.env): RigListen | undefined {
  if (v['rig-listen'] === undefined) {
    if (v['rig-token'] !== undefined || v['rig-token-file'] !== undefined) throw new Error('--rig-token/--rig-token-file need --rig-listen [ADDR:]PORT');
    return undefined;
  }
  const spec = v['rig-listen'];
  const addr = /^\d+$/.test(spec) ? { host: '127.0.0.1', port: Number(spec) } : parseHostPort(spec, '--rig-listen', { allowZero: true });
  if (addr.port > 65535) throw new Error(`--rig-listen ${spec}: port out of range`);
  let token = v['rig-token'] ?? env.DESKPHONE_RIG_TOKEN;
  if (v['rig-token-file'] !== undefined) {
    try { token = readFileSync(v['rig-token-file'], 'utf8').split('\n')[0]!.trim(); } catch (e) {
      throw new Error(`--rig-token-file ${v['rig-token-file']}: ${(e as Error).message}`);
    }
  }
  if (!token || token.length < 8) {
    throw new Error('--rig-listen needs a token of at least 8 characters: --rig-token-file FILE (e.g. "openssl rand -hex 16 > rig.token") or DESKPHONE_RIG_TOKEN');
  }
  return { ...addr, token };
}
