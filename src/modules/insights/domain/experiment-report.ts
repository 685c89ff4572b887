import type { ExperimentArm } from '../../../../schema/values';
import { newcombe, normalDifference, relativeLift, sampleOf, welch, type Estimate, type Sample } from './statistics';

/** One member's counted orders in the three windows of equal length L before and during an experiment. */
export interface MemberWindows {
  arm: ExperimentArm;
  /** [start − 2L, start − L): only whether the member bought (the "before" retention's starting customers). */
  boughtEarlier: boolean;
  /** [start − L, start) and [start, end): orders, net spend, and the sum of squares of the orders' values. */
  before: WindowOrders;
  during: WindowOrders;
}

export interface WindowOrders {
  orders: number;
  spend: number;
  orderValueSquares: number;
}

export const NO_ORDERS: WindowOrders = { orders: 0, spend: 0, orderValueSquares: 0 };

export const experimentMetrics = ['buyer_rate', 'retention_rate', 'orders_per_member', 'spend_per_member', 'average_order_value'] as const;
export type ExperimentMetric = (typeof experimentMetrics)[number];

/** One arm in one window. Rates in percent; amounts in minor units. */
export interface ArmFigures {
  members: number;
  buyers: number;
  /** buyers / members × 100. */
  buyerRate: number | null;
  /** Of the members who bought in the window before this one, the share who bought in this one, × 100. */
  retentionRate: number | null;
  retentionBase: number;
  orders: number;
  spend: number;
  ordersPerMember: number | null;
  spendPerMember: number | null;
  averageOrderValue: number | null;
}

export interface MetricComparison {
  metric: ExperimentMetric;
  /** The metric in each arm during the experiment. */
  treatment: number | null;
  control: number | null;
  /** treatment − control during the experiment (percentage points for rates). */
  absoluteLift: Estimate | null;
  /** treatment / control − 1 during the experiment. */
  relativeLift: Estimate | null;
  /** (treatment during − treatment before) − (control during − control before). */
  differenceInDifferences: Estimate | null;
  method: string;
}

export interface ExperimentComparison {
  treatment: { before: ArmFigures; during: ArmFigures };
  control: { before: ArmFigures; during: ArmFigures };
  comparisons: MetricComparison[];
  warnings: string[];
}

/** Below this many members in an arm, or this many expected successes/failures of a proportion, the report warns. */
export const MIN_GROUP_MEMBERS = 100;
export const MIN_EXPECTED_COUNT = 10;

interface ArmTotals {
  members: number;
  buyers: number;
  retentionBase: number;
  retained: number;
  ordersPerMember: Sample;
  spendPerMember: Sample;
  orderValue: Sample;
  spend: number;
}

interface Accumulator {
  members: number;
  buyers: number;
  retentionBase: number;
  retained: number;
  orders: [number, number];
  spend: [number, number];
  orderValue: [number, number, number];
  /** Per-member during − before, for the member-level differences in differences. */
  buyerDelta: [number, number];
  ordersDelta: [number, number];
  spendDelta: [number, number];
}

const emptyAccumulator = (): Accumulator => ({
  members: 0,
  buyers: 0,
  retentionBase: 0,
  retained: 0,
  orders: [0, 0],
  spend: [0, 0],
  orderValue: [0, 0, 0],
  buyerDelta: [0, 0],
  ordersDelta: [0, 0],
  spendDelta: [0, 0],
});

const add = (pair: [number, number], value: number) => {
  pair[0] += value;
  pair[1] += value * value;
};

function accumulate(into: Accumulator, window: WindowOrders, boughtBefore: boolean) {
  into.members += 1;
  if (window.orders > 0) into.buyers += 1;
  if (boughtBefore) {
    into.retentionBase += 1;
    if (window.orders > 0) into.retained += 1;
  }
  add(into.orders, window.orders);
  add(into.spend, window.spend);
  into.orderValue[0] += window.orders;
  into.orderValue[1] += window.spend;
  into.orderValue[2] += window.orderValueSquares;
}

const totalsOf = (a: Accumulator): ArmTotals => ({
  members: a.members,
  buyers: a.buyers,
  retentionBase: a.retentionBase,
  retained: a.retained,
  ordersPerMember: sampleOf(a.members, a.orders[0], a.orders[1]),
  spendPerMember: sampleOf(a.members, a.spend[0], a.spend[1]),
  orderValue: sampleOf(a.orderValue[0], a.orderValue[1], a.orderValue[2]),
  spend: a.orderValue[1],
});

