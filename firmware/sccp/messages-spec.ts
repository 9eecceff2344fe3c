/**
 * Field-spec vocabulary of the SCCP message table (messages-station.ts, messages-cm.ts) and the
 * TypeScript types derived from it. Layout facts: docs/sccp.md §1 (strings, addresses,
 * little-endian) and §3 (layouts). The generic walker that interprets these specs is codec.ts.
 */

/** Layout selection by negotiated protocol version and "present only if the body is long enough". */
export interface Gate {
  /** Field exists only when the negotiated protocol version is >= this (docs/sccp.md §1 table). */
  readonly minVersion?: number;
  /** Field exists only when the negotiated protocol version is <= this. */
  readonly maxVersion?: number;
  /**
   * Optional tail: 'start' begins a segment, 'more' continues it. The decoder reads a segment only
   * if the rest of the body holds all of it (otherwise it stops and ignores the remaining bytes);
   * the encoder writes the first tail segment always and later ones only when one of their fields
   * (or a field of a later segment) is given.
   */
  readonly tail?: 'start' | 'more';
}

export type PrimKind = 'u8' | 'u16' | 'u32';

/** A named-number table of enums.ts (docs/sccp.md §4): `{ Off: 1, On: 2, ... }`. */
export type SccpEnum = Readonly<Record<string, number>>;

/** Options of a numeric field: version gates plus the enum of enums.ts its values come from. */
export interface PrimOpts extends Gate {
  /** Values are names of this enum; others still decode as numbers and are listed in `unknownValues`. */
  readonly enum?: SccpEnum;
}

export type FieldSpec =
  | ({ readonly kind: PrimKind; readonly name: string; readonly enum?: SccpEnum } & Gate)
  | ({ readonly kind: 'char'; readonly name: string; readonly size: number } & Gate)
  | ({ readonly kind: 'ipv4' | 'ipv4or6'; readonly name: string } & Gate)
  | ({ readonly kind: 'bytes'; readonly name: string; readonly size: number | 'rest' } & Gate)
  | ({ readonly kind: 'pad'; readonly name: ''; readonly size: number } & Gate)
  | ({
      readonly kind: 'array';
      readonly name: string;
      /** Fixed element count, or the name of an earlier field of the same struct holding it. */
      readonly count: number | { readonly field: string; readonly max: number };
      /** Element: one field (array of values) or a list of fields (array of structs). */
      readonly of: FieldSpec | readonly FieldSpec[];
    } & Gate);

export interface MessageSpec {
  readonly id: number;
  readonly name: string;
  readonly dir: 'S2CM' | 'CM2S';
  readonly fields: readonly FieldSpec[];
}

/** ipv4or6 value (docs/sccp.md §1: u32 addrType 0=v4, 1=v6, then 16 address bytes). */
export interface IpAddr {
  family: 4 | 6;
  address: string;
}

// ---- spec constructors (const generics keep the literal names for the derived types; NoInfer keeps a
// nested constructor's options from being inferred from the enclosing array's contextual type) ----

export const u8 = <const N extends string, const G extends PrimOpts = {}>(name: N, g?: G) =>
  ({ kind: 'u8', name, ...g }) as { readonly kind: 'u8'; readonly name: N } & NoInfer<G>;
export const u16 = <const N extends string, const G extends PrimOpts = {}>(name: N, g?: G) =>
  ({ kind: 'u16', name, ...g }) as { readonly kind: 'u16'; readonly name: N } & NoInfer<G>;
export const u32 = <const N extends string, const G extends PrimOpts = {}>(name: N, g?: G) =>
  ({ kind: 'u32', name, ...g }) as { readonly kind: 'u32'; readonly name: N } & NoInfer<G>;
export const char = <const N extends string, const G extends Gate = {}>(name: N, size: number, g?: G) =>
  ({ kind: 'char', name, size, ...g }) as { readonly kind: 'char'; readonly name: N; readonly size: number } & NoInfer<G>;
export const ipv4 = <const N extends string, const G extends Gate = {}>(name: N, g?: G) =>
  ({ kind: 'ipv4', name, ...g }) as { readonly kind: 'ipv4'; readonly name: N } & NoInfer<G>;
export const ipv4or6 = <const N extends string, const G extends Gate = {}>(name: N, g?: G) =>
  ({ kind: 'ipv4or6', name, ...g }) as { readonly kind: 'ipv4or6'; readonly name: N } & NoInfer<G>;
export const bytes = <const N extends string, const G extends Gate = {}>(name: N, size: number | 'rest', g?: G) =>
  ({ kind: 'bytes', name, size, ...g }) as { readonly kind: 'bytes'; readonly name: N; readonly size: number | 'rest' } & NoInfer<G>;
export const pad = <const G extends Gate = {}>(size: number, g?: G) =>
  ({ kind: 'pad', name: '', size, ...g }) as { readonly kind: 'pad'; readonly name: ''; readonly size: number } & NoInfer<G>;
export const arr = <
  const N extends string,
  const O extends FieldSpec | readonly FieldSpec[],
  const G extends Gate = {},
>(name: N, count: number | { readonly field: string; readonly max: number }, of: O, g?: G) =>
  ({ kind: 'array', name, count, of, ...g }) as {
    readonly kind: 'array'; readonly name: N; readonly count: typeof count; readonly of: NoInfer<O>;
  } & NoInfer<G>;
export const msg = <const N extends string, const F extends readonly FieldSpec[]>(
  id: number, name: N, dir: 'S2CM' | 'CM2S', fields: F,
) => ({ id, name, dir, fields }) as const;

/** The undocumented-layout body: all bytes kept raw. */
export const rest = () => [bytes('data', 'rest')] as const;

// ---- derived value types ----

/** Value of one field as decodeMessage returns it. */
export type ValueOf<F> =
  F extends { kind: PrimKind } ? number
  : F extends { kind: 'char' | 'ipv4' } ? string
  : F extends { kind: 'ipv4or6' } ? IpAddr
  : F extends { kind: 'bytes' } ? Uint8Array
  : F extends { kind: 'array'; of: infer O } ? (
      O extends readonly FieldSpec[] ? StructOf<O>[] : ValueOf<O>[]
    )
  : never;

/** Value of one field as encodeMessage accepts it (ipv4or6 also takes a plain address string). */
export type InputOf<F> =
  F extends { kind: 'ipv4or6' } ? IpAddr | string
  : F extends { kind: 'array'; of: infer O } ? (
      O extends readonly FieldSpec[] ? InputStructOf<O>[] : InputOf<O>[]
    )
  : ValueOf<F>;

type Named<Fs extends readonly FieldSpec[]> = Exclude<Fs[number], { kind: 'pad' }>;
type IsOptional<F> = F extends { minVersion: number } | { maxVersion: number } | { tail: string } ? true : false;

/** Decoded struct: gated / tail fields are optional, the others always present. */
export type StructOf<Fs extends readonly FieldSpec[]> =
  { [F in Named<Fs> as IsOptional<F> extends true ? never : F['name']]: ValueOf<F> } &
  { [F in Named<Fs> as IsOptional<F> extends true ? F['name'] : never]?: ValueOf<F> };

/** Encoder input: every field optional (numbers default 0, strings '', arrays empty/zero slots). */
export type InputStructOf<Fs extends readonly FieldSpec[]> = { [F in Named<Fs> as F['name']]?: InputOf<F> };
