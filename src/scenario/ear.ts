/**
 * Hearing questions about a phone's earpiece: asked of the board when it analyses its own audio
 * (PhoneUnderTest.hearing, the rig agent), else answered here from the samples heard() returns.
 */
import { describeHeard, identifyTone, present } from './hearing.js';
import { musicHeard } from './music.js';
import type { OnBoardHearing, PhoneUnderTest } from './rig.js';

/** The window of the failure report's "speaker:" line (docs/scenarios.md). */
const DESCRIBE_MS = 200;

export function hearingOf(phone: PhoneUnderTest): OnBoardHearing {
  if (phone.hearing) return phone.hearing;
  return {
    tone: async (windowMs) => { const h = phone.heard(windowMs); return identifyTone(h.samples, h.sampleRate); },
    present: async (freqs, ms) => { const h = phone.heard(ms); return present(h.samples, h.sampleRate, freqs); },
    describe: async (extra) => { const h = phone.heard(DESCRIBE_MS); return describeHeard(h.samples, h.sampleRate, extra); },
    music: async (exclude, ms) => { const h = phone.heard(ms); return musicHeard(h.samples, h.sampleRate, exclude); },
  };
}
