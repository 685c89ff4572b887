import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/platform/auth/sign';
import { graphql, SECRET } from './client';

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ... on MemberPayload { member { id } } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename ... on PointsPayload { pointsBalance } } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ... on PointsPayload { pointsBalance replayed } } }`;
const BALANCE = `query($id: ID!) { member(id: $id) { pointsBalance } }`;
const AUDIT = `{ ledgerAudit { sound violations { invariant subject detail } } }`;

describe('MemberLedger Durable Object serializes value movements', () => {
  it('lets exactly 37 of 100 concurrent redemptions through for a balance that covers 37', async () => {
    const admin = await signToken(SECRET, { role: 'admin', programId: 'acme', subject: 'workerd-test' });
    const storefront = await signToken(SECRET, { role: 'storefront', programId: 'acme', subject: 'shop' });
    const enrolled = await graphql(ENROLL, { input: { email: 'hot-member@example.com' } }, admin);
    const memberId = enrolled.data.enrollMember.member.id;
    const funded = await graphql(ADJUST, { input: { memberId, points: 370, reason: 'race fixture', idempotencyKey: 'fund-hot' } }, admin);
    expect(funded.data.adjustPoints.pointsBalance).toBe(370);

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        graphql(REDEEM, { input: { memberId, points: 10, idempotencyKey: `hot-${index}` } }, storefront),
      ),
    );
    const outcomes = results.map((result) => result.data.redeemPoints.__typename);
    expect(outcomes.filter((name) => name === 'PointsPayload')).toHaveLength(37);
    expect(outcomes.filter((name) => name === 'InsufficientPointsError')).toHaveLength(63);
    expect((await graphql(BALANCE, { id: memberId }, admin)).data.member.pointsBalance).toBe(0);

    // A retry of a successful redemption answers from the first result and moves nothing.
    const succeeded = outcomes.indexOf('PointsPayload');
    const retry = await graphql(REDEEM, { input: { memberId, points: 10, idempotencyKey: `hot-${succeeded}` } }, storefront);
    expect(retry.data.redeemPoints).toMatchObject({ __typename: 'PointsPayload', replayed: true });

    expect((await graphql(AUDIT, {}, admin)).data.ledgerAudit).toEqual({ sound: true, violations: [] });
  });
});
