/**
 * Dial plan: classifies collected digits against the directory numbers the CM knows.
 * Behaviour modelled on Asterisk chan_skinny (docs/sccp.md §5): an exact, unambiguous match is
 * dialled at once; an exact match that a longer number could still extend waits the short
 * "ambiguous" timeout; a prefix of some number waits the interdigit timeout; anything else is
 * an invalid number (reorder).
 */
export type DialMatch =
  /** Digits equal a number and no longer number starts with them: dial now. */
  | { kind: 'exact'; number: string }
  /** Digits equal a number but a longer one could follow: dial on the ambiguous timeout. */
  | { kind: 'ambiguous'; number: string }
  /** Digits are a proper prefix of at least one number: keep collecting. */
  | { kind: 'partial' }
  /** No number can match: reorder. */
  | { kind: 'none' };

export class DialPlan {
  private readonly numbers: readonly string[];
  constructor(numbers: Iterable<string>) {
    this.numbers = [...new Set(numbers)].sort();
  }

  classify(digits: string): DialMatch {
    if (digits.length === 0) return { kind: 'partial' };
    let exact = false;
    let longer = false;
    for (const n of this.numbers) {
      if (n === digits) exact = true;
      else if (n.startsWith(digits)) longer = true;
    }
    if (exact) return longer ? { kind: 'ambiguous', number: digits } : { kind: 'exact', number: digits };
    return longer ? { kind: 'partial' } : { kind: 'none' };
  }

  has(number: string): boolean { return this.numbers.includes(number); }
}
