import { expect } from 'vitest';
import type { TestApp } from './test-app';

/** GraphQL documents and helpers for referrals. */
const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;

export const CONFIGURE_REFERRALS = `mutation($input: ConfigureReferralsInput!) { configureReferrals(input: $input) { __typename ${errorFields}
  ... on ReferralSettingsPayload { settings { shareBaseUrl minimumOrderAmount holdingDays rewardKind rungs { fromConversions points discountBasisPoints } capPerPeriod capPeriod } } } }`;
export const REFERRAL_PROFILE = `query($id: ID!) { member(id: $id) { referralCode referralLink
  referralRung { rewardKind conversions number rung { fromConversions points discountBasisPoints } next { fromConversions } }
  referrals(first: 50) { edges { node { status rejectionReason rung rewardPoints pointsClawedBack convertedAt confirmAfter confirmedAt } } } } }`;
export const REFERRAL_STATS = `{ program { referralStats { invited joined converted rejected conversionRate rewardsIssued pointsIssued } } }`;
export const TRACK_VISIT = `mutation($input: TrackReferralVisitInput!) { trackReferralVisit(input: $input) { known } }`;
export const ENROLL_REFERRED = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename ${errorFields}
  ... on MemberPayload { member { id } } ... on ReferralCodeNotFound { code } } }`;

export async function configureReferrals(app: TestApp, input: Record<string, unknown>) {
  const response = await app.graphql(CONFIGURE_REFERRALS, { input }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data!.configureReferrals.__typename, JSON.stringify(response.data)).toBe('ReferralSettingsPayload');
  return response.data!.configureReferrals.settings as Record<string, any>;
}

export async function referralProfile(app: TestApp, memberId: string, token?: string) {
  const response = await app.graphql(REFERRAL_PROFILE, { id: memberId }, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const member = response.data!.member;
  return { ...member, referrals: member.referrals.edges.map((edge: { node: unknown }) => edge.node) } as Record<string, any>;
}

/** Enrolls with a referral code; returns the union member (MemberPayload or an error). */
export async function enrollReferred(app: TestApp, input: Record<string, unknown>) {
  const response = await app.graphql(ENROLL_REFERRED, { input }, await app.token({ role: 'storefront' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.enrollMember as Record<string, any>;
}

export async function referralStats(app: TestApp) {
  const response = await app.graphql(REFERRAL_STATS, {}, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.program.referralStats as Record<string, number>;
}
