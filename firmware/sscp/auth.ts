/**
 * Optional per-device shared secret for SSCP Register (deskphone extension, docs/security.md §4):
 * the phone sends HMAC-SHA256(secret, "SSCP-Register|<DEVICE>|<sid>") in <Auth digest=…/>; the
 * sid is the transport session of that Register (a fresh one per registration attempt), so a
 * recorded digest is only good for the session it was made for. The CM compares in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function registerDigest(secret: string, device: string, sid: string): string {
  return createHmac('sha256', secret).update(`SSCP-Register|${device.toUpperCase()}|${sid}`).digest('hex');
}

export function checkRegisterDigest(secret: string, device: string, sid: string, digest: unknown): boolean {
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return false;
  const want = Buffer.from(registerDigest(secret, device, sid), 'hex');
  return timingSafeEqual(want, Buffer.from(digest, 'hex'));
}
