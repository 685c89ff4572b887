/**
 * Retention in the period (from, to]: S customers at `from`, E customers at `to`, N of them new (a
 * customer at `to` who was not one at `from`: first-time buyers and members who came back alike).
 * A customer at an instant is a member with a counted order (not fully refunded) in the trailing
 * activity window ending at that instant: placed after (t − window) and at or before t.
 */
export interface RetentionCounts {
  customersAtStart: number;
  customersAtEnd: number;
  newCustomers: number;
}

export interface RetentionFigures extends RetentionCounts {
  /** E − N: customers at the start who still are at the end. */
  retainedCustomers: number;
  /** S − (E − N): customers at the start who are no longer at the end. */
  lostCustomers: number;
  /** ((E − N) / S) × 100, in percent; null when S = 0 (`undefinedReason` says so). */
  rate: number | null;
  /** 100 − rate, in percent; null with the rate. */
  churn: number | null;
  undefinedReason: string | null;
}

/** The rate and what follows from the three counts; N never exceeds E (it counts a subset of E's customers). */
export function retentionFigures(counts: RetentionCounts): RetentionFigures {
  const { customersAtStart: s, customersAtEnd: e, newCustomers: n } = counts;
  if (n > e || e - n > s) throw new RangeError(`inconsistent retention counts S=${s} E=${e} N=${n}`);
  const retained = e - n;
  const rate = s === 0 ? null : (retained / s) * 100;
  return {
    ...counts,
    retainedCustomers: retained,
    lostCustomers: s - retained,
    rate,
    churn: rate === null ? null : 100 - rate,
    undefinedReason: s === 0 ? 'No customers at the start of the period (S = 0): the rate divides by S, so it is undefined.' : null,
  };
}
