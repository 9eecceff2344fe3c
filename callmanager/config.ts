/**
 * Call-manager configuration: YAML validated with zod through the shared loader
 * (lib/config/yaml-config.ts), so every problem names file:line:col, key path and a did-you-mean.
 *
 * Shape (see callmanager/examples/two-phones.yaml):
 *   server:   { bind, port, keepalive, dateTemplate, version, name, codecs, sscpPort?, sscpBind? }
 *   lines:    [{ number, name, label?, maxCalls? (4), busyTrigger? (2), transfer?: consult|blind, noAnswerSeconds? }]
 *   devices:  [{ name: SEPxxxxxxxxxxxx, type, lines: [number...], speeddials: [{number, label, blf?}], protocol?: sccp|sscp }]  (blf: docs/features.md §3)
 *   dialplan: { firstDigitTimeout, interdigitTimeout, ambiguousTimeout, terminator }
 *   conference: { maxParticipants }   moh: { enabled, file? }   meetme: [{ number, name?, maxParticipants? }]  (docs/conference.md)
 *   pickupGroups: [{ number, name?, lines: [number...] }]  (docs/features.md §2 "Call pickup")
 *   storage:  { path }   (docs/state.md)
 *   park:     { timeout (60 s), groups: [{ slots: "701-709", lines: [number...], timeout? }] }   campOn: { timeout (1800 s) }
 *             (docs/features.md §2 "Group call park", "Callback at busy")
 *   directory: { http?: { bind?, port (8080), title, permit, deny } }   (docs/directory.md §3)
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { YamlSource, loadConfig, type ConfigProblem } from '../lib/config/yaml-config.js';
import { parseNetwork } from './acl.js';
import { directorySchema } from './directory/config.js';

/** Known Cisco device types by model name (docs/sccp.md §4 "Device types"). */
export const DEVICE_TYPES: Readonly<Record<string, number>> = {
  '7910': 6, '7960': 7, '7940': 8, '7935': 9, '7941': 115, '7971': 119, '7911': 307, '7906': 369,
  '7962': 404, '7942': 434, '7945': 435, '7965': 436, '7975': 437, '7905': 20000, '7970': 30006,
  '7912': 30007, '7961': 30018, 'cipc': 30016,
};

