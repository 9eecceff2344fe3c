/**
 * When V8 may optimize the phone's functions sooner. V8 counts the bytecode a function runs
 * against an "interrupt budget" (--interrupt-budget, 66 KiB by default in Node 20's V8) before it
 * considers tiering the function up to optimized (TurboFan) code.
 *
 * In a call the media functions run 50 times a second; at the default budget they reach TurboFan
 * one after another over the first ~50 s of the first call, and each compile is a CPU burst that,
 * under a 5 % CPU quota, delays RTP sends by 65–112 ms. A quarter of the budget (16 KiB) crowds those
 * compiles into the call's first seconds (docs/media.md, "JIT compiles and the 5 % quota"). During start-up, though, the
 * same low budget optimizes code that runs once — config parsing, schema checks, font and screen
 * set-up — and costs ~25 ms of CPU before the phone registers (120–133 against 144–146 ms median
 * over 12–16 interleaved starts on the bench machine), which at a 10 % quota is a quarter of a second.
 *
 * So the phone starts with V8's default and lowers the budget once it has first registered, before
 * any call can start. V8 reads the flag whenever it resets a function's budget, so the change
 * applies from then on (checked: a hot function is marked for optimization after 107 calls at the
 * default, 30 after the change at run time, the same 30 as with the flag on the command line).
 */
import type { SignallingEvent } from '../../firmware/station/signalling.js';

/** The budget in a call: a quarter of V8's default (bytes of bytecode run). */
export const CALL_INTERRUPT_BUDGET = 16384;

interface Station { onEvent(cb: (e: SignallingEvent) => void): unknown }

/**
 * Lowers V8's interrupt budget to CALL_INTERRUPT_BUDGET at `station`'s first registration.
 * `setFlags` is node:v8's setFlagsFromString (tests pass their own); resolves when it has run.
 */
export function tierUpAfterRegistration(station: Station, setFlags?: (flags: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    station.onEvent((e) => {
      if (done || e.type !== 'registration' || e.state !== 'registered') return;
      done = true;
      // node:v8 is loaded here, after start-up: its streams are already loaded by then.
      void (setFlags ? Promise.resolve(setFlags) : import('node:v8').then((v8) => v8.setFlagsFromString))
        .then((set) => { set(`--interrupt-budget=${CALL_INTERRUPT_BUDGET}`); resolve(); });
    });
  });
}
