import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { SegmentNotFoundError } from '../../segments';
import { TierNotFoundError } from '../../tiers';
import type { RetentionReport, PurchaseSeries } from '../service';
import type { PeriodFigures } from '../domain/series';
import type { Cohort, CohortCell, CohortTable } from '../domain/cohorts';
import { Definition, InsightPeriod, memberFilterOf } from './filters';

const admin = { admin: true };
const filterErrors = [SegmentNotFoundError, TierNotFoundError];

export const RetentionReportType = builder.objectRef<RetentionReport>('RetentionReport').implement({
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    activityWindowDays: t.exposeInt('activityWindowDays'),
    customersAtStart: t.exposeInt('customersAtStart'),
    customersAtEnd: t.exposeInt('customersAtEnd'),
    newCustomers: t.exposeInt('newCustomers'),
    retainedCustomers: t.exposeInt('retainedCustomers'),
    lostCustomers: t.exposeInt('lostCustomers'),
    rate: t.exposeFloat('rate', { nullable: true }),
    churn: t.exposeFloat('churn', { nullable: true }),
    undefinedReason: t.exposeString('undefinedReason', { nullable: true }),
    definitions: t.field({ type: [Definition], resolve: (report) => report.definitions }),
  }),
});

const RetentionSeriesType = builder
  .objectRef<{ period: 'day' | 'week' | 'month'; points: RetentionReport[] }>('RetentionSeries')
  .implement({
    fields: (t) => ({
      period: t.field({ type: InsightPeriod, resolve: (series) => series.period }),
      points: t.field({ type: [RetentionReportType], resolve: (series) => series.points }),
    }),
  });

const PurchasePeriodType = builder.objectRef<PeriodFigures>('PurchasePeriod').implement({
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
    orders: t.exposeInt('orders'),
    buyers: t.exposeInt('buyers'),
    repeatBuyers: t.exposeInt('repeatBuyers'),
    revenue: t.expose('revenue', { type: 'SafeInt' }),
    repeatPurchaseRate: t.exposeFloat('repeatPurchaseRate', { nullable: true }),
    ordersPerBuyer: t.exposeFloat('ordersPerBuyer', { nullable: true }),
    averageOrderValue: t.exposeFloat('averageOrderValue', { nullable: true }),
    averageDaysBetweenPurchases: t.exposeFloat('averageDaysBetweenPurchases', { nullable: true }),
  }),
});

const PurchaseSeriesType = builder.objectRef<PurchaseSeries>('PurchaseSeries').implement({
  fields: (t) => ({
    period: t.field({ type: InsightPeriod, resolve: (series) => series.period }),
    currency: t.exposeString('currency'),
    points: t.field({ type: [PurchasePeriodType], resolve: (series) => series.points }),
    definitions: t.field({ type: [Definition], resolve: (series) => series.definitions }),
  }),
});

const CohortCellType = builder.objectRef<CohortCell>('CohortCell').implement({
  fields: (t) => ({ monthsSince: t.exposeInt('monthsSince'), buyers: t.exposeInt('buyers'), share: t.exposeFloat('share') }),
});
const CohortType = builder.objectRef<Cohort>('Cohort').implement({
  fields: (t) => ({
    month: t.exposeString('month'),
    start: t.expose('start', { type: 'DateTime' }),
    members: t.exposeInt('members'),
    cells: t.field({ type: [CohortCellType], resolve: (cohort) => cohort.cells }),
  }),
});
const CohortTableType = builder
  .objectRef<CohortTable & { definitions: Array<{ term: string; meaning: string }> }>('CohortTable')
  .implement({
    fields: (t) => ({
      cohorts: t.field({ type: [CohortType], resolve: (table) => table.cohorts }),
      definitions: t.field({ type: [Definition], resolve: (table) => table.definitions }),
    }),
  });

builder.queryFields((t) => {
  // Every report over a time range takes the range and the same member filters.
  const range = () => ({ from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', required: true }) });
  const filters = () => ({ segmentId: t.arg.id(), tierId: t.arg.id() });
  const activityWindowDays = () => t.arg.int({ defaultValue: 365 });
  const period = () => t.arg({ type: InsightPeriod, required: true });
  const errors = (name: string) => ({ types: filterErrors, directResult: true as const, union: { name } });
  return {
    retention: t.field({
      type: RetentionReportType,
      authScopes: admin,
      args: { ...range(), activityWindowDays: activityWindowDays(), ...filters() },
      errors: errors('RetentionResult'),
      resolve: (_root, { activityWindowDays: days, ...args }, context) =>
        context.services.insights.retention(programIdOf(context), { ...args, activityWindowDays: days ?? 365, ...memberFilterOf(args) }),
    }),
    retentionSeries: t.field({
      type: RetentionSeriesType,
      authScopes: admin,
      args: { ...range(), period: period(), activityWindowDays: activityWindowDays(), ...filters() },
      errors: errors('RetentionSeriesResult'),
      resolve: (_root, { activityWindowDays: days, ...args }, context) =>
        context.services.insights.retentionSeries(programIdOf(context), {
          ...args,
          activityWindowDays: days ?? 365,
          ...memberFilterOf(args),
        }),
    }),
    purchaseSeries: t.field({
      type: PurchaseSeriesType,
      authScopes: admin,
      args: { ...range(), period: period(), ...filters() },
      errors: errors('PurchaseSeriesResult'),
      resolve: (_root, args, context) =>
        context.services.insights.purchaseSeries(programIdOf(context), { ...args, ...memberFilterOf(args) }),
    }),
    cohorts: t.field({
      type: CohortTableType,
      authScopes: admin,
      args: { months: t.arg.int({ defaultValue: 24 }), to: t.arg({ type: 'DateTime' }), ...filters() },
      errors: errors('CohortsResult'),
      resolve: (_root, args, context) =>
        context.services.insights.cohorts(programIdOf(context), {
          months: args.months ?? 24,
          to: args.to ?? null,
          ...memberFilterOf(args),
        }),
    }),
  };
});