const percent = (part: number, whole: number) => (whole === 0 ? null : (part / whole) * 100);
const mean = (sample: Sample) => (sample.n === 0 ? null : sample.mean);

function figuresOf(t: ArmTotals): ArmFigures {
  return {
    members: t.members,
    buyers: t.buyers,
    buyerRate: percent(t.buyers, t.members),
    retentionRate: percent(t.retained, t.retentionBase),
    retentionBase: t.retentionBase,
    orders: t.orderValue.n,
    spend: t.spend,
    ordersPerMember: mean(t.ordersPerMember),
    spendPerMember: mean(t.spendPerMember),
    averageOrderValue: mean(t.orderValue),
  };
}

const scaled = (estimate: Estimate | null, factor: number): Estimate | null =>
  estimate && {
    value: estimate.value * factor,
    low: estimate.low === null ? null : estimate.low * factor,
    high: estimate.high === null ? null : estimate.high * factor,
    pValue: estimate.pValue,
  };

const proportionVariance = (successes: number, n: number) => (n === 0 ? 0 : ((successes / n) * (1 - successes / n)) / n);

function compareProportion(
  metric: ExperimentMetric,
  pick: (t: ArmTotals) => { successes: number; n: number },
  arms: { treatment: [ArmTotals, ArmTotals]; control: [ArmTotals, ArmTotals] },
  memberDelta: { treatment: Sample; control: Sample } | null,
): MetricComparison {
  const [tb, td] = arms.treatment.map(pick) as [ReturnType<typeof pick>, ReturnType<typeof pick>];
  const [cb, cd] = arms.control.map(pick) as [ReturnType<typeof pick>, ReturnType<typeof pick>];
  const absolute = newcombe(td, cd);
  const rate = (p: { successes: number; n: number }) => (p.n === 0 ? null : p.successes / p.n);
  const [pt, pc] = [rate(td), rate(cd)];
  const relative =
    pt === null || pc === null
      ? null
      : relativeLift(
          { value: pt, varianceOfMean: proportionVariance(td.successes, td.n) },
          { value: pc, varianceOfMean: proportionVariance(cd.successes, cd.n) },
          absolute?.pValue ?? null,
        );
  const rates = [tb, td, cb, cd].map(rate);
  let did: Estimate | null = null;
  if (memberDelta) {
    const estimate = welch(memberDelta.treatment, memberDelta.control);
    did = estimate.low === null ? null : estimate;
  } else if (rates.every((value) => value !== null)) {
    const [a, b, c, d] = rates as number[];
    did = normalDifference(
      b! - a! - (d! - c!),
      [tb, td, cb, cd].reduce((total, p) => total + proportionVariance(p.successes, p.n), 0),
    );
  }
  return {
    metric,
    treatment: pt === null ? null : pt * 100,
    control: pc === null ? null : pc * 100,
    absoluteLift: scaled(absolute, 100),
    relativeLift: relative,
    differenceInDifferences: scaled(did, 100),
    method: memberDelta
      ? 'Newcombe hybrid score interval (Wilson) and pooled z-test; relative: Katz log interval; difference in differences: Welch on each member’s during − before'
      : 'Newcombe hybrid score interval (Wilson) and pooled z-test; relative: Katz log interval; difference in differences: normal approximation over the four independent proportions',
  };
}

function compareMean(
  metric: ExperimentMetric,
  pick: (t: ArmTotals) => Sample,
  arms: { treatment: [ArmTotals, ArmTotals]; control: [ArmTotals, ArmTotals] },
  memberDelta: { treatment: Sample; control: Sample } | null,
): MetricComparison {
  const [tb, td] = arms.treatment.map(pick) as [Sample, Sample];
  const [cb, cd] = arms.control.map(pick) as [Sample, Sample];
  const absolute = td.n === 0 || cd.n === 0 ? null : welch(td, cd);
  const relative =
    absolute === null
      ? null
      : relativeLift(
          { value: td.mean, varianceOfMean: td.variance / td.n },
          { value: cd.mean, varianceOfMean: cd.variance / cd.n },
          absolute.pValue,
        );
  let did: Estimate | null = null;
  if (memberDelta) {
    const estimate = welch(memberDelta.treatment, memberDelta.control);
    did = estimate.low === null ? null : estimate;
  } else if ([tb, td, cb, cd].every((sample) => sample.n > 0)) {
    did = normalDifference(
      td.mean - tb.mean - (cd.mean - cb.mean),
      [tb, td, cb, cd].reduce((total, sample) => total + sample.variance / sample.n, 0),
    );
  }
  return {
    metric,
    treatment: td.n === 0 ? null : td.mean,
    control: cd.n === 0 ? null : cd.mean,
    absoluteLift: absolute && { value: absolute.value, low: absolute.low, high: absolute.high, pValue: absolute.pValue },
    relativeLift: relative,
    differenceInDifferences: did && { value: did.value, low: did.low, high: did.high, pValue: did.pValue },
    method: memberDelta
      ? 'Welch t-interval and test; relative: delta method on the log ratio; difference in differences: Welch on each member’s during − before'
      : 'Welch t-interval and test over orders; relative: delta method on the log ratio; difference in differences: normal approximation over the four independent means',
  };
}

