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

/** The words of the report, returned with every report so a reader never has to guess. */
export const retentionDefinitions = (activityWindowDays: number) => [
  {
    term: 'customer',
    meaning: `A member with at least one counted order placed in the ${activityWindowDays} days up to and including the instant (after t − ${activityWindowDays} days, at or before t).`,
  },
  { term: 'counted order', meaning: 'An order of a member that is not fully refunded; a partly refunded order counts, at its net value.' },
  { term: 'S', meaning: 'Customers at the start of the period (at `from`).' },
  { term: 'E', meaning: 'Customers at the end of the period (at `to`).' },
  {
    term: 'N',
    meaning:
      'New customers: customers at the end who were not customers at the start (first-time buyers and lapsed members who came back). A member who became a customer and lapsed again within the period is in neither E nor N.',
  },
  { term: 'retention rate', meaning: '((E − N) / S) × 100, in percent; undefined when S = 0.' },
  { term: 'churn', meaning: '100 − retention rate, in percent.' },
];
