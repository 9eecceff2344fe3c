/**
 * "Whole phone" rows: deskphone and baresip figures from this one run, and the ratios the issue
 * sets as targets (CPU per call ≤ 1.5× baresip, idle ≤ 0.1 % of a core, RSS ≤ 50 MB idle,
 * start → registered ≤ 0.3 s, no late sends at a 5 % quota). Machine load skews absolute figures:
 * read the ratios.
 */
import { baresipFigures, ensureBaresip } from './bench-baresip.js';
import { START_QUOTA, deskphoneFigures, figureRows, type PhoneFigures, type PhoneRow } from './bench-phone.js';

export async function wholePhoneRows(log: (s: string) => void): Promise<PhoneRow[]> {
  const g = 'Whole phone';
  log('  whole phone: deskphone phone --emulated + callmanager…\n');
  const dp = await deskphoneFigures();
  const rows = figureRows('deskphone', dp);
  const target = (name: string, value: number, unit: string, tgt: string, pass: boolean, ratio?: string): void => {
    rows.push({ group: g, name, value, unit, target: tgt, pass, ...(ratio ? { ratio } : {}) });
  };
  target('deskphone: idle CPU', dp.idlePct, '% core', '≤ 0.1 %', dp.idlePct <= 0.1);
  target('deskphone: RSS idle (emulated composition)', dp.rssIdleMb, 'MB', '≤ 50 MB', dp.rssIdleMb <= 50);
  target('deskphone: start → registered (checked copy)', dp.startMs, 'ms', '≤ 300 ms', dp.startMs <= 300);
  if (dp.quotaStartMs !== undefined) target(`deskphone: start → registered at a ${START_QUOTA} % quota`, dp.quotaStartMs, 'ms', '≤ 1500 ms', dp.quotaStartMs <= 1500);
  const at5 = dp.sweep.find((s) => s.percent === 5);
  if (at5) target('deskphone: late sends at a 5 % quota', at5.late, 'late', '0', at5.late === 0);
  const why: string[] = [];
  let bs: PhoneFigures | undefined;
  if (ensureBaresip(why)) {
    log('  whole phone: two baresip instances…\n');
    try { bs = await baresipFigures(); } catch (e) { why.push(`baresip run failed: ${(e as Error).message.split('\n')[0]}`); }
  }
  if (!bs) { for (const w of why) rows.push({ group: g, name: w, value: Number.NaN, unit: 'note' }); return rows; }
  rows.push(...figureRows('baresip', bs));
  const r = dp.callPct / bs.callPct;
  target('CPU per call: deskphone / baresip', r, '×', '≤ 1.5×', r <= 1.5, `${dp.callPct.toFixed(2)} / ${bs.callPct.toFixed(2)} % core`);
  rows.push({ group: g, name: 'idle CPU: deskphone − baresip', value: dp.idlePct - bs.idlePct, unit: '% core' });
  rows.push({ group: g, name: 'RSS idle: deskphone / baresip', value: dp.rssIdleMb / bs.rssIdleMb, unit: '×' });
  rows.push({ group: g, name: 'start: deskphone / baresip', value: dp.startMs / bs.startMs, unit: '×' });
  if (dp.quotaStartMs !== undefined && bs.quotaStartMs !== undefined) {
    rows.push({ group: g, name: `start at a ${START_QUOTA} % quota: deskphone / baresip`, value: dp.quotaStartMs / bs.quotaStartMs, unit: '×' });
  }
  return rows;
}
