import { decodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import { enroll } from './members';
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
  ... on MemberPayload { member { id } } ... on ReferralCodeNotFoundError { referralCode } } }`;

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

// ——— Helpers for the referral module tests (referrers, referees, lists, settings, points) ———

export const REFERRAL_NODE_FIELDS = `status rejectionReason rung rewardPoints pointsClawedBack joinedAt convertedAt confirmAfter confirmedAt`;
/** A referrer's referrals with each referee (admins and storefronts may read `referee`). */
export const REFERRALS_WITH_REFEREE = `query($id: ID!) { member(id: $id) { referrals(first: 50) { edges { node { ${REFERRAL_NODE_FIELDS} referee { id email } } } } } }`;
export const REFERRAL_SETTINGS = `{ program { referralSettings { shareBaseUrl minimumOrderAmount holdingDays rewardKind rungs { fromConversions points discountBasisPoints } capPerPeriod capPeriod } } }`;

export interface ReferralMember {
  globalId: string;
  memberId: string;
  code: string;
}

/** Enrolls a member (as admin) and reads its own referral code. */
export async function enrollReferrer(app: TestApp, email: string): Promise<ReferralMember> {
  const member = await enroll(app, { email });
  const { referralCode } = await referralProfile(app, member.globalId);
  return { globalId: member.globalId, memberId: member.memberId, code: referralCode };
}

/** Enrolls a referee with `code` (as a storefront); fails the test unless the member is created. */
export async function enrollReferee(app: TestApp, code: string, email: string): Promise<ReferralMember> {
  const result = await enrollReferred(app, { email, referralCode: code });
  expect(result.__typename, JSON.stringify(result)).toBe('MemberPayload');
  const globalId: string = result.member.id;
  const { referralCode } = await referralProfile(app, globalId);
  return { globalId, memberId: decodeGlobalID(globalId).id, code: referralCode };
}

/** A referrer's referrals, newest first, with the referee's id and email, read by an admin. */
export async function referralsOf(app: TestApp, referrerGlobalId: string) {
  const response = await app.graphql(REFERRALS_WITH_REFEREE, { id: referrerGlobalId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.member.referrals.edges as Array<{ node: Record<string, any> }>).map((edge) => edge.node);
}

/** The one referral a referee joined with, as its referrer's list shows it. */
export async function referralOf(app: TestApp, referrerGlobalId: string, refereeGlobalId: string) {
  const found = (await referralsOf(app, referrerGlobalId)).filter((referral) => referral.referee?.id === refereeGlobalId);
  expect(found, `referral of ${refereeGlobalId}`).toHaveLength(1);
  return found[0]!;
}

/** The program's referral settings, read by an admin (of acme unless a token is given). */
export async function readReferralSettings(app: TestApp, token?: string) {
  const response = await app.graphql(REFERRAL_SETTINGS, {}, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.program.referralSettings as Record<string, any>;
}

/** A member's points balance, read by an admin. */
export async function pointsOf(app: TestApp, memberGlobalId: string): Promise<number> {
  const response = await app.graphql(
    `query($id: ID!) { member(id: $id) { pointsBalance } }`,
    { id: memberGlobalId },
    await app.token({ role: 'admin' }),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.member.pointsBalance as number;
}
