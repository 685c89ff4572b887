/**
 * The insights API as the page reads it (README "Insights"; schema/schema.graphql has every field).
 * Rates and shares are percentages; amounts are minor units of the program's currency; a relative
 * lift is a fraction (0.12 = +12 %).
 */
import { request, unwrap, type ErrorResult } from './api';

export type Period = 'DAY' | 'WEEK' | 'MONTH';

const ERROR = '... on Error { code message }';

export interface ExperimentSummary {
  id: string;
  name: string;
  status: string;
  startsAt: string;
  endsAt: string;
}

export interface Session {
  programName: string;
  /** The program's currency, in which the API's amounts are minor units. */
  currency: string;
  experiments: ExperimentSummary[];
}

const SESSION = `query InsightsSession {
  program { name rules { currency } }
  experiments(first: 100) { edges { node { id name status startsAt endsAt } } }
}`;

/** Checks the token (it must be an admin's: the experiments list is admin-only) and lists the experiments. */
export async function openSession(token: string): Promise<Session> {
  const data = await request<{
    program: { name: string; rules: { currency: string } };
    experiments: { edges: Array<{ node: ExperimentSummary }> };
  }>(token, SESSION);
  return {
    programName: data.program.name,
    currency: data.program.rules.currency,
    experiments: data.experiments.edges.map((edge) => edge.node),
  };
}

export interface RetentionReport {
  from: string;
  to: string;
  customersAtStart: number;
  customersAtEnd: number;
  newCustomers: number;
  retainedCustomers: number;
  lostCustomers: number;
  rate: number | null;
  churn: number | null;
  undefinedReason: string | null;
}

export interface PurchasePeriod {
  start: string;
  end: string;
  orders: number;
  buyers: number;
  repeatPurchaseRate: number | null;
  ordersPerBuyer: number | null;
  averageOrderValue: number | null;
  averageDaysBetweenPurchases: number | null;
}

export interface RetentionOverTime {
  total: RetentionReport;
  periods: RetentionReport[];
  purchases: PurchasePeriod[];
  currency: string;
}

const RETENTION_FIELDS = 'from to customersAtStart customersAtEnd newCustomers retainedCustomers lostCustomers rate churn undefinedReason';

const RETENTION = `query InsightsRetention($from: DateTime!, $to: DateTime!, $period: InsightPeriod!, $activityWindowDays: Int!) {
  retention(from: $from, to: $to, activityWindowDays: $activityWindowDays) { __typename ... on RetentionReport { ${RETENTION_FIELDS} } ${ERROR} }
  retentionSeries(from: $from, to: $to, period: $period, activityWindowDays: $activityWindowDays) {
    __typename ... on RetentionSeries { points { ${RETENTION_FIELDS} } } ${ERROR}
  }
  purchaseSeries(from: $from, to: $to, period: $period) {
    __typename
    ... on PurchaseSeries {
      currency
      points { start end orders buyers repeatPurchaseRate ordersPerBuyer averageOrderValue averageDaysBetweenPurchases }
    }
    ${ERROR}
  }
}`;

type Typed<T, Name extends string> = T & { __typename: Name };

export interface RetentionQuery {
  from: string;
  to: string;
  period: Period;
  /** A customer at an instant: a member with an order in the days before it (365 by default). */
  activityWindowDays: number;
}

export async function retentionOverTime(token: string, variables: RetentionQuery): Promise<RetentionOverTime> {
  const data = await request<{
    retention: Typed<RetentionReport, 'RetentionReport'> | ErrorResult;
    retentionSeries: Typed<{ points: RetentionReport[] }, 'RetentionSeries'> | ErrorResult;
    purchaseSeries: Typed<{ currency: string; points: PurchasePeriod[] }, 'PurchaseSeries'> | ErrorResult;
  }>(token, RETENTION, { ...variables });
  const purchases = unwrap(data.purchaseSeries, 'PurchaseSeries');
  return {
    total: unwrap(data.retention, 'RetentionReport'),
    periods: unwrap(data.retentionSeries, 'RetentionSeries').points,
    purchases: purchases.points,
    currency: purchases.currency,
  };
}

export interface Cohort {
  month: string;
  members: number;
  cells: Array<{ monthsSince: number; buyers: number; share: number }>;
}

const COHORTS = `query InsightsCohorts($to: DateTime!, $months: Int!) {
  cohorts(to: $to, months: $months) {
    __typename ... on CohortTable { cohorts { month members cells { monthsSince buyers share } } } ${ERROR}
  }
}`;

export async function cohorts(token: string, to: string, months: number): Promise<Cohort[]> {
  const data = await request<{ cohorts: Typed<{ cohorts: Cohort[] }, 'CohortTable'> | ErrorResult }>(token, COHORTS, { to, months });
  return unwrap(data.cohorts, 'CohortTable').cohorts;
}

export interface Estimate {
  value: number;
  low: number | null;
  high: number | null;
  pValue: number | null;
  significant: boolean;
}

export type ExperimentMetric = 'BUYER_RATE' | 'RETENTION_RATE' | 'ORDERS_PER_MEMBER' | 'SPEND_PER_MEMBER' | 'AVERAGE_ORDER_VALUE';

export interface ExperimentComparison {
  metric: ExperimentMetric;
  treatment: number | null;
  control: number | null;
  absoluteLift: Estimate | null;
  relativeLift: Estimate | null;
  differenceInDifferences: Estimate | null;
}

export interface ArmFigures {
  members: number;
  buyers: number;
}

export interface ExperimentReport {
  experiment: { name: string };
  treatment: { during: ArmFigures };
  control: { during: ArmFigures };
  comparisons: ExperimentComparison[];
  warnings: string[];
}

const ESTIMATE = 'value low high pValue significant';

const EXPERIMENT_REPORT = `query InsightsExperiment($id: ID!) {
  experimentReport(id: $id) {
    __typename
    ... on ExperimentReport {
      experiment { name }
      treatment { during { members buyers } }
      control { during { members buyers } }
      comparisons {
        metric treatment control
        absoluteLift { ${ESTIMATE} } relativeLift { ${ESTIMATE} } differenceInDifferences { ${ESTIMATE} }
      }
      warnings
    }
    ${ERROR}
  }
}`;

export async function experimentReport(token: string, id: string): Promise<ExperimentReport> {
  const data = await request<{ experimentReport: Typed<ExperimentReport, 'ExperimentReport'> | ErrorResult }>(token, EXPERIMENT_REPORT, {
    id,
  });
  return unwrap(data.experimentReport, 'ExperimentReport');
}

export interface Liability {
  asOf: string;
  currency: string;
  outstandingPoints: number;
  outstandingValue: number;
  breakageRate: number | null;
  redemptionRate: number | null;
  wallet: { cash: number; bonus: number; total: number };
  byExpiryMonth: Array<{ month: string | null; points: number; value: number }>;
}

const LIABILITY = `query InsightsLiability {
  liability {
    __typename
    ... on LiabilityReport {
      asOf currency outstandingPoints outstandingValue breakageRate redemptionRate
      wallet { cash bonus total }
      byExpiryMonth { month points value }
    }
    ${ERROR}
  }
}`;

export async function liability(token: string): Promise<Liability> {
  const data = await request<{ liability: Typed<Liability, 'LiabilityReport'> | ErrorResult }>(token, LIABILITY);
  return unwrap(data.liability, 'LiabilityReport');
}