const ARM_NAMES: Record<ExperimentArm, string> = { treatment: 'treatment', control: 'control' };

/** Plain words for anything that makes a comparison unreliable. */
function warningsOf(arms: Record<ExperimentArm, [ArmTotals, ArmTotals]>, running: boolean): string[] {
  const warnings: string[] = [];
  if (running) warnings.push('The experiment is still running: the figures cover it up to now, not its whole length.');
  for (const arm of ['treatment', 'control'] as const) {
    const during = arms[arm][1];
    if (during.members < MIN_GROUP_MEMBERS)
      warnings.push(
        `The ${ARM_NAMES[arm]} group has ${during.members} members, fewer than ${MIN_GROUP_MEMBERS}: too small to conclude anything.`,
      );
    else if (during.buyers < MIN_EXPECTED_COUNT || during.members - during.buyers < MIN_EXPECTED_COUNT)
      warnings.push(
        `The ${ARM_NAMES[arm]} group has ${during.buyers} buyers of ${during.members} members: fewer than ${MIN_EXPECTED_COUNT} buyers or non-buyers, so the intervals of rates are unreliable.`,
      );
    if (during.retentionBase < MIN_EXPECTED_COUNT)
      warnings.push(
        `Only ${during.retentionBase} members of the ${ARM_NAMES[arm]} group bought in the period before: too few for its retention rate to mean much.`,
      );
  }
  return warnings;
}

/**
 * The comparison of the arms from each member's windows: per arm and window the figures, then per
 * metric the lift during the experiment (absolute and relative, 95 % intervals, p-values) and the
 * difference in differences against the period before. Pure: same members, same report.
 */
export function compareArms(memberWindows: Iterable<MemberWindows>, running: boolean): ExperimentComparison {
  const acc = {
    treatment: [emptyAccumulator(), emptyAccumulator()] as [Accumulator, Accumulator],
    control: [emptyAccumulator(), emptyAccumulator()] as [Accumulator, Accumulator],
  };
  for (const member of memberWindows) {
    const [before, during] = acc[member.arm];
    accumulate(before, member.before, member.boughtEarlier);
    accumulate(during, member.during, member.before.orders > 0);
    add(during.buyerDelta, Number(member.during.orders > 0) - Number(member.before.orders > 0));
    add(during.ordersDelta, member.during.orders - member.before.orders);
    add(during.spendDelta, member.during.spend - member.before.spend);
  }
  const totals = {
    treatment: acc.treatment.map(totalsOf) as [ArmTotals, ArmTotals],
    control: acc.control.map(totalsOf) as [ArmTotals, ArmTotals],
  };
  const delta = (key: 'buyerDelta' | 'ordersDelta' | 'spendDelta') => ({
    treatment: sampleOf(acc.treatment[1].members, ...acc.treatment[1][key]),
    control: sampleOf(acc.control[1].members, ...acc.control[1][key]),
  });
  const comparisons = [
    compareProportion('buyer_rate', (t) => ({ successes: t.buyers, n: t.members }), totals, delta('buyerDelta')),
    compareProportion('retention_rate', (t) => ({ successes: t.retained, n: t.retentionBase }), totals, null),
    compareMean('orders_per_member', (t) => t.ordersPerMember, totals, delta('ordersDelta')),
    compareMean('spend_per_member', (t) => t.spendPerMember, totals, delta('spendDelta')),
    compareMean('average_order_value', (t) => t.orderValue, totals, null),
  ];
  return {
    treatment: { before: figuresOf(totals.treatment[0]), during: figuresOf(totals.treatment[1]) },
    control: { before: figuresOf(totals.control[0]), during: figuresOf(totals.control[1]) },
    comparisons,
    warnings: warningsOf(totals, running),
  };
}
