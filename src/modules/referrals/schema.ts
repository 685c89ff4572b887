import { capPeriods, referralRewardKinds, referralStatuses, rejectionReasons, type ReferralRow, type ReferralRung } from '../../../schema';
import { builder } from '../../graphql/builder';
import { programIdOf } from '../../graphql/context';
import { connectionById } from '../../graphql/connections';
import { upperCaseEnum } from '../../graphql/enums';
import { parseInput } from '../../graphql/parse-input';
import { MemberType } from '../members';
import { ProgramType } from '../programs';
import { referralSettingsSchema, type ReferralSettings } from './domain';

const ReferralRewardKind = upperCaseEnum(
  'ReferralRewardKind',
  referralRewardKinds,
  'POINTS per conversion, or a standing DISCOUNT for the referrer',
);
const CapPeriod = upperCaseEnum('ReferralCapPeriod', capPeriods, 'Calendar periods, UTC; weeks start on Monday');
const ReferralStatus = upperCaseEnum('ReferralStatus', referralStatuses);
const RejectionReason = upperCaseEnum('ReferralRejectionReason', rejectionReasons);
const admin = { admin: true };

const ReferralRungType = builder.objectRef<ReferralRung>('ReferralRung').implement({
  fields: (t) => ({
    fromConversions: t.exposeInt('fromConversions', { description: 'From this many converted referrals on' }),
    points: t.exposeInt('points', { nullable: true, description: 'POINTS ladder: points for each conversion on this rung' }),
    discountBasisPoints: t.exposeInt('discountBasisPoints', {
      nullable: true,
      description: "DISCOUNT ladder: the referrer's standing discount, 500 = 5 %",
    }),
  }),
});

const ReferralSettingsType = builder.objectRef<ReferralSettings>('ReferralSettings').implement({
  fields: (t) => ({
    shareBaseUrl: t.exposeString('shareBaseUrl', { nullable: true }),
    minimumOrderAmount: t.expose('minimumOrderAmount', {
      type: 'SafeInt',
      description: "A referee's order converts the referral from this amount on (after discounts)",
    }),
    holdingDays: t.exposeInt('holdingDays', { description: 'Rewards wait this long for returns before they are issued' }),
    rewardKind: t.field({ type: ReferralRewardKind, resolve: (settings) => settings.rewardKind }),
    rungs: t.field({
      type: [ReferralRungType],
      resolve: (settings) => [...settings.rungs].sort((a, b) => a.fromConversions - b.fromConversions),
    }),
    capPerPeriod: t.exposeInt('capPerPeriod', { nullable: true, description: 'Most conversions per referrer per period; null: no cap' }),
    capPeriod: t.field({ type: CapPeriod, resolve: (settings) => settings.capPeriod }),
  }),
});

