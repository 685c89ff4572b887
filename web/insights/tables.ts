/** The table under each chart: every value the chart shows, for screen readers and for copying. */
import * as format from './format';
import type { Cohort, ExperimentComparison, ExperimentMetric, Liability, PurchasePeriod, RetentionReport } from './queries';

/** Fills `table` with a caption, column headers and rows whose first cell heads the row. */
function fill(table: HTMLTableElement, caption: string, head: string[], rows: string[][]): void {
  table.replaceChildren();
  table.createCaption().textContent = caption;
  const headRow = table.createTHead().insertRow();
  for (const text of head) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = text;
    headRow.append(cell);
  }
  const body = table.createTBody();
  for (const values of rows) {
    const row = body.insertRow();
    values.forEach((text, index) => {
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      if (index === 0) (cell as HTMLTableCellElement).scope = 'row';
      cell.textContent = text;
      row.append(cell);
    });
  }
}

/** A summary as a description list: term → value. */
export function fillSummary(list: HTMLElement, entries: Array<[string, string]>): void {
  list.replaceChildren(
    ...entries.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

export function fillRetentionTable(
  table: HTMLTableElement,
  periods: RetentionReport[],
  purchases: PurchasePeriod[],
  currency: string,
): void {
  const money = (value: number) => format.money(value, currency);
  fill(
    table,
    'Retention and purchases per period',
    [
      'Period starting',
      'Customers at start (S)',
      'Customers at end (E)',
      'New customers (N)',
      'Retention rate',
      'Churn',
      'Orders',
      'Buyers',
      'Repeat-purchase rate',
      'Orders per buyer',
      'Average order value',
      'Average days between purchases',
    ],
    periods.map((period, index) => {
      const purchase = purchases[index];
      return [
        format.day(period.from),
        format.count(period.customersAtStart),
        format.count(period.customersAtEnd),
        format.count(period.newCustomers),
        format.optional(period.rate, format.percent),
        format.optional(period.churn, format.percent),
        format.optional(purchase?.orders ?? null),
        format.optional(purchase?.buyers ?? null),
        format.optional(purchase?.repeatPurchaseRate ?? null, format.percent),
        format.optional(purchase?.ordersPerBuyer ?? null),
        format.optional(purchase?.averageOrderValue ?? null, money),
        format.optional(purchase?.averageDaysBetweenPurchases ?? null),
      ];
    }),
  );
}

export function fillCohortTable(table: HTMLTableElement, cohorts: Cohort[]): void {
  const columns = Math.max(0, ...cohorts.map((cohort) => cohort.cells.length));
  fill(
    table,
    'Share of each cohort still buying, by months since its first order',
    ['First order', 'Members', ...Array.from({ length: columns }, (_, since) => `Month ${since}`)],
    cohorts.map((cohort) => [
      format.month(cohort.month),
      format.count(cohort.members),
      ...Array.from({ length: columns }, (_, since) => {
        const cell = cohort.cells.find((candidate) => candidate.monthsSince === since);
        return cell ? format.percent(cell.share) : '';
      }),
    ]),
  );
}

const RATES: ReadonlySet<ExperimentMetric> = new Set(['BUYER_RATE', 'RETENTION_RATE']);
const AMOUNTS: ReadonlySet<ExperimentMetric> = new Set(['SPEND_PER_MEMBER', 'AVERAGE_ORDER_VALUE']);

/** How a metric's values read: rates in percent (lifts in percentage points), amounts as money. */
function metricFormat(metric: ExperimentMetric, currency: string) {
  if (RATES.has(metric)) return { value: format.percent, lift: (value: number) => `${format.signed(value)} pp` };
  if (AMOUNTS.has(metric)) {
    return {
      value: (value: number) => format.money(value, currency),
      lift: (value: number) => `${value > 0 ? '+' : ''}${format.money(value, currency)}`,
    };
  }
  return { value: format.count, lift: format.signed };
}

export function fillExperimentTable(table: HTMLTableElement, comparisons: ExperimentComparison[], currency: string): void {
  fill(
    table,
    'Treatment against control during the experiment, with 95 % confidence intervals',
    [
      'Metric',
      'Treatment',
      'Control',
      'Absolute lift',
      'Absolute lift, 95 % CI',
      'Relative lift',
      'Relative lift, 95 % CI',
      'p-value',
      'Difference in differences',
    ],
    comparisons.map((comparison) => {
      const write = metricFormat(comparison.metric, currency);
      const { absoluteLift: absolute, relativeLift: relative, differenceInDifferences: change } = comparison;
      return [
        format.METRIC_NAMES[comparison.metric],
        format.optional(comparison.treatment, write.value),
        format.optional(comparison.control, write.value),
        format.optional(absolute?.value ?? null, write.lift),
        format.interval(absolute?.low ?? null, absolute?.high ?? null, write.lift),
        format.optional(relative?.value ?? null, format.signedPercentOfFraction),
        format.interval(relative?.low ?? null, relative?.high ?? null, format.signedPercentOfFraction),
        format.optional(absolute?.pValue ?? null, (value) => value.toPrecision(2)),
        format.optional(change?.value ?? null, write.lift),
      ];
    }),
  );
}

export function fillLiabilityTable(table: HTMLTableElement, report: Liability): void {
  fill(
    table,
    'Outstanding points by the month they expire',
    ['Expires', 'Points', 'Value'],
    report.byExpiryMonth.map((bucket) => [
      bucket.month === null ? 'never' : format.month(bucket.month),
      format.count(bucket.points),
      format.money(bucket.value, report.currency),
    ]),
  );
}
