/**
 * Address permit/deny lists in the manner of Asterisk skinny.conf `permit=` / `deny=`
 * (docs/security.md §2). Entries are CIDR networks ("192.168.1.0/24", "fd00::/8") or single
 * addresses. Evaluation follows the usual Asterisk idiom `deny=0.0.0.0/0.0.0.0` then
 * `permit=<lan>`: start allowed, a matching `deny` denies, a matching `permit` allows again.
 * IPv4-mapped IPv6 addresses (RFC 4291 §2.5.5.2) are checked as the IPv4 address they carry.
 * Uses node:net BlockList for the prefix matching.
 */
import { BlockList, isIP } from 'node:net';

export interface AclSpec { permit?: readonly string[]; deny?: readonly string[] }

/** Parses "a.b.c.d/len", "x::/len" or a plain address; returns an error text when it is neither. */
export function parseNetwork(s: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | string {
  const [addr = '', len, extra] = s.trim().split('/');
  const v = isIP(addr);
  if (v === 0 || extra !== undefined) return `"${s}" is not an address or CIDR network (e.g. 192.168.1.0/24, fd00::/8)`;
  const max = v === 4 ? 32 : 128;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (len !== undefined && !/^\d+$/.test(len))) {
    return `"${s}": prefix length must be 0-${max}`;
  }
  return { address: addr, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

function blockList(nets: readonly string[] | undefined): BlockList | undefined {
  if (!nets || nets.length === 0) return undefined;
  const b = new BlockList();
  for (const n of nets) {
    const p = parseNetwork(n);
    if (typeof p === 'string') throw new Error(`address list: ${p}`);
    b.addSubnet(p.address, p.prefix, p.family);
  }
  return b;
}

/** Plain IPv4 for an IPv4-mapped IPv6 address, else the address unchanged (lowercase). */
export const plainAddress = (a: string): string => a.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

export class Acl {
  private readonly permit: BlockList | undefined;
  private readonly deny: BlockList | undefined;
  constructor(spec: AclSpec = {}) {
    this.permit = blockList(spec.permit);
    this.deny = blockList(spec.deny);
  }
  get empty(): boolean { return !this.permit && !this.deny; }
  allows(address: string): boolean {
    const a = plainAddress(address);
    const fam = isIP(a) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(a) === 0) return this.empty;
    let ok = true;
    if (this.deny?.check(a, fam)) ok = false;
    if (this.permit?.check(a, fam)) ok = true;
    return ok;
  }
}
