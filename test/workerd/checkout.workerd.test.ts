import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/platform/auth/sign';
import { graphql, SECRET } from './client';

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ... on MemberPayload { member { id } } } }`;
const CREATE_OFFER = `mutation($input: CreateOfferInput!) { createOffer(input: $input) { __typename ... on OfferPayload { offer { id } } } }`;
const CREATE_CODE = `mutation($input: CreatePromoCodeInput!) { createPromoCode(input: $input) { __typename } }`;
const CHECKOUT = `discount { amount } pointsEarned appliedOffers { code discount } notApplied { code reason } lines { discount }`;
const QUOTE = `query($cart: QuoteCartInput!) { quote(cart: $cart) { __typename ... on Quote { ${CHECKOUT} } } }`;
const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on RecordOrderPayload { replayed ${CHECKOUT} } } }`;
const AUDIT = `{ ledgerAudit { sound } }`;

describe('checkout through the MemberLedger Durable Object', () => {
  it('records a quoted cart exactly as quoted, and a single-use code raced by 10 members is redeemed once', async () => {
    const admin = await signToken(SECRET, { role: 'admin', programId: 'acme', subject: 'workerd-test' });
    const storefront = await signToken(SECRET, { role: 'storefront', programId: 'acme', subject: 'shop' });
    const offer = await graphql(
      CREATE_OFFER,
      { input: { name: 'Opening', codeRequired: true, effect: { percentOff: { basisPoints: 2000 } } } },
      admin,
    );
    const offerId = offer.data.createOffer.offer.id;
    expect(
      (await graphql(CREATE_CODE, { input: { offerId, code: 'WORKERD-ONCE', maxUses: 1 } }, admin)).data.createPromoCode.__typename,
    ).toBe('PromoCodePayload');
    const members = await Promise.all(
      Array.from(
        { length: 10 },
        async (_, index) =>
          (await graphql(ENROLL, { input: { email: `checkout-${index}@example.com` } }, admin)).data.enrollMember.member.id as string,
      ),
    );
    const cart = { currency: 'EUR', total: 2_500, lines: [{ sku: 'BEANS', quantity: 2, unitPrice: 1_000 }], codes: ['workerd-once'] };
    const quoted = await graphql(QUOTE, { cart: { ...cart, memberId: members[0] } }, storefront);
    expect(quoted.data.quote).toMatchObject({ discount: { amount: 500 }, pointsEarned: 20, lines: [{ discount: 400 }] });

    const results = await Promise.all(
      members.map((memberId, index) =>
        graphql(RECORD, { input: { ...cart, memberId, orderId: `workerd-${index}`, idempotencyKey: `workerd-${index}` } }, storefront),
      ),
    );
    const recorded = results.map((result) => result.data.recordOrder);
    expect(recorded.every((payload) => payload.__typename === 'RecordOrderPayload')).toBe(true);
    const withCode = recorded.filter((payload) => payload.appliedOffers.length === 1);
    expect(withCode).toHaveLength(1);
    const { __typename: _payload, replayed: _replayed, ...asRecorded } = withCode[0];
    const { __typename: _quote, ...asQuoted } = quoted.data.quote;
    expect(asRecorded).toEqual(asQuoted);
    expect(
      recorded.filter((payload) => payload.notApplied.some((entry: { reason: string }) => entry.reason === 'CODE_ALREADY_USED')),
    ).toHaveLength(9);
    expect((await graphql(AUDIT, {}, admin)).data.ledgerAudit.sound).toBe(true);
  });

  it('records a guest order placed earlier with a wallet payment refused, and a member claims it, through the Durable Objects', async () => {
    const admin = await signToken(SECRET, { role: 'admin', programId: 'acme', subject: 'workerd-test' });
    const storefront = await signToken(SECRET, { role: 'storefront', programId: 'acme', subject: 'shop' });
    const memberId = (await graphql(ENROLL, { input: { email: 'claimer@example.com' } }, admin)).data.enrollMember.member.id as string;
    const placedAt = new Date(Date.now() - 3_600_000).toISOString();
    const refused = await graphql(
      `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on InsufficientWalletBalanceError { available } } }`,
      {
        input: {
          currency: 'EUR',
          total: 1_000,
          orderId: 'workerd-guest',
          idempotencyKey: 'workerd-guest-wallet',
          placedAt,
          walletPayment: { amount: 100, currency: 'EUR' },
        },
      },
      storefront,
    );
    expect(refused.data.recordOrder).toEqual({ __typename: 'InsufficientWalletBalanceError', available: 0 });
    const guest = await graphql(
      RECORD,
      { input: { currency: 'EUR', total: 1_000, orderId: 'workerd-guest', idempotencyKey: 'workerd-guest', placedAt } },
      storefront,
    );
    expect(guest.data.recordOrder).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 10 });
    const claimed = await graphql(
      `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename ... on ClaimOrderPayload { pointsEarned pointsBalance } } }`,
      { input: { orderId: 'workerd-guest', memberId, idempotencyKey: 'workerd-claim' } },
      storefront,
    );
    expect(claimed.data.claimOrder).toEqual({ __typename: 'ClaimOrderPayload', pointsEarned: 10, pointsBalance: 10 });
    expect((await graphql(AUDIT, {}, admin)).data.ledgerAudit.sound).toBe(true);
  });
});
