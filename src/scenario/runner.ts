/**
 * Runs a scenario's steps against a rig. Actions are physical (lift, press, softkey under a label);
 * expectations poll physical observations until they hold or the step's timeout passes, and a
 * failure reports what was expected next to what the LCD, lamps, ringer and speaker showed.
 */
import { CALL_MANAGER, MUSIC, type Expectation, type Scenario, type ScenarioStep } from './schema.js';
import type { PhoneUnderTest, ScenarioRig } from './rig.js';
import { TONE_PLANS } from './hearing.js';
import { hearingOf } from './ear.js';
import { MUSIC_WINDOW_MS } from './music.js';

export interface StepResult { index: number; step: string; ok: boolean; ms: number; detail?: string }

export class ScenarioFailure extends Error {
  constructor(readonly scenario: string, readonly index: number, readonly step: string, readonly observed: string,
    /** The steps run so far, the failed one last (reporters). */
    readonly results: StepResult[] = []) {
    super(`${scenario}: step ${index + 1} (${step}) failed:\n${observed}`);
    this.name = 'ScenarioFailure';
  }
}

const POLL_MS = 25;
/**
 * A ringer watched from its wire can only be called "off" once it has stayed silent longer than the
 * longest silent gap of a ring cadence (inside ring: 2 s on / 4 s off, hal/drivers/ringer.ts), so a
 * `ringer: off` expectation gets that much extra time on top of the step's timeout.
 */
const RINGER_OFF_EXTRA_MS = 4000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function describeStep(step: ScenarioStep): string {
  const [kind, arg] = Object.entries(step)[0]!;
  if (typeof arg === 'string' || typeof arg === 'number') return `${kind} ${arg}`;
  return `${kind} ${Object.entries(arg as object).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`;
}

/** True when `cell` could be `label` shortened to fit the cell: "Ansr" for "Answer", "Redl" for "Redial". */
export function abbreviates(cell: string, label: string): boolean {
  if (!cell || cell[0] !== label[0]) return false;
  let j = 0;
  for (const ch of label) if (ch === cell[j]) j++;
  return j === cell.length;
}

/** Softkey slot (1-based) whose cell on the bottom LCD row shows `label` (in full or abbreviated). */
export function softkeyUnder(phone: PhoneUnderTest, label: string): number | undefined {
  const rows = phone.lcd();
  const bottom = rows[rows.length - 1] ?? '';
  const n = phone.softkeyCount();
  const width = Math.floor(bottom.length / n);
  const want = label.toLowerCase();
  for (let i = 0; i < n; i++) {
    const cell = bottom.slice(i * width, i === n - 1 ? undefined : (i + 1) * width).trim().toLowerCase();
    if (cell && (cell === want || cell.startsWith(want) || abbreviates(cell, want))) return i + 1;
  }
  return undefined;
}

export async function observe(phone: PhoneUnderTest, rig: ScenarioRig): Promise<string> {
  const lcd = phone.lcd().map((r) => `      |${r}|`).join('\n');
  const lamps = Object.entries(phone.lamps()).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)';
  const others = [...rig.phones.values()].map((p) => p.micFrequency);
  const speaker = await hearingOf(phone).describe(others).catch((e: Error) => `(not heard: ${e.message})`);
  return `    ${phone.name} LCD:\n${lcd}\n    lamps: ${lamps}\n    ringer: ${phone.ringer()}\n    speaker: ${speaker}`;
}