const digits = z.string().regex(/^[0-9*#]{1,23}$/, 'a directory number: 1-23 of 0-9 * # (SCCP char[24], docs/sccp.md §3 LineStat)');

/** A CIDR network or address for permit/deny (docs/security.md §2, Asterisk skinny.conf permit/deny). */
const network = z.string().superRefine((v, ctx) => {
  const p = parseNetwork(v);
  if (typeof p === 'string') ctx.addIssue({ code: 'custom', message: p });
});

const serverSchema = z.strictObject({
  // Phones on a LAN need a LAN address or the wildcard 0.0.0.0 ("::" for IPv6); the shipped example
  // configs bind 127.0.0.1 (docs/security.md §1). With a LAN bind, set permit/deny below.
  bind: z.string().default('0.0.0.0'),
  // TCP 2000 = SCCP (docs/sccp.md §1).
  port: z.number().int().min(0).max(65535).default(2000),
  // Seconds; RegisterAck.keepAliveInterval. Cisco default 30 s (docs/features.md §5); Asterisk minimum honoured 10 s,
  // but tests may use 1 s.
  keepalive: z.number().int().min(1).max(3600).default(30),
  // RegisterAck.dateTemplate is char[6], all 6 bytes usable (docs/sccp.md §3 RegisterAck): "M/D/YA" = 12-hour clock.
  dateTemplate: z.string().max(6).default('M/D/Y'),
  // Version (0x0098) char[16].
  version: z.string().max(15).default('deskphone-cm-1'),
  // ServerRes names are char[48].
  name: z.string().max(47).default('deskphone'),
  // Highest SCCP protocol version negotiated with stations: 11 keeps hdr-0 IPv4 layouts (docs/sccp.md §1
  // "Recommendation"); 17 enables ipv4or6 addresses for IPv6 phones (§1); v18+ layouts are not supported.
  maxProtocolVersion: z.number().int().min(1).max(17).default(11),
  // Codec allow list in preference order: the first one both phones advertise is used.
  codecs: z.array(z.enum(['ulaw', 'alaw', 'g722'])).min(1).default(['ulaw', 'alaw', 'g722']),
  // Behave like another call manager where it differs (callmanager/features/chan-skinny.ts): 'chan_skinny' =
  // Asterisk 20 chan_skinny (in-band busy/congestion, default softkey set once, label in the display name, ...).
  compat: z.enum(['none', 'chan_skinny']).default('none'),
  // UDP port for SSCP phones (docs/sscp.md §4: 5070 by convention); absent = no SSCP listener.
  sscpPort: z.number().int().min(0).max(65535).optional(),
  // SSCP bind address; default `bind`. "::" listens on IPv6 and IPv4 (mapped) at once.
  sscpBind: z.string().optional(),
  // Seconds a new SCCP connection may take to register before it is dropped (Asterisk skinny.conf
  // authtimeout, default 30 s); nothing but Register is answered before that (docs/security.md §3).
  authTimeout: z.number().positive().max(3600).default(30),
  // SCCP connections at once, in total and from one address (docs/security.md §3).
  maxConnections: z.number().int().min(1).max(100_000).default(256),
  maxConnectionsPerAddress: z.number().int().min(1).max(100_000).default(8),
  // Who may connect at all (SCCP and SSCP): Asterisk-style deny then permit (callmanager/acl.ts).
  permit: z.array(network).default([]),
  deny: z.array(network).default([]),
  // Transfer soft key: 'consult' (CUCM default: hold, dial, talk to the target, Transfer again) or
  // 'blind' (the far party is sent to the dialled number at once); a line's `transfer` overrides it (docs/features.md §2).
  transfer: z.enum(['consult', 'blind']).default('consult'),
});

const lineSchema = z.strictObject({
  number: digits,
  // LineStat lineFullyQualifiedDisplayName char[40], CallInfo names char[40].
  name: z.string().max(39),
  // LineStat lineTextLabel char[40]; default = name.
  label: z.string().max(39).optional(),
  // Calls a device may hold on this line at once (CUCM "maximum number of calls", default 4), and the
  // count at which a further incoming call gets busy instead of call waiting (CUCM "busy trigger", default 2).
  maxCalls: z.number().int().min(1).max(16).default(4),
  busyTrigger: z.number().int().min(1).max(16).default(2),
  transfer: z.enum(['consult', 'blind']).optional(),
  // Seconds a call rings unanswered before forward-no-answer (or the mailbox) takes it; default
  // voicemail.noAnswerSeconds (docs/features.md §2 "Forward busy / no answer").
  noAnswerSeconds: z.number().positive().max(600).optional(),
}).refine((l) => l.busyTrigger <= l.maxCalls, { message: 'busyTrigger may not exceed maxCalls', path: ['busyTrigger'] });

const speedDialSchema = z.strictObject({
  number: digits,
  // SpeedDialStat speedDialDisplayName char[40].
  label: z.string().max(39),
  // Busy-lamp field (features/blf.ts): true makes the key's lamp show the presence of the line it
  // dials (when that is a line of this CM), like a CUCM "BLF speed dial" or a chan_skinny hint.
  blf: z.boolean().optional(),
});

const deviceSchema = z.strictObject({
  name: z.string().regex(/^SEP[0-9A-F]{12}$/i, 'a device name: "SEP" + 12 hex digits of the MAC (docs/sccp.md §3 Register)')
    .transform((s) => s.toUpperCase()),
  type: z.union([z.number().int().min(1), z.string()]).default(7960),
  lines: z.array(digits).min(1),
  speeddials: z.array(speedDialSchema).default([]),
  /** Optional override of soft-key sets: set name → list of soft-key names. */
  softkeys: z.record(z.string(), z.array(z.string())).optional(),
  /** Which station protocol may register this device; absent = either (SCCP over TCP, SSCP over UDP, docs/sscp.md). */
  protocol: z.enum(['sccp', 'sscp']).optional(),
  /** RTP path (docs/rtp-proxy.md §2): 'direct' phone to phone, 'proxy' always through the CM's RTP proxy. */
  media: z.enum(['direct', 'proxy']).default('direct'),
  /** The RTP proxy's address in this device's address space (docs/rtp-proxy.md §3). */
  proxyAddress: z.string().refine((s) => isIP(s) !== 0, 'an IPv4 or IPv6 address').optional(),
  /** Unanswered/busy calls to this device's lines go to its mailbox (callmanager/features/voicemail.ts). */
  voicemail: z.boolean().default(false),
  /** Addresses this device may register from, on top of the server's list (docs/security.md §2). */
  permit: z.array(network).default([]),
  deny: z.array(network).default([]),
  /** SSCP only: shared secret the phone proves in Register (deskphone extension, docs/security.md §4). */
  secret: z.string().min(8).max(128).optional(),
});

const dialplanSchema = z.strictObject({
  // Seconds. Asterisk chan_skinny: 16 s for the first digit, 8 s afterwards, 3 s when ambiguous (docs/sccp.md §5).
  firstDigitTimeout: z.number().positive().max(600).default(15),
  interdigitTimeout: z.number().positive().max(600).default(8),
  ambiguousTimeout: z.number().positive().max(600).default(3),
  /** A key that dials what has been collected so far. */
  terminator: z.enum(['#', '*', '']).default('#'),
});

/** Third-party call control (docs/tsp.md §3): who may click-to-dial which phone. */
const tspSchema = z.strictObject({
  /** Loopback by default: TSP is a local service unless configured otherwise (docs/tsp.md §3). */
  bind: z.string().default('127.0.0.1'),
  // TCP 5001: deskphone's default TSP port (docs/tsp.md §3; AddPac documents none).
  port: z.number().int().min(0).max(65535).default(5001),
  users: z.array(z.strictObject({ name: z.string().min(1).max(64), secret: z.string().min(1).max(128),
    device: z.string().transform((s) => s.toUpperCase()) })).default([]),
});

/** RTP proxy local addresses per family (docs/rtp-proxy.md §3); default: the CM's signalling address, else loopback. */
const rtpProxySchema = z.strictObject({
  ipv4: z.string().refine((s) => isIP(s) === 4, 'an IPv4 address').optional(),
  ipv6: z.string().refine((s) => isIP(s) === 6, 'an IPv6 address').optional(),
});

/** The CM's own voicemail (callmanager/features/voicemail.ts); per device `voicemail: true` enables a mailbox. */
const voicemailSchema = z.strictObject({
  /** Number a phone dials to hear its messages (chan-sccp/Asterisk convention *97, docs/features.md §6). */
  number: digits.default('*97'),
  /** Seconds of ringing before the CM answers for the callee (CFwdNoAnswer-like, docs/features.md §6). */
  noAnswerSeconds: z.number().positive().max(600).default(15),
  /** Directory for recorded messages (WAV); absent = `voicemail/` beside a storage.path file, else memory only. */
  dir: z.string().optional(),
  /** Longest message kept, seconds. */
  maxSeconds: z.number().positive().max(600).default(120),
});

/** The CM's conference bridge (docs/conference.md): participants mixed N−1 by the call manager itself. */
const conferenceSchema = z.strictObject({
  /** Participants per conference, the initiator included (docs/conference.md). */
  maxParticipants: z.number().int().min(3).max(32).default(6),
});

/** Music on hold (docs/conference.md "Music on hold"). */
const mohSchema = z.strictObject({
  /** Music to held parties (docs/conference.md "Music on hold"); false: a held party hears silence. */
  enabled: z.boolean().default(true),
  /** 16-bit mono PCM WAV at 8 or 16 kHz, looped; absent = the built-in melody. */
  file: z.string().min(1).optional(),
});

/** A meet-me conference number: calls to it join one shared bridge (docs/conference.md "Meet-me"). */
const meetmeSchema = z.strictObject({
  number: digits,
  name: z.string().max(39).optional(),
  /** Participants of this room; default conference.maxParticipants. */
  maxParticipants: z.number().int().min(2).max(32).optional(),
});

/** A call pickup group (docs/features.md §2 "Call pickup"): PickUp answers a call ringing on another line of the presser's group, GPickUp one in the group dialled. */
const pickupGroupSchema = z.strictObject({
  /** What GPickUp dials to name this group. */
  number: digits,
  name: z.string().max(39).optional(),
  /** Member lines (numbers under `lines`); a line is in at most one group. */
  lines: z.array(digits).min(1),
});

/** A slot range "701-709" (first-last, equal length, ≤ 100 slots) or one slot "701" (docs/features.md §2 "Group call park"). */
const slotRange = z.string().regex(/^[0-9*#]{1,23}(-[0-9]{1,23})?$/, 'a park slot "701" or a range "701-709"').superRefine((v, ctx) => {
  const m = /^([0-9]+)-([0-9]+)$/.exec(v);
  if (!m) { if (v.includes('-')) ctx.addIssue({ code: 'custom', message: 'a range is digits-digits, e.g. "701-709"' }); return; }
  const [a, b] = [m[1]!, m[2]!];
  if (a.length !== b.length) ctx.addIssue({ code: 'custom', message: `range ends "${a}" and "${b}" must have the same number of digits` });
  else if (BigInt(b) < BigInt(a)) ctx.addIssue({ code: 'custom', message: `range "${v}" ends before it starts` });
  else if (BigInt(b) - BigInt(a) >= 100n) ctx.addIssue({ code: 'custom', message: `range "${v}" has ${BigInt(b) - BigInt(a) + 1n} slots, at most 100 per group` });
});

/** Group call park (docs/features.md §2 "Group call park"): slots a group's lines park calls on. */
const parkGroupSchema = z.strictObject({
  slots: slotRange,
  /** The lines whose phones park on (and retrieve from) these slots. */
  lines: z.array(digits).min(1),
  /** Seconds before park reversion for this group; default park.timeout. */
  timeout: z.number().positive().max(3600).optional(),
});
const parkSchema = z.strictObject({
  /** Seconds a parked call waits before it rings back the parker (park reversion). */
  timeout: z.number().positive().max(3600).default(60),
  groups: z.array(parkGroupSchema).default([]),
});

/** Callback at busy (docs/features.md §2 "Callback at busy"). */
const campOnSchema = z.strictObject({
  /** Seconds a callback stays set before it expires (default 30 min). */
  timeout: z.number().positive().max(7 * 86400).default(1800),
});

/** The slot numbers of a range "701-709" (or of one slot "701"), in order. */
export function slotNumbers(range: string): string[] {
  const m = /^([0-9]+)-([0-9]+)$/.exec(range);
  if (!m) return [range];
  const a = BigInt(m[1]!); const b = BigInt(m[2]!); const w = m[1]!.length;
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(n.toString().padStart(w, '0'));
  return out;
}

/** Durable state (docs/state.md §2): forwards, DND, redial, the voicemail index, call detail records. */
const storageSchema = z.strictObject({
  /** SQLite database file; ':memory:' (the default) keeps nothing across a restart (tests, simulator). */
  path: z.string().min(1).default(':memory:'),
});

export const callManagerSchema = z.strictObject({
  server: serverSchema.default(() => serverSchema.parse({})),
  lines: z.array(lineSchema).min(1),
  devices: z.array(deviceSchema).min(1),
  dialplan: dialplanSchema.default(() => dialplanSchema.parse({})),
  tsp: tspSchema.optional(),
  rtpProxy: rtpProxySchema.optional(),
  voicemail: voicemailSchema.default(() => voicemailSchema.parse({})),
  conference: conferenceSchema.default(() => conferenceSchema.parse({})),
  moh: mohSchema.default(() => mohSchema.parse({})),
  meetme: z.array(meetmeSchema).default([]),
  pickupGroups: z.array(pickupGroupSchema).default([]),
  storage: storageSchema.default(() => storageSchema.parse({})),
  park: parkSchema.default(() => parkSchema.parse({})),
  campOn: campOnSchema.default(() => campOnSchema.parse({})),
  /** The HTTP directory server for SCCP phones (callmanager/directory/, docs/directory.md §3). */
  directory: directorySchema(network).default({}),
});

export type CallManagerConfig = z.output<typeof callManagerSchema>;
export type LineConfig = z.output<typeof lineSchema>;
export type VoicemailConfig = z.output<typeof voicemailSchema>;
export type ConferenceConfig = z.output<typeof conferenceSchema>;
export type MohConfig = z.output<typeof mohSchema>;
export type MeetmeConfig = z.output<typeof meetmeSchema>;
export type PickupGroupConfig = z.output<typeof pickupGroupSchema>;
export type ParkConfig = z.output<typeof parkSchema>;
export type DeviceConfig = z.output<typeof deviceSchema> & { type: number };

/** Soft-key names accepted in a `softkeys` override (see sccp/templates.ts SOFTKEY_NAMES). */
export const SOFTKEY_SET_NAMES = ['OnHook', 'Connected', 'OnHold', 'RingIn', 'OffHook', 'ConnectedTransferable',
  'DigitsFollowing', 'ConnectedConference', 'RingOut', 'OffHookWithFeatures'] as const;
export const SOFTKEY_NAMES = ['Redial', 'NewCall', 'Hold', 'Transfer', 'CFwdAll', 'CFwdBusy', 'CFwdNoAnswer',
  'BackSpace', 'EndCall', 'Resume', 'Answer', 'Info', 'Confrn', 'Park', 'Join', 'MeetMe', 'PickUp', 'GPickUp',
  'DND', 'iDivert', 'Dial', 'RmLstC', 'CallBack'] as const;

function crossCheck(cfg: z.output<typeof callManagerSchema>, src: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const numbers = new Map<string, number>();
  cfg.lines.forEach((l, i) => {
    const first = numbers.get(l.number);
    if (first !== undefined) problems.push(src.problem(['lines', i, 'number'], `duplicate line number "${l.number}" (first defined at lines[${first}])`));
    else numbers.set(l.number, i);
  });
  const names = new Map<string, number>();
  const owner = new Map<string, string>();
  cfg.devices.forEach((d, i) => {
    const first = names.get(d.name);
    if (first !== undefined) problems.push(src.problem(['devices', i, 'name'], `duplicate device "${d.name}" (first defined at devices[${first}])`));
    else names.set(d.name, i);
    if (typeof d.type === 'string' && DEVICE_TYPES[d.type.toLowerCase()] === undefined && !/^\d+$/.test(d.type)) {
      problems.push(src.problem(['devices', i, 'type'], `unknown device type "${d.type}" (known: ${Object.keys(DEVICE_TYPES).join(', ')}, or a number)`));
    }
    d.lines.forEach((n, j) => {
      if (!numbers.has(n)) {
        const near = [...numbers.keys()].find((k) => k.length === n.length && [...k].filter((c, x) => c !== n[x]).length === 1);
        problems.push(src.problem(['devices', i, 'lines', j], `unknown line "${n}": not defined under "lines"${near ? ` (did you mean "${near}"?)` : ''}`));
      } else if (owner.has(n) && owner.get(n) !== d.name) {
        problems.push(src.problem(['devices', i, 'lines', j], `line "${n}" is already assigned to device ${owner.get(n)} (shared lines are not supported)`));
      } else owner.set(n, d.name);
    });
    if (d.softkeys) {
      for (const [set, keys] of Object.entries(d.softkeys)) {
        if (!(SOFTKEY_SET_NAMES as readonly string[]).includes(set)) {
          problems.push(src.problem(['devices', i, 'softkeys', set], `unknown soft-key set "${set}" (known: ${SOFTKEY_SET_NAMES.join(', ')})`));
        }
        keys.forEach((k, j) => {
          if (!(SOFTKEY_NAMES as readonly string[]).includes(k)) {
            problems.push(src.problem(['devices', i, 'softkeys', set, j], `unknown soft key "${k}" (known: ${SOFTKEY_NAMES.join(', ')})`));
          }
        });
        // SoftKeySetRes: 16 template indexes per set (docs/sccp.md §3).
        if (keys.length > 16) problems.push(src.problem(['devices', i, 'softkeys', set], `at most 16 soft keys per set, got ${keys.length}`));
      }
    }
  });
  const rooms = new Map<string, number>();
  cfg.meetme.forEach((m, i) => {
    const clash = rooms.has(m.number) ? `meetme[${rooms.get(m.number)}]` : numbers.has(m.number) ? `lines[${numbers.get(m.number)}]`
      : m.number === cfg.voicemail.number ? 'voicemail.number' : undefined;
    if (clash) problems.push(src.problem(['meetme', i, 'number'], `meet-me number "${m.number}" is already used by ${clash}`));
    rooms.set(m.number, i);
  });
  const groups = new Map<string, number>();
  const member = new Map<string, number>();
  cfg.pickupGroups.forEach((g, i) => {
    const clash = groups.has(g.number) ? `pickupGroups[${groups.get(g.number)}]` : numbers.has(g.number) ? `lines[${numbers.get(g.number)}]`
      : rooms.has(g.number) ? `meetme[${rooms.get(g.number)}]` : g.number === cfg.voicemail.number ? 'voicemail.number' : undefined;
    if (clash) problems.push(src.problem(['pickupGroups', i, 'number'], `pickup group number "${g.number}" is already used by ${clash}`));
    groups.set(g.number, i);
    g.lines.forEach((n, j) => {
      if (!numbers.has(n)) problems.push(src.problem(['pickupGroups', i, 'lines', j], `unknown line "${n}": not defined under "lines"`));
      else if (member.has(n) && member.get(n) !== i) problems.push(src.problem(['pickupGroups', i, 'lines', j], `line "${n}" is already in pickupGroups[${member.get(n)}] (a line is in one pickup group)`));
      else if (member.get(n) === i) problems.push(src.problem(['pickupGroups', i, 'lines', j], `line "${n}" is listed twice`));
      else member.set(n, i);
    });
  });
  problems.push(...parkCheck(cfg, src, numbers, rooms, groups));
  const users = new Set<string>();
  cfg.tsp?.users.forEach((u, i) => {
    if (users.has(u.name)) problems.push(src.problem(['tsp', 'users', i, 'name'], `duplicate TSP user "${u.name}"`));
    users.add(u.name);
    if (!names.has(u.device)) problems.push(src.problem(['tsp', 'users', i, 'device'], `unknown device "${u.device}": not defined under "devices"`));
  });
  return problems;
}

/** Park slots clash with nothing else the dial plan knows (pickup group numbers too); a group's lines exist and are in one group only. */
function parkCheck(cfg: z.output<typeof callManagerSchema>, src: YamlSource, lines: Map<string, number>, rooms: Map<string, number>,
  pickup: Map<string, number>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const slots = new Map<string, number>();
  const grouped = new Map<string, number>();
  cfg.park.groups.forEach((g, i) => {
    for (const s of slotNumbers(g.slots)) {
      const clash = slots.has(s) ? `park.groups[${slots.get(s)}]` : lines.has(s) ? `lines[${lines.get(s)}]`
        : rooms.has(s) ? `meetme[${rooms.get(s)}]` : pickup.has(s) ? `pickupGroups[${pickup.get(s)}]`
        : s === cfg.voicemail.number ? 'voicemail.number' : undefined;
      if (clash) { problems.push(src.problem(['park', 'groups', i, 'slots'], `park slot "${s}" is already used by ${clash}`)); break; }
      slots.set(s, i);
    }
    g.lines.forEach((n, j) => {
      if (!lines.has(n)) problems.push(src.problem(['park', 'groups', i, 'lines', j], `unknown line "${n}": not defined under "lines"`));
      else if (grouped.has(n)) problems.push(src.problem(['park', 'groups', i, 'lines', j], `line "${n}" is already in park.groups[${grouped.get(n)}]`));
      else grouped.set(n, i);
    });
  });
  return problems;
}

function normalise(cfg: z.output<typeof callManagerSchema>): CallManagerConfig {
  // `type` is a model name ("7960", 7960, "cipc") or else a raw SCCP deviceType number.
  for (const d of cfg.devices) d.type = DEVICE_TYPES[String(d.type).toLowerCase()] ?? Number(d.type);
  return cfg;
}

/** Parses and validates call-manager YAML text; throws ConfigError naming file:line:col and key path. */
export function parseCallManagerConfig(text: string, file = '<callmanager config>'): CallManagerConfig {
  const src = new YamlSource(file, text);
  return normalise(loadConfig(src, callManagerSchema, { crossCheck }));
}

/** Reads, parses and validates a call-manager config file. */
export function loadCallManagerConfig(file: string): CallManagerConfig {
  const src = YamlSource.fromFile(file);
  return normalise(loadConfig(src, callManagerSchema, { crossCheck }));
}