const ReferralType = builder.objectRef<ReferralRow>('Referral').implement({
  description: "A friend who joined with the member's code",
  fields: (t) => ({
    status: t.field({ type: ReferralStatus, resolve: (referral) => referral.status }),
    rejectionReason: t.field({ type: RejectionReason, nullable: true, resolve: (referral) => referral.rejectionReason }),
    referee: t.field({
      type: MemberType,
      nullable: true,
      description: 'Admins and storefronts only: a member never sees another member',
      authScopes: { admin: true, storefront: true },
      resolve: (referral, _args, context) =>
        context.services.members.get(referral.programId, referral.refereeId).then((member) => member ?? null),
    }),
    rung: t.exposeInt('rung', { nullable: true, description: "The referrer's rung when it converted" }),
    rewardPoints: t.exposeInt('rewardPoints', { description: 'Points this referral brings (pending until confirmed)' }),
    pointsClawedBack: t.exposeInt('pointsClawedBack'),
    joinedAt: t.expose('createdAt', { type: 'DateTime' }),
    convertedAt: t.expose('convertedAt', { type: 'DateTime', nullable: true }),
    confirmAfter: t.expose('confirmAfter', { type: 'DateTime', nullable: true, description: 'When the holding period ends' }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ReferralStandingType = builder
  .objectRef<{
    rewardKind: ReferralSettings['rewardKind'];
    conversions: number;
    number: number;
    rung: ReferralRung | null;
    next: ReferralRung | null;
  }>('ReferralStanding')
  .implement({
    fields: (t) => ({
      rewardKind: t.field({ type: ReferralRewardKind, resolve: (standing) => standing.rewardKind }),
      conversions: t.exposeInt('conversions', {
        description: 'Converted referrals that count for the ladder (DISCOUNT ladders count confirmed ones)',
      }),
      number: t.exposeInt('number', { description: 'The rung, from 1; 0 below the first' }),
      rung: t.expose('rung', { type: ReferralRungType, nullable: true }),
      next: t.expose('next', { type: ReferralRungType, nullable: true }),
    }),
  });

const ReferralStatsType = builder
  .objectRef<{
    invited: number;
    joined: number;
    converted: number;
    rejected: number;
    conversionRate: number;
    rewardsIssued: number;
    pointsIssued: number;
  }>('ReferralStats')
  .implement({
    fields: (t) => ({
      invited: t.exposeInt('invited', { description: 'Tracked visits of share links (trackReferralVisit)' }),
      joined: t.exposeInt('joined', { description: 'Members who enrolled with a referral code' }),
      converted: t.exposeInt('converted', { description: 'Referrals converted by a qualifying order (reward held or issued)' }),
      rejected: t.exposeInt('rejected'),
      conversionRate: t.exposeFloat('conversionRate', { description: 'converted / joined, 0 to 1' }),
      rewardsIssued: t.exposeInt('rewardsIssued', { description: 'Confirmed referrals' }),
      pointsIssued: t.expose('pointsIssued', { type: 'SafeInt', description: 'Referrer points issued, minus those clawed back' }),
    }),
  });

builder.objectFields(ProgramType, (t) => ({
  referralSettings: t.field({
    type: ReferralSettingsType,
    authScopes: { admin: true, storefront: true, member: true },
    resolve: (program, _args, context) => context.services.referrals.settings(program.id),
  }),
  referralStats: t.field({
    type: ReferralStatsType,
    authScopes: admin,
    resolve: (program, _args, context) => context.services.referrals.stats(program.id),
  }),
}));

builder.objectFields(MemberType, (t) => ({
  referralCode: t.string({
    description: "The member's own code to share",
    resolve: (member, _args, context) => context.services.referrals.codeOf(member.programId, member.id),
  }),
  referralLink: t.string({
    nullable: true,
    description: 'The share link; null until the program sets shareBaseUrl',
    resolve: (member, _args, context) => context.services.referrals.linkOf(member.programId, member.id),
  }),
  referrals: t.connection({
    type: ReferralType,
    description: "Friends who joined with this member's code, newest first",
    resolve: (member, args, context) => connectionById(args, (page) => context.services.referrals.list(member.programId, member.id, page)),
  }),
  referralRung: t.field({
    type: ReferralStandingType,
    resolve: (member, _args, context) => context.services.referrals.rungOf(member.programId, member.id),
  }),
}));

const ReferralRungInput = builder.inputType('ReferralRungInput', {
  fields: (t) => ({ fromConversions: t.int({ required: true }), points: t.int(), discountBasisPoints: t.int() }),
});

const ConfigureReferralsInput = builder.inputType('ConfigureReferralsInput', {
  description: 'Replaces the settings; omitted fields take their defaults',
  fields: (t) => ({
    shareBaseUrl: t.string({ description: 'e.g. https://shop.example/join; the link adds ?ref=<code>' }),
    minimumOrderAmount: t.field({ type: 'SafeInt', description: 'Default 0' }),
    holdingDays: t.int({ description: 'Default 14' }),
    rewardKind: t.field({ type: ReferralRewardKind, description: 'Default POINTS' }),
    rungs: t.field({ type: [ReferralRungInput] }),
    capPerPeriod: t.int(),
    capPeriod: t.field({ type: CapPeriod, description: 'Default MONTH' }),
  }),
});

builder.mutationFields((t) => ({
  configureReferrals: t.field({
    type: builder.objectRef<{ settings: ReferralSettings }>('ReferralSettingsPayload').implement({
      fields: (f) => ({ settings: f.field({ type: ReferralSettingsType, resolve: (payload) => payload.settings }) }),
    }),
    authScopes: admin,
    args: { input: t.arg({ type: ConfigureReferralsInput, required: true }) },
    errors: { directResult: true, union: { name: 'ConfigureReferralsResult' } },
    resolve: async (_root, { input }, context) => ({
      settings: await context.services.referrals.configure(programIdOf(context), parseInput(referralSettingsSchema, input)),
    }),
  }),
  trackReferralVisit: t.field({
    type: builder.objectRef<{ known: boolean }>('TrackReferralVisitPayload').implement({
      fields: (f) => ({ known: f.exposeBoolean('known', { description: 'False when no member has the code' }) }),
    }),
    description: 'Counts a visit of a share link (an invitation), for referralStats.invited',
    authScopes: { admin: true, storefront: true },
    args: {
      input: t.arg({
        type: builder.inputType('TrackReferralVisitInput', { fields: (f) => ({ code: f.string({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, context) => ({
      known: await context.services.referrals.trackVisit(programIdOf(context), input.code),
    }),
  }),
}));
