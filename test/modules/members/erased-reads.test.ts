import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, key, RECORD_ORDER } from '../../support/ledger';
import { createOffer } from '../../support/offers';

const MEMBER_FIELDS = `id status email name externalId birthday erasedAt consents { email sms push } pointsBalance
  walletBalances { currency cash bonus total } lots(first: 5) { edges { node { amount remaining } } }
  transfers(first: 5) { edges { node { kind amount } } } pointsExpiringSoon(days: 30) { points }
  tier { name } tierProgress { value } tierHistory(first: 5) { edges { node { reason } } }
  availableOffers { codes offer { name } } stampCards { stamps }
  referralCode referralLink referralRung { conversions } referrals(first: 5) { edges { node { status } } }`;

/** What a members page can afford under the cost limit: every field that reads another table. */
const PAGE_FIELDS = `id status email name pointsBalance walletBalances { currency cash } tier { name } tierProgress { value }
  availableOffers { codes offer { name } } stampCards { stamps } referralCode referralRung { conversions }`;

describe('an erased member reads as what is left, never an error', () => {
  let app: TestApp;
  let admin: string;
  let erased: { globalId: string };
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.token({ role: 'admin' });
    await createOffer(app, { name: 'Ten off', effect: { percentOff: { basisPoints: 1000 } } });
    await enroll(app, { email: 'kept@example.com', name: 'Kept' });
    erased = await enroll(app, { email: 'gone@example.com', name: 'Gone', externalId: 'cus_gone' });
    const order = await app.graphql(
      RECORD_ORDER,
      { input: { memberId: erased.globalId, orderId: 'o-1', currency: 'EUR', total: 5000, idempotencyKey: key() } },
      admin,
    );
    expect(order.data?.recordOrder.__typename).toBe('RecordOrderPayload');
    const result = await app.graphql(
      `mutation($input: EraseMemberInput!) { eraseMember(input: $input) { __typename } }`,
      { input: { id: erased.globalId } },
      admin,
    );
    expect(result.data?.eraseMember.__typename).toBe('MemberPayload');
  });
  afterAll(() => closeSoundly(app));

  it('member(id) answers every field: no personal data, its ledger history, no offers', async () => {
    const response = await app.graphql(`query($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`, { id: erased.globalId }, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.member).toMatchObject({
      status: 'ERASED',
      email: null,
      name: null,
      externalId: null,
      availableOffers: [],
      stampCards: [],
      pointsBalance: 45,
    });
    expect(response.data!.member.transfers.edges).toEqual([{ node: { kind: 'EARN', amount: 45 } }]);
  });

  it('a members page holding an erased member answers the whole page', async () => {
    const response = await app.graphql(`{ members(first: 3) { edges { node { ${PAGE_FIELDS} } } } }`, {}, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const nodes = response.data!.members.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(nodes.map((node: Record<string, unknown>) => [node.status, node.email])).toEqual(
      expect.arrayContaining([
        ['ACTIVE', 'kept@example.com'],
        ['ERASED', null],
      ]),
    );
    const kept = nodes.find((node: Record<string, unknown>) => node.email === 'kept@example.com');
    expect(kept.availableOffers).toEqual([{ codes: [], offer: { name: 'Ten off' } }]);
  });
});
