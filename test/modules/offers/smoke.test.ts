import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly } from '../../support/ledger';
import { createCode, createOffer, line, offerStats, quote, recordOrder, refundOrder } from '../../support/offers';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => closeSoundly(app));

describe('checkout smoke', () => {
  it('quotes and records a promo code with a threshold, then a full refund gives the code back', async () => {
    const { globalId } = await enroll(app, { email: 'smoke@example.com' });
    const offer = await createOffer(app, { name: '10 % off', codeRequired: true, effect: { percentOff: { basisPoints: 1000 } } });
    await createCode(app, { offerId: offer.id, code: 'Save10', maxUses: 1, minimumSpend: 1000 });
    const small = await quote(app, { memberId: globalId, lines: [line('MUG', 1, 900)], codes: ['save10'] });
    expect(small.notApplied).toEqual([{ offerId: offer.id, tierId: null, code: 'SAVE10', reason: 'BELOW_THRESHOLD', threshold: 1000 }]);
    const cart = { memberId: globalId, lines: [line('MUG', 2, 900)], codes: ['save10'] };
    const quoted = await quote(app, cart);
    expect(quoted).toMatchObject({ discount: { amount: 180 }, totalAfterDiscount: { amount: 1620 }, pointsEarned: 16 });
    const recorded = await recordOrder(app, { ...cart, orderId: 'smoke-1', total: 1800 });
    expect(recorded).toMatchObject({
      __typename: 'RecordOrderPayload',
      discount: { amount: 180 },
      pointsEarned: 16,
      lines: [{ discount: 180, total: 1620 }],
    });
    expect((await quote(app, cart)).notApplied).toMatchObject([{ reason: 'CODE_ALREADY_USED' }]);
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 1, discountGiven: 180 });
    expect(await refundOrder(app, { orderId: 'smoke-1', lines: [{ sku: 'MUG', quantity: 1 }] })).toMatchObject({
      amount: 810,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'smoke-1', amount: 810 })).toMatchObject({ amount: 810, offersReleased: true });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    expect((await quote(app, cart)).appliedOffers).toMatchObject([{ code: 'SAVE10', discount: 180 }]);
  });
});
