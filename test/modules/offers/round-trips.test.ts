import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, mutate, TOP_UP } from '../../support/ledger';
import { createCode, createOffer, line, recordOrder } from '../../support/offers';

/** recordOrder keeps its shape with the new inputs: the same reads, one write batch; a wallet payment adds only its balance reads. */

let app: TestApp;
let memberId: string;
beforeAll(async () => {
  app = await createTestApp();
  memberId = (await enroll(app, { email: 'trips@example.com' })).globalId;
  await mutate(app, TOP_UP, { memberId, currency: 'EUR', amount: 5000, reference: null });
  const save = await createOffer(app, {
    name: 'Stepped',
    codeRequired: true,
    effect: {
      amountOff: {
        steps: [
          { minimumSpend: 0, amount: 50 },
          { minimumSpend: 3000, amount: 300 },
        ],
      },
    },
  });
  await createCode(app, { offerId: save.id, code: 'TRIPS' });
  await recordOrder(app, { memberId, total: 100 }); // warms the program's offers cache
});
afterAll(() => closeSoundly(app));

async function tripsOf(input: Record<string, unknown>) {
  const token = await app.token({ role: 'storefront' });
  const before = app.roundTrips.count;
  const result = await recordOrder(app, { memberId, lines: [line('MUG', 2, 1000)], codes: ['trips'], ...input }, token);
  expect(result.__typename, JSON.stringify(result)).toBe('RecordOrderPayload');
  return app.roundTrips.count - before;
}

describe('recordOrder round trips', () => {
  it('placedAt and stepped offers add none; a wallet payment adds its two balance reads', async () => {
    const plain = await tripsOf({});
    expect(await tripsOf({ placedAt: new Date(app.clock.now().getTime() - 3_600_000).toISOString() })).toBe(plain);
    expect(await tripsOf({ walletPayment: { amount: 500, currency: 'EUR' } })).toBe(plain + 2);
    const guest = await recordOrder(app, { orderId: 'trips-guest', total: 100 });
    expect(guest.__typename).toBe('RecordOrderPayload');
  });
});
