import { monthLabel, monthStart } from './periods';

/** Members by the month of their first counted order, and how many of them bought in each month since. */
export interface CohortCell {
  monthsSince: number;
  buyers: number;
  /** buyers / cohort members × 100. */
  share: number;
}

export interface Cohort {
  month: string;
  start: Date;
  members: number;
  cells: CohortCell[];
}

export interface CohortTable {
  /** Months since 0000-01 of the first and last cohort. */
  firstMonth: number;
  lastMonth: number;
  cohorts: Cohort[];
}

/**
 * The table from its counts: `sizes` cohort month → members, `buyers` (cohort month, month) → members
 * of the cohort with a counted order that month. Every cohort gets a cell for each month from its own
 * (0, always 100 %) to `lastMonth`, zero where nobody bought; a month without a first order is a cohort of 0.
 */
export function cohortTable(
  firstMonth: number,
  lastMonth: number,
  sizes: ReadonlyMap<number, number>,
  buyers: ReadonlyMap<string, number>,
): CohortTable {
  const cohorts: Cohort[] = [];
  for (let month = firstMonth; month <= lastMonth; month++) {
    const members = sizes.get(month) ?? 0;
    const cells: CohortCell[] = [];
    for (let since = 0; month + since <= lastMonth; since++) {
      const count = buyers.get(`${month}:${month + since}`) ?? 0;
      cells.push({ monthsSince: since, buyers: count, share: members === 0 ? 0 : (count / members) * 100 });
    }
    cohorts.push({ month: monthLabel(month), start: monthStart(month), members, cells });
  }
  return { firstMonth, lastMonth, cohorts };
}