/** Checks one expectation now; returns undefined when it holds, else what differs. */
async function check(e: Expectation, phone: PhoneUnderTest, rig: ScenarioRig): Promise<string | undefined> {
  const rows = phone.lcd();
  if (e.row !== undefined && e.row > rows.length) return `the LCD has ${rows.length} rows, no row ${e.row}`;
  const text = e.row !== undefined ? rows[e.row - 1]! : rows.join('\n');
  const where = e.row !== undefined ? `LCD row ${e.row}` : 'LCD';
  if (e.lcd !== undefined && !new RegExp(e.lcd, 'm').test(text)) return `${where} does not match /${e.lcd}/`;
  if (e.lcdNot !== undefined && new RegExp(e.lcdNot, 'm').test(text)) return `${where} matches /${e.lcdNot}/`;
  if (e.codec !== undefined) {
    const c = await phone.receiveCodec();
    if (c !== e.codec) return `the receive stream's codec is ${c ?? 'none (no receive stream open)'}, expected ${e.codec}`;
  }
  for (const [lamp, mode] of Object.entries(e.lamp ?? {})) {
    const actual = phone.lamps()[lamp];
    if (actual === undefined) return `phone has no lamp "${lamp}"`;
    if (actual !== mode) return `lamp ${lamp} is ${actual}, expected ${mode}`;
  }
  if (e.ringer !== undefined) {
    const r = phone.ringer();
    const ok = e.ringer === 'on' ? r !== 'off' : r === e.ringer;
    if (!ok) return `ringer is ${r}, expected ${e.ringer}`;
  }
  if (e.tone !== undefined) {
    const window = e.window ?? (e.tone === 'busy' || e.tone === 'reorder' ? 1600 : e.tone === 'ringback' ? 300 : 200);
    const got = await hearingOf(phone).tone(window);
    if (got !== e.tone) return `tone heard is ${got}, expected ${e.tone}`;
  }
  for (const [which, negate] of [[e.hears, false], [e.hearsNot, true]] as const) {
    if (which === undefined) continue;
    if (which === MUSIC) {
      const v = await hearingOf(phone).music([...rig.phones.values()].map((p) => p.micFrequency), e.window ?? MUSIC_WINDOW_MS);
      if (v.music === negate) return `${negate ? 'hears' : 'does not hear'} music on hold: ${v.why}`;
      continue;
    }
    const freq = typeof which === 'number' ? which : rig.phones.get(which)!.micFrequency;
    const heard = await hearingOf(phone).present([freq], e.window ?? 200);
    if (heard === negate) return `${negate ? 'hears' : 'does not hear'} ${typeof which === 'string' ? `${which} (${freq} Hz)` : `${freq} Hz`}`;
  }
  return undefined;
}

async function expectWithin(e: Expectation, phone: PhoneUnderTest, rig: ScenarioRig, timeoutMs: number): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  // A tone cadence needs history: give busy/reorder a full window before judging.
  let why = await check(e, phone, rig);
  while (why !== undefined && Date.now() < until) {
    await sleep(POLL_MS);
    why = await check(e, phone, rig);
  }
  return why;
}

export async function runScenario(s: Scenario, rig: ScenarioRig, log: (line: string) => void = () => {}): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of s.steps.entries()) {
    const started = Date.now();
    const label = describeStep(step);
    const phoneOf = (name: string) => rig.phones.get(name)!;
    let failure: { phone?: PhoneUnderTest; why: string } | undefined;
    if ('lift' in step) await phoneOf(step.lift).lift();
    else if ('replace' in step) await phoneOf(step.replace).replace();
    else if ('restart' in step && step.restart === CALL_MANAGER) {
      if (!rig.restartCallManager) failure = { why: 'this rig cannot restart the call manager (an external one, or a hardware rig)' };
      else await rig.restartCallManager();
    } else if ('restart' in step) await phoneOf(step.restart).restart();
    else if ('press' in step) for (const k of step.press.keys) await phoneOf(step.press.phone).tap(k);
    else if ('key' in step) await phoneOf(step.key.phone).tap(step.key.name);
    else if ('wait' in step) await sleep(step.wait);
    else if ('softkey' in step) {
      const phone = phoneOf(step.softkey.phone);
      const until = Date.now() + s.timeout + (phone.latencyMs ?? 0);
      let slot = softkeyUnder(phone, step.softkey.label);
      while (slot === undefined && Date.now() < until) { await sleep(POLL_MS); slot = softkeyUnder(phone, step.softkey.label); }
      if (slot === undefined) failure = { phone, why: `no softkey labelled "${step.softkey.label}" on the bottom row` };
      else await phone.tap(`softkey${slot}`);
    } else if ('expect' in step) {
      const phone = phoneOf(step.expect.phone);
      const extra = (step.expect.ringer === 'off' && !phone.ringerOffIsImmediate ? RINGER_OFF_EXTRA_MS : 0) + (phone.latencyMs ?? 0);
      const why = await expectWithin(step.expect, phone, rig, (step.expect.within ?? s.timeout) + extra);
      if (why !== undefined) failure = { phone, why };
    }
    const ms = Date.now() - started;
    if (failure) {
      const observed = `  expected: ${label}\n  but: ${failure.why}\n${failure.phone ? await observe(failure.phone, rig) : ''}`;
      results.push({ index, step: label, ok: false, ms, detail: observed });
      log(`  ✗ ${index + 1}. ${label}`);
      throw new ScenarioFailure(s.name, index, label, observed, results);
    }
    results.push({ index, step: label, ok: true, ms });
    log(`  ✓ ${index + 1}. ${label} (${ms} ms)`);
  }
  return results;
}

export { TONE_PLANS };
