/**
 * The `directory:` section of the call-manager config (docs/directory.md §3): the HTTP server that
 * hands phones the CM's lines as a CiscoIPPhoneDirectory. Absent = no directory server.
 */
import { z } from 'zod';

/** A CIDR network or address, checked by the caller's schema (acl.ts parseNetwork). */
export function directorySchema(network: z.ZodType<string>) {
  const http = z.strictObject({
    /** Listen address; default server.bind (phones need to reach it, like the SCCP port). */
    bind: z.string().optional(),
    // TCP 8080: where CUCM's own directory service listens (docs/directory.md §3); 0 = any free port.
    port: z.number().int().min(0).max(65535).default(8080),
    // The format's Title is at most 32 characters (docs/directory.md §1).
    title: z.string().min(1).max(32).default('Directory'),
    /** Who may query, on top of server.permit / server.deny (docs/security.md §11). */
    permit: z.array(network).default([]),
    deny: z.array(network).default([]),
  });
  return z.strictObject({ http: http.optional() });
}

export type DirectoryConfig = z.output<ReturnType<typeof directorySchema>>;
export type DirectoryHttpConfig = NonNullable<DirectoryConfig['http']>;
