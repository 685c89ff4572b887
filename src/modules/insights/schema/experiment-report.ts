import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { upperCaseEnum } from '../../../graphql/enums';
import { ExperimentNotFoundError, ExperimentType, experimentIdFrom } from '../../experiments';
import { experimentMetrics, type ArmFigures, type MetricComparison } from '../domain/experiment-report';
import type { Estimate } from '../domain/statistics';
import type { ExperimentReport } from '../service';
import { Definition, Span } from './filters';

const ExperimentMetric = upperCaseEnum('ExperimentMetric', experimentMetrics);

const EstimateType = builder.objectRef<Estimate>('Estimate').implement({
  fields: (t) => ({
    value: t.exposeFloat('value'),
    low: t.exposeFloat('low', { nullable: true }),
    high: t.exposeFloat('high', { nullable: true }),
    pValue: t.exposeFloat('pValue', { nullable: true }),
    significant: t.boolean({ resolve: (estimate) => estimate.pValue !== null && estimate.pValue < 0.05 }),
  }),
});

const ArmFiguresType = builder.objectRef<ArmFigures>('ExperimentArmFigures').implement({
  fields: (t) => ({
    members: t.exposeInt('members'),
    buyers: t.exposeInt('buyers'),
    buyerRate: t.exposeFloat('buyerRate', { nullable: true }),
    retentionRate: t.exposeFloat('retentionRate', { nullable: true }),
    retentionBase: t.exposeInt('retentionBase'),
    orders: t.exposeInt('orders'),
    spend: t.expose('spend', { type: 'SafeInt' }),
    ordersPerMember: t.exposeFloat('ordersPerMember', { nullable: true }),
    spendPerMember: t.exposeFloat('spendPerMember', { nullable: true }),
    averageOrderValue: t.exposeFloat('averageOrderValue', { nullable: true }),
  }),
});

const ArmReportType = builder.objectRef<{ before: ArmFigures; during: ArmFigures }>('ExperimentArmReport').implement({
  fields: (t) => ({
    before: t.field({ type: ArmFiguresType, resolve: (arm) => arm.before }),
    during: t.field({ type: ArmFiguresType, resolve: (arm) => arm.during }),
  }),
});

const ComparisonType = builder.objectRef<MetricComparison>('ExperimentComparison').implement({
  fields: (t) => ({
    metric: t.field({ type: ExperimentMetric, resolve: (comparison) => comparison.metric }),
    treatment: t.exposeFloat('treatment', { nullable: true }),
    control: t.exposeFloat('control', { nullable: true }),
    absoluteLift: t.field({ type: EstimateType, nullable: true, resolve: (comparison) => comparison.absoluteLift }),
    relativeLift: t.field({ type: EstimateType, nullable: true, resolve: (comparison) => comparison.relativeLift }),
    differenceInDifferences: t.field({ type: EstimateType, nullable: true, resolve: (comparison) => comparison.differenceInDifferences }),
    method: t.exposeString('method'),
  }),
});

const ExperimentReportType = builder.objectRef<ExperimentReport>('ExperimentReport').implement({
  fields: (t) => ({
    experiment: t.field({ type: ExperimentType, resolve: (report) => report.experiment }),
    before: t.field({ type: Span, resolve: (report) => report.before }),
    during: t.field({ type: Span, resolve: (report) => report.during }),
    treatment: t.field({ type: ArmReportType, resolve: (report) => report.treatment }),
    control: t.field({ type: ArmReportType, resolve: (report) => report.control }),
    comparisons: t.field({ type: [ComparisonType], resolve: (report) => report.comparisons }),
    warnings: t.exposeStringList('warnings'),
    definitions: t.field({ type: [Definition], resolve: (report) => report.definitions }),
  }),
});

builder.queryFields((t) => ({
  experimentReport: t.field({
    type: ExperimentReportType,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [ExperimentNotFoundError], directResult: true, union: { name: 'ExperimentReportResult' } },
    resolve: (_root, { id }, context) => context.services.insights.experimentReport(programIdOf(context), experimentIdFrom(id)),
  }),
}));
