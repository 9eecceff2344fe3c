/**
 * The one SCCP message table (docs/architecture.md "SCCP codec contract"): every id of
 * docs/sccp.md §2, both directions, plus the derived TypeScript types and lookups.
 */
import { cmMessages } from './messages-cm.js';
import type { InputStructOf, IpAddr, MessageSpec, StructOf } from './messages-spec.js';
import { stationMessages } from './messages-station.js';

export type { FieldSpec, Gate, IpAddr, MessageSpec } from './messages-spec.js';

export const messages = [...stationMessages, ...cmMessages] as const;

type Table = (typeof messages)[number];
export type MessageName = Table['name'];
type SpecOf<N extends MessageName> = Extract<Table, { name: N }>;

/** Encoder input for message N: every field optional. */
export type FieldsOf<N extends MessageName> = InputStructOf<SpecOf<N>['fields']>;
/** Decoded fields of message N: version-gated and tail fields optional. */
export type DecodedFieldsOf<N extends MessageName> = StructOf<SpecOf<N>['fields']>;

/**
 * What message handlers take: a union keyed by name, fields typed from the table but each
 * possibly missing (handlers default them), so a decoded message and a test's partial one both fit.
 */
export type ReceivedMessage =
  | { [N in MessageName]: { name: N; fields: ReceivedFieldsOf<N> } }[MessageName]
  | { name: 'Unknown'; id?: number; fields: { raw?: Uint8Array } };

/** Fields of message N as handlers take them: DecodedFieldsOf<N> with every field (also in structs) optional. */
export type ReceivedFieldsOf<N extends MessageName> = Loose<DecodedFieldsOf<N>>;
type Loose<T> = T extends Uint8Array | IpAddr ? T
  : T extends readonly (infer E)[] ? Loose<E>[]
  : T extends object ? { [K in keyof T]?: Loose<T[K]> }
  : T;

const byId = new Map<number, MessageSpec>();
const byName = new Map<string, MessageSpec>();
for (const m of messages as readonly MessageSpec[]) {
  if (byId.has(m.id) || byName.has(m.name)) throw new Error(`SCCP table: duplicate message ${m.name} 0x${m.id.toString(16)}`);
  byId.set(m.id, m);
  byName.set(m.name, m);
}

export function messageById(id: number): MessageSpec | undefined {
  return byId.get(id);
}

export function messageByName(name: string): MessageSpec | undefined {
  return byName.get(name);
}

/** Id of a message name (compile-time checked). */
export function messageId(name: MessageName): number {
  return byName.get(name)!.id;
}
