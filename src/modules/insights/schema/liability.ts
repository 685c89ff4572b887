import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import type { EarnCohort, ExpiryBucket } from '../domain/liability';
import type { LiabilityReport, PartnerFunding } from '../service';
import { Definition } from './filters';

const ExpiryBucketType = builder.objectRef<ExpiryBucket>('PointsExpiryMonth').implement({
  fields: (t) => ({
    month: t.exposeString('month', { nullable: true }),
    points: t.expose('points', { type: 'SafeInt' }),
    value: t.expose('value', { type: 'SafeInt' }),
  }),
});

const EarnCohortType = builder.objectRef<EarnCohort>('PointsEarnCohort').implement({
  fields: (t) => ({
    month: t.exposeString('month'),
    earned: t.expose('earned', { type: 'SafeInt' }),
    expired: t.expose('expired', { type: 'SafeInt' }),
    outstanding: t.expose('outstanding', { type: 'SafeInt' }),
    breakageRate: t.exposeFloat('breakageRate', { nullable: true }),
  }),
});

const WalletLiabilityType = builder.objectRef<LiabilityReport['wallet']>('WalletLiability').implement({
  fields: (t) => ({
    cash: t.expose('cash', { type: 'SafeInt' }),
    bonus: t.expose('bonus', { type: 'SafeInt' }),
    total: t.expose('total', { type: 'SafeInt' }),
  }),
});

const PartnerFundingType = builder.objectRef<PartnerFunding>('DiscountFunding').implement({
  fields: (t) => ({
    discounts: t.expose('discounts', { type: 'SafeInt' }),
    partnerFunded: t.expose('partnerFunded', { type: 'SafeInt' }),
    share: t.exposeFloat('share', { nullable: true }),
  }),
});

const LiabilityReportType = builder.objectRef<LiabilityReport>('LiabilityReport').implement({
  fields: (t) => ({
    asOf: t.expose('asOf', { type: 'DateTime' }),
    currency: t.exposeString('currency'),
    outstandingPoints: t.expose('outstandingPoints', { type: 'SafeInt' }),
    outstandingValue: t.expose('outstandingValue', { type: 'SafeInt' }),
    byExpiryMonth: t.field({ type: [ExpiryBucketType], resolve: (report) => report.byExpiryMonth }),
    wallet: t.field({ type: WalletLiabilityType, resolve: (report) => report.wallet }),
    pointsEarned: t.expose('pointsEarned', { type: 'SafeInt' }),
    pointsRedeemed: t.expose('pointsRedeemed', { type: 'SafeInt' }),
    pointsExpired: t.expose('pointsExpired', { type: 'SafeInt' }),
    redemptionRate: t.exposeFloat('redemptionRate', { nullable: true }),
    breakageRate: t.exposeFloat('breakageRate', { nullable: true }),
    earnCohorts: t.field({
      type: [EarnCohortType],
      args: { months: t.arg.int({ defaultValue: 24 }) },
      resolve: (report, args, context) => context.services.insights.earnCohorts(report.programId, report.asOf, args.months ?? 24),
    }),
    partnerFunding: t.field({
      type: PartnerFundingType,
      resolve: (report, _args, context) => context.services.insights.partnerFunding(report.programId, report.currency),
    }),
    definitions: t.field({ type: [Definition], resolve: (report) => report.definitions }),
  }),
});

builder.queryFields((t) => ({
  liability: t.field({
    type: LiabilityReportType,
    authScopes: { admin: true },
    errors: { types: [], directResult: true, union: { name: 'LiabilityResult' } },
    resolve: (_root, _args, context) => context.services.insights.liability(programIdOf(context)),
  }),
}));
