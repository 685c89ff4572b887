import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly } from '../../support/ledger';
import { AVAILABLE_OFFERS, line, quote, recordOrder } from '../../support/offers';

/** The mutations of the README's "Worked examples", in order; `<offer id>` is the last offer created. */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split('### Worked examples')[1]!.split('\n### ')[0]!;
  const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) => block.split(/\n(?=mutation )/).map((operation) => operation.trim()));
}

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  const admin = await app.token({ role: 'admin' });
  let lastOfferId = '';
  for (const operation of readmeExamples()) {
    const response = await app.graphql(
      operation.replace(/<[a-z ]*offer id>/g, lastOfferId).replace(/\{ __typename \}/g, '{ __typename ... on Error { message } }'),
      {},
      admin,
    );
    expect(response.errors, operation).toBeUndefined();
    const [result] = Object.values(response.data!) as Array<Record<string, any>>;
    expect(result!.__typename ?? 'OfferPayload', `${operation}\n${JSON.stringify(result)}`).toMatch(/Payload$/);
    if (result!.offer?.id) lastOfferId = result!.offer.id;
  }
});
afterAll(() => closeSoundly(app));

describe('the README worked examples', () => {
  it('run as written', () => {
    expect(readmeExamples().length).toBeGreaterThanOrEqual(10);
  });

  it('answer as the README says: code threshold, combo, eco cup, gifts, bonus points', async () => {
    const { globalId: memberId } = await enroll(app, { email: 'mugs@example.com' });
    const small = await quote(app, { memberId, lines: [line('MUG', 1, 900)], codes: ['welcome10'] });
    expect(small.notApplied).toContainEqual({
      offerId: expect.any(String),
      tierId: null,
      code: 'WELCOME10',
      reason: 'BELOW_THRESHOLD',
      threshold: 1000,
    });
    expect((await quote(app, { lines: [line('MUG', 1, 900)], codes: ['welcome10'] })).notApplied).toContainEqual(
      expect.objectContaining({ code: 'WELCOME10', reason: 'MEMBERS_ONLY' }),
    );
    expect((await quote(app, { memberId, lines: [line('MUG', 2, 900)], codes: ['welcome10'] })).appliedOffers).toContainEqual(
      expect.objectContaining({ code: 'WELCOME10', discount: 180 }),
    );
    const breakfast = await quote(app, { lines: [line('COFFEE', 1, 350, { category: 'coffee' }), line('CROISSANT', 1, 300)] });
    expect(breakfast.appliedOffers).toContainEqual(expect.objectContaining({ effect: 'COMBO', discount: 100 }));
    const ownCup = await quote(app, { lines: [line('COFFEE', 1, 350, { category: 'coffee' })], attributes: { ownCup: true } });
    expect(ownCup.appliedOffers).toContainEqual(expect.objectContaining({ effect: 'AMOUNT_OFF', discount: 30 }));
    const beans = await quote(app, { lines: [line('BEANS', 5, 1200, { attributes: { grams: 250 } })] });
    expect(beans.gifts).toEqual([
      { sku: 'TOTE', quantity: 1 },
      { sku: 'TOTE', quantity: 1 },
    ]);
    expect(beans.appliedOffers).toContainEqual(expect.objectContaining({ effect: 'BONUS_POINTS', bonusPoints: 60 }));
  });

  it('answer as the README says: stepped code, combo with an amount off the set', async () => {
    const STEPS = `query($cart: QuoteCartInput!) { quote(cart: $cart) { ... on Quote { discount { amount }
      appliedOffers { code discount nextStep { minimumSpend amount missing } } notApplied { code reason threshold missing } } } }`;
    const stepped = async (total: number) =>
      (await app.graphql(STEPS, { cart: { currency: 'EUR', total, codes: ['SAVE'] } }, await app.token({ role: 'storefront' }))).data!
        .quote;
    expect((await stepped(2500)).appliedOffers).toContainEqual({
      code: 'SAVE',
      discount: 100,
      nextStep: { minimumSpend: 3000, amount: 400, missing: 500 },
    });
    expect((await stepped(3000)).appliedOffers).toContainEqual({ code: 'SAVE', discount: 400, nextStep: null });
    expect((await stepped(900)).notApplied).toContainEqual({ code: 'SAVE', reason: 'BELOW_THRESHOLD', threshold: 1000, missing: 100 });
    const teaTime = await quote(app, { lines: [line('TEA', 2, 250), line('MUFFIN', 1, 300)] });
    expect(teaTime.appliedOffers).toContainEqual(expect.objectContaining({ effect: 'COMBO', discount: 50 }));
    expect((await quote(app, { lines: [line('TEA', 3, 250), line('MUFFIN', 3, 300)] })).appliedOffers).toContainEqual(
      expect.objectContaining({ effect: 'COMBO', discount: 150 }),
    );
  });

  it('answer as the README says: a birthday pastry once a year, in the birthday month', async () => {
    const { globalId: memberId } = await enroll(app, { email: 'pastry@example.com', birthday: '1990-11-10' });
    const { globalId: other } = await enroll(app, { email: 'summer@example.com', birthday: '1991-07-04' });
    const pastry = (who: string) => ({ memberId: who, lines: [line('PAIN-AU-CHOCOLAT', 1, 300, { category: 'pastry' })] });
    const pastryOffer = (offers: Array<Record<string, any>>) =>
      offers.find((entry) => entry.offer?.name === 'Birthday pastry' || entry.offerId === pastryId);
    const first = await recordOrder(app, pastry(memberId));
    const pastryId = first.appliedOffers.find((applied: Record<string, any>) => applied.offer?.name === 'Birthday pastry').offer.id;
    expect(pastryOffer(first.appliedOffers)).toMatchObject({ discount: 300 });
    expect(pastryOffer((await quote(app, pastry(memberId))).notApplied)).toMatchObject({ reason: 'MEMBER_LIMIT_REACHED' });
    expect(pastryOffer((await quote(app, pastry(other))).notApplied)).toMatchObject({ reason: 'NOT_BIRTHDAY_MONTH' });
    app.clock.set('2027-11-02T09:00:00Z');
    expect(pastryOffer((await quote(app, pastry(memberId))).appliedOffers)).toMatchObject({ discount: 300 });
    app.clock.set(TEST_NOW);
  });

  it('keep a coffee stamp card: the ninth coffee is free', async () => {
    const { globalId } = await enroll(app, { email: 'stamps@example.com' });
    for (let cup = 1; cup <= 8; cup++)
      await recordOrder(app, { memberId: globalId, total: 350, lines: [line('COFFEE', 1, 350, { category: 'coffee' })] });
    const cards = await app.graphql(AVAILABLE_OFFERS, { id: globalId }, await app.token({ role: 'admin' }));
    expect(cards.data!.member.stampCards).toMatchObject([{ stamps: 8, untilReward: 1 }]);
    const ninth = await recordOrder(app, { memberId: globalId, total: 350, lines: [line('COFFEE', 1, 350, { category: 'coffee' })] });
    expect(ninth.appliedOffers).toContainEqual(expect.objectContaining({ effect: 'STAMP_CARD', freeUnits: 1, discount: 350 }));
  });
});
