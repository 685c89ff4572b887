/**
 * The value lists of enum-like columns, apart from the tables: domain rules use them without loading
 * drizzle (npm run lint:deps checks that domain files import only this from schema/ at run time).
 */

// insights
export const experimentArms = ['treatment', 'control'] as const;
export type ExperimentArm = (typeof experimentArms)[number];
export const exposureSubjects = ['offer', 'reminder', 'partner_campaign'] as const;
export type ExposureSubject = (typeof exposureSubjects)[number];
// ledger
export const ownerTypes = ['member', 'program', 'partner'] as const;
export type OwnerType = (typeof ownerTypes)[number];
// history
export const purchaseKeyKinds = ['sku', 'category'] as const;
export type PurchaseKeyKind = (typeof purchaseKeyKinds)[number];
// members
export const memberStatuses = ['active', 'erased'] as const;
export type MemberStatus = (typeof memberStatuses)[number];
// offers
export const offerStatuses = ['active', 'paused', 'archived'] as const;
export type OfferStatus = (typeof offerStatuses)[number];
// partners
export const partnerStatuses = ['active', 'suspended', 'archived'] as const;
export type PartnerStatus = (typeof partnerStatuses)[number];
export const partnerFundings = ['prepaid', 'postpaid'] as const;
export type PartnerFunding = (typeof partnerFundings)[number];
export const partnerCampaignStatuses = ['draft', 'submitted', 'active', 'paused', 'ended'] as const;
export type PartnerCampaignStatus = (typeof partnerCampaignStatuses)[number];
export const partnerPublicationStatuses = ['running', 'done'] as const;
export type PartnerPublicationStatus = (typeof partnerPublicationStatuses)[number];
// referrals
export const referralRewardKinds = ['points', 'discount'] as const;
export type ReferralRewardKind = (typeof referralRewardKinds)[number];
export const capPeriods = ['day', 'week', 'month', 'year'] as const;
export type CapPeriod = (typeof capPeriods)[number];
export const referralStatuses = ['pending', 'converted', 'confirmed', 'rejected'] as const;
export type ReferralStatus = (typeof referralStatuses)[number];
export const rejectionReasons = ['self_referral', 'not_new_to_program', 'cap_reached', 'order_refunded', 'referrer_inactive'] as const;
export type RejectionReason = (typeof rejectionReasons)[number];
// rules
export const roundingModes = ['down', 'half_up', 'up'] as const;
export type RoundingMode = (typeof roundingModes)[number];
// segments
export const segmentStatuses = ['active', 'archived'] as const;
export type SegmentStatus = (typeof segmentStatuses)[number];
// tiers
export const tierMetrics = ['spend', 'points_earned'] as const;
export type TierMetric = (typeof tierMetrics)[number];
export const tierWindows = ['rolling_months', 'calendar_year'] as const;
export type TierWindow = (typeof tierWindows)[number];
export const tierChangeReasons = ['upgrade', 'downgrade'] as const;
export const limitPeriods = ['day', 'week', 'month', 'year'] as const;
export type LimitPeriod = (typeof limitPeriods)[number];
export const limitWindows = ['calendar', 'rolling'] as const;
export type LimitWindow = (typeof limitWindows)[number];
export const pendingCounts = ['at_once', 'at_vesting'] as const;
export type PendingCount = (typeof pendingCounts)[number];
export const webhookEndpointStatuses = ['enabled', 'disabled'] as const;
export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
