import { describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { appWithOffers, CREATE_OFFER, createCode, line, quote, recordOrder } from '../../support/offers';

/** Stepped amount and percent effects, and combos with an amount off the set: quote and recordOrder. */

const STEPPED = `query($cart: QuoteCartInput!) { quote(cart: $cart) { __typename ... on Error { code message }
  ... on Quote { discount { amount } appliedOffers { code discount nextStep { minimumSpend amount basisPoints missing } } notApplied { code reason threshold missing } } } }`;
const RECORD_STEPPED = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on Error { code message }
  ... on RecordOrderPayload { discount { amount } appliedOffers { code discount nextStep { minimumSpend amount basisPoints missing } } notApplied { code reason threshold missing } } } }`;

const { app, offer } = appWithOffers();

async function stepped(cart: Record<string, unknown>) {
  const response = await app().graphql(STEPPED, { cart: { currency: 'EUR', ...cart } }, await app().token({ role: 'storefront' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.quote;
}

describe('stepped amountOff: "SAVE gives 1.00 off from 10.00 and 4.00 off from 30.00"', () => {
  it('applies the highest step reached, at every boundary, and tells how far the next one is', async () => {
    const save = await offer({
      name: 'Save',
      codeRequired: true,
      effect: {
        amountOff: {
          steps: [
            { minimumSpend: 1000, amount: 100 },
            { minimumSpend: 3000, amount: 400 },
          ],
        },
      },
    });
    await createCode(app(), { offerId: save.id, code: 'SAVE' });
    const cart = (total: number) => ({ total, codes: ['save'] });
    expect(await stepped(cart(999))).toMatchObject({
      discount: { amount: 0 },
      notApplied: [{ code: 'SAVE', reason: 'BELOW_THRESHOLD', threshold: 1000, missing: 1 }],
    });
    expect(await stepped(cart(1000))).toMatchObject({
      discount: { amount: 100 },
      appliedOffers: [{ code: 'SAVE', discount: 100, nextStep: { minimumSpend: 3000, amount: 400, basisPoints: null, missing: 2000 } }],
    });
    expect(await stepped(cart(2999))).toMatchObject({ discount: { amount: 100 }, appliedOffers: [{ nextStep: { missing: 1 } }] });
    expect(await stepped(cart(3000))).toMatchObject({ discount: { amount: 400 }, appliedOffers: [{ discount: 400, nextStep: null }] });
    expect(await stepped(cart(1_000_000))).toMatchObject({ discount: { amount: 400 } });
  });

  it('recordOrder gives what quote said', async () => {
    const save = await offer({
      name: 'Save',
      codeRequired: true,
      effect: {
        amountOff: {
          steps: [
            { minimumSpend: 1000, amount: 100 },
            { minimumSpend: 3000, amount: 400 },
          ],
        },
      },
    });
    await createCode(app(), { offerId: save.id, code: 'SAVE2' });
    const cart = { currency: 'EUR', total: 2500, codes: ['SAVE2'] };
    const quoted = await stepped(cart);
    const response = await app().graphql(
      RECORD_STEPPED,
      {
        input: {
          ...cart,
          memberId: (await enroll(app(), { email: 'steps@example.com' })).globalId,
          orderId: 'stepped-1',
          idempotencyKey: 'stepped-1',
        },
      },
      await app().token({ role: 'storefront' }),
    );
    const { __typename, ...recorded } = response.data!.recordOrder;
    expect(__typename).toBe('RecordOrderPayload');
    expect(recorded).toEqual({ discount: quoted.discount, appliedOffers: quoted.appliedOffers, notApplied: quoted.notApplied });
  });
});

describe('stepped percentOff on items', () => {
  it('steps by what the matching lines cost, and discounts only them', async () => {
    await offer({
      name: 'Beans',
      effect: {
        percentOff: {
          steps: [
            { minimumSpend: 0, basisPoints: 500 },
            { minimumSpend: 2000, basisPoints: 1000 },
          ],
          items: { categories: ['beans'] },
        },
      },
    });
    const beans = (quantity: number) => line('BEANS', quantity, 1000, { category: 'beans' });
    // 1 bag (10.00) of beans and a 50.00 grinder: 5 % of the beans only; the next step is 10.00 of beans away.
    expect(await stepped({ lines: [beans(1), line('GRINDER', 1, 5000)] })).toMatchObject({
      discount: { amount: 50 },
      appliedOffers: [{ discount: 50, nextStep: { minimumSpend: 2000, basisPoints: 1000, amount: null, missing: 1000 } }],
    });
    expect(await stepped({ lines: [beans(2)] })).toMatchObject({ discount: { amount: 200 }, appliedOffers: [{ nextStep: null }] });
  });
});

describe('combo bundleAmountOff', () => {
  it('takes the amount off each complete set, never more than the set has left', async () => {
    await offer({ name: 'Tea and muffin', effect: { combo: { skus: ['TEA', 'MUFFIN'], bundleAmountOff: 50 } } });
    expect(await quote(app(), { lines: [line('TEA', 2, 250), line('MUFFIN', 1, 300)] })).toMatchObject({
      discount: { amount: 50 },
      appliedOffers: [{ effect: 'COMBO', discount: 50 }],
    });
    expect(await quote(app(), { lines: [line('TEA', 3, 250), line('MUFFIN', 3, 300)] })).toMatchObject({ discount: { amount: 150 } });
    expect(await quote(app(), { lines: [line('TEA', 1, 250)] })).toMatchObject({
      discount: { amount: 0 },
      notApplied: [{ reason: 'NO_MATCHING_ITEMS' }],
    });
    // A set worth less than the amount is free, not below zero.
    expect(await quote(app(), { lines: [line('TEA', 1, 20), line('MUFFIN', 1, 10)] })).toMatchObject({ discount: { amount: 30 } });
    const order = await recordOrder(app(), {
      memberId: (await enroll(app(), { email: 'combo@example.com' })).globalId,
      lines: [line('TEA', 2, 250), line('MUFFIN', 2, 300)],
    });
    expect(order).toMatchObject({ discount: { amount: 100 }, lines: [{ discount: 45 }, { discount: 55 }] });
  });
});

describe('invalid steps and combos', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    [
      'unordered steps',
      {
        amountOff: {
          steps: [
            { minimumSpend: 3000, amount: 400 },
            { minimumSpend: 1000, amount: 100 },
          ],
        },
      },
      ['input', 'effect', 'amountOff', 'steps', '1', 'minimumSpend'],
    ],
    [
      'duplicate thresholds',
      {
        amountOff: {
          steps: [
            { minimumSpend: 1000, amount: 100 },
            { minimumSpend: 1000, amount: 200 },
          ],
        },
      },
      ['input', 'effect', 'amountOff', 'steps', '1', 'minimumSpend'],
    ],
    [
      'a higher step giving no more',
      {
        percentOff: {
          steps: [
            { minimumSpend: 1000, basisPoints: 1000 },
            { minimumSpend: 2000, basisPoints: 1000 },
          ],
        },
      },
      ['input', 'effect', 'percentOff', 'steps', '1', 'basisPoints'],
    ],
    [
      'both amount and steps',
      { amountOff: { amount: 100, steps: [{ minimumSpend: 1000, amount: 100 }] } },
      ['input', 'effect', 'amountOff'],
    ],
    ['neither basisPoints nor steps', { percentOff: {} }, ['input', 'effect', 'percentOff']],
    ['no steps', { amountOff: { steps: [] } }, ['input', 'effect', 'amountOff', 'steps']],
    [
      'a step over 100 %',
      { percentOff: { steps: [{ minimumSpend: 0, basisPoints: 10_001 }] } },
      ['input', 'effect', 'percentOff', 'steps', '0', 'basisPoints'],
    ],
    [
      'a step amount past the maximum',
      { amountOff: { steps: [{ minimumSpend: 0, amount: 100_000_000_001 }] } },
      ['input', 'effect', 'amountOff', 'steps', '0', 'amount'],
    ],
    [
      'a negative minimum spend',
      { amountOff: { steps: [{ minimumSpend: -1, amount: 1 }] } },
      ['input', 'effect', 'amountOff', 'steps', '0', 'minimumSpend'],
    ],
    [
      'bundleAmountOff with bundlePrice',
      { combo: { skus: ['TEA', 'MUFFIN'], bundlePrice: 400, bundleAmountOff: 50 } },
      ['input', 'effect', 'combo'],
    ],
    ['bundleAmountOff of 0', { combo: { skus: ['TEA', 'MUFFIN'], bundleAmountOff: 0 } }, ['input', 'effect', 'combo', 'bundleAmountOff']],
  ];
  it.each(cases)('%s is InvalidInputError and creates nothing', async (_name, effect, path) => {
    const OFFERS = `{ offers(first: 100) { edges { node { id } } } }`;
    const admin = await app().token({ role: 'admin' });
    const before = (await app().graphql(OFFERS, {}, admin)).data!.offers.edges.length;
    const response = await app().graphql(CREATE_OFFER, { input: { name: 'Broken', effect } }, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.createOffer).toMatchObject({ __typename: 'InvalidInputError', issues: [{ path }] });
    expect((await app().graphql(OFFERS, {}, admin)).data!.offers.edges.length).toBe(before);
  });
});
