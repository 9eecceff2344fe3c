/**
 * The time the phone shows and when the screen redraws for it: the header clock follows the call
 * manager's time ('timeDate': an offset to Clock.wallTime) in the CM's date template unless the board
 * configures its own format; the screen redraws at each minute of the shown time, and every second
 * while a call timer is on screen (call-list.ts), on the injected Clock.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { fromDateTemplate, msToNextMinute, type TimeFormatOptions } from './format.js';

export class ScreenClock {
  /** Offset added to clock.wallTime() so the header shows call-manager time. */
  private offsetMs = 0;
  /** Clock-row format from the call manager's date template; the board's own options win. */
  private cmFormat: TimeFormatOptions | undefined;
  private tick: TimerHandle | undefined;
  /** Redrawing every second (a call timer shows) rather than every minute. */
  perSecond = false;

  constructor(private readonly clock: Clock, private readonly opts: TimeFormatOptions, private readonly redraw: () => void) {}

  /** The shown wall time. */
  now(): Date { return new Date(this.clock.wallTime().getTime() + this.offsetMs); }

  /** The format of the clock row: the board's options, else the CM's template, else the default. */
  get format(): TimeFormatOptions {
    return { timeFormat: this.opts.timeFormat ?? this.cmFormat?.timeFormat, dateFormat: this.opts.dateFormat ?? this.cmFormat?.dateFormat, utc: this.opts.utc };
  }

  /** The CM's time; false for an invalid date (ignored). */
  setTime(date: Date): boolean {
    const t = date instanceof Date ? date.getTime() : NaN;
    if (!Number.isFinite(t)) return false;
    this.offsetMs = t - this.clock.wallTime().getTime();
    return true;
  }

  /** The CM's date template ("M/D/Y", docs/sccp.md §3 RegisterAck); false when not understood. */
  setTemplate(template: string): boolean {
    this.cmFormat = fromDateTemplate(template);
    return this.cmFormat !== undefined || !template.trim();
  }

  /**
   * (Re)arms the redraw timer: after `msToTimerSecond()` while `perSecond`, else at the next
   * minute of the shown time; each tick redraws and re-arms.
   */
  schedule(perSecond: boolean, msToTimerSecond: () => number): void {
    this.clock.clearTimeout(this.tick);
    this.perSecond = perSecond;
    this.tick = this.clock.setTimeout(() => {
      this.redraw();
      this.schedule(this.perSecond, msToTimerSecond);
    }, perSecond ? msToTimerSecond() : msToNextMinute(this.now()));
  }

  stop(): void { this.clock.clearTimeout(this.tick); this.tick = undefined; }
}
