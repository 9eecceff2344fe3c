/** module.register() hooks of record-imports.ts: appends each resolved URL to the file it was given. */
import { appendFileSync } from 'node:fs';

let out = '';

export function initialize(data: { out: string }): void { out = data.out; }

type Resolved = { url: string };
type Next = (specifier: string, context: unknown) => Promise<Resolved>;

export async function resolve(specifier: string, context: unknown, next: Next): Promise<Resolved> {
  const r = await next(specifier, context);
  appendFileSync(out, `${r.url}\n`);
  return r;
}
