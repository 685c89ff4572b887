import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { closeSoundly, key } from './ledger';
import { createTestApp, TEST_NOW, type TestApp } from './test-app';

/** GraphQL documents and helpers for offers and checkout, as an admin or a storefront would call them. */
const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;

export const OFFER_FIELDS = `id name description status codeRequired priority exclusive startsAt endsAt maxRedemptions budget perMemberLimit
  conditions { audience tiers { id name } birthdayWindowDays attributes orderNumber withinDaysOfLastOrder minimumSpend }
  effect { __typename
    ... on PercentOffEffect { basisPoints items { skus categories } }
    ... on AmountOffEffect { amount items { skus categories } }
    ... on ComboEffect { skus bundlePrice bundleBasisPoints }
    ... on GiftEffect { sku quantity minimumAmount minimumWeight weightAttribute }
    ... on BonusPointsEffect { points multiplierPermille }
    ... on StampCardEffect { stampsRequired items { skus categories } } }`;

export const CREATE_OFFER = `mutation($input: CreateOfferInput!) { createOffer(input: $input) { __typename ${errorFields} ... on OfferPayload { offer { ${OFFER_FIELDS} } } } }`;
export const UPDATE_OFFER = `mutation($input: UpdateOfferInput!) { updateOffer(input: $input) { __typename ${errorFields} ... on OfferPayload { offer { ${OFFER_FIELDS} } } } }`;
export const OFFER_STATS = `query($id: ID!) { node(id: $id) { ... on Offer { stats { redemptions redemptionsLeft discountGiven budgetLeft bonusPointsGiven } } } }`;
export const CREATE_CODE = `mutation($input: CreatePromoCodeInput!) { createPromoCode(input: $input) { __typename ${errorFields}
  ... on PromoCodePayload { promoCode { code maxUses uses perMemberLimit minimumSpend expiresAt assignedMemberId } } ... on DuplicatePromoCodeError { value } } }`;
export const GENERATE_CODES = `mutation($input: GeneratePromoCodesInput!) { generatePromoCodes(input: $input) { __typename ${errorFields}
  ... on GeneratePromoCodesPayload { batch { id prefix count csv codes(first: 10) { edges { node { code maxUses uses } } pageInfo { hasNextPage endCursor } } } } } }`;
export const ASSIGN_CODE = `mutation($input: AssignPromoCodeInput!) { assignPromoCode(input: $input) { __typename ${errorFields}
  ... on AssignPromoCodePayload { promoCode { code assignedMemberId } } } }`;

export const CHECKOUT_FIELDS = `total { amount currency } discount { amount } totalAfterDiscount { amount } pointsRedeemed pointsPayment { amount }
  amountPaid { amount } pointsEarned pointsRedeemable stampsEarned restOfOrderDiscount
  appliedOffers { offer { id name } tier { id name } effect code discount gift { sku quantity } bonusPoints stamps freeUnits }
  notApplied { offerId tierId code reason threshold }
  gifts { sku quantity }
  lines { lineNo sku quantity unitPrice discount total }`;

export const QUOTE = `query($cart: QuoteCartInput!) { quote(cart: $cart) { __typename ${errorFields}
  ... on Quote { ${CHECKOUT_FIELDS} }
  ... on InsufficientPointsError { requested available } ... on RedemptionExceedsTotalError { maximum } ... on BelowMinimumRedemptionError { minimum } } }`;

export const RECORD_CHECKOUT = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ${errorFields}
  ... on RecordOrderPayload { orderId pointsBalance replayed ${CHECKOUT_FIELDS} }
  ... on CheckoutChangedError { expectedDiscount currentDiscount }
  ... on InsufficientPointsError { requested available } } }`;

export const REFUND_CHECKOUT = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { __typename ${errorFields}
  ... on RefundOrderPayload { orderId amount totalRefunded pointsClawedBack pointsReturned pointsBalance stampsReturned walletReturned offersReleased replayed }
  ... on RefundExceedsOrderError { refundable } } }`;

export const AVAILABLE_OFFERS = `query($id: ID!) { member(id: $id) { availableOffers { codes offer { id name } } stampCards { offer { id } stampsRequired stamps untilReward lifetimeStamps rewardsEarned } } }`;

async function adminToken(app: TestApp) {
  return app.token({ role: 'admin' });
}

/** Creates an offer as admin and returns it (global id in `id`); fails the test on any error. */
export async function createOffer(app: TestApp, input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(CREATE_OFFER, { input: { name: 'Offer', ...input } }, token ?? (await adminToken(app)));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data?.createOffer.__typename, JSON.stringify(response.data)).toBe('OfferPayload');
  return response.data!.createOffer.offer as Record<string, any> & { id: string };
}

export async function createCode(app: TestApp, input: Record<string, unknown>) {
  const response = await app.graphql(CREATE_CODE, { input }, await adminToken(app));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.createPromoCode as Record<string, any>;
}

/** Quotes a cart (as a storefront unless a token is given); returns the `quote` union member. */
export async function quote(app: TestApp, cart: Record<string, unknown>, token?: string) {
  const response = await app.graphql(QUOTE, { cart: { currency: 'EUR', ...cart } }, token ?? (await app.token({ role: 'storefront' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.quote as Record<string, any>;
}

let orders = 0;
/** Records an order (as a storefront); `orderId` and the idempotency key are fresh unless given. */
export async function recordOrder(app: TestApp, input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(
    RECORD_CHECKOUT,
    {
      input: {
        currency: 'EUR',
        orderId: `order-${++orders}-${Math.random().toString(36).slice(2, 8)}`,
        idempotencyKey: key('order'),
        ...input,
      },
    },
    token ?? (await app.token({ role: 'storefront' })),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.recordOrder as Record<string, any>;
}

export async function refundOrder(app: TestApp, input: Record<string, unknown>) {
  const response = await app.graphql(
    REFUND_CHECKOUT,
    { input: { idempotencyKey: key('refund'), ...input } },
    await app.token({ role: 'storefront' }),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.refundOrder as Record<string, any>;
}

export async function offerStats(app: TestApp, offerId: string) {
  const response = await app.graphql(OFFER_STATS, { id: offerId }, await adminToken(app));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.node.stats as {
    redemptions: number;
    redemptionsLeft: number | null;
    discountGiven: number;
    budgetLeft: number | null;
    bonusPointsGiven: number;
  };
}

/** A cart's `total` from its lines, for carts written as lines only. */
export const line = (sku: string, quantity: number, unitPrice: number, extra: Record<string, unknown> = {}) => ({
  sku,
  quantity,
  unitPrice,
  ...extra,
});

/**
 * After each test: the clock back at TEST_NOW and the offers in `created` archived, so that a
 * test's offers take no part in the carts of the tests after it.
 */
export function archiveAfterEach(app: () => TestApp, created: string[]) {
  afterEach(async () => {
    app().clock.set(TEST_NOW);
    const admin = await app().token({ role: 'admin' });
    while (created.length > 0) {
      const response = await app().graphql(UPDATE_OFFER, { input: { id: created.pop()!, status: 'ARCHIVED' } }, admin);
      expect(response.data?.updateOffer.__typename, JSON.stringify(response)).toBe('OfferPayload');
    }
  });
}

/**
 * One app for a test file whose tests create offers (`offer(input)`, over `defaults`): each test's
 * offers are archived after it, and the ledger must be sound at the end.
 */
export function appWithOffers(defaults: Record<string, unknown> = {}) {
  let current: TestApp | undefined;
  const created: string[] = [];
  const app = () => current!;
  beforeAll(async () => {
    current = await createTestApp();
  });
  afterAll(() => closeSoundly(app()));
  archiveAfterEach(app, created);
  async function offer(input: Record<string, unknown>) {
    const made = await createOffer(app(), { ...defaults, ...input });
    created.push(made.id);
    return made;
  }
  return { app, offer };
}
