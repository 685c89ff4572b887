import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carts } from '../../../schema';
import { expectValidEvent, readEvents } from '../../support/events';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { createOffer, quote, recordOrder } from '../../support/offers';
import { ERASE } from '../../support/operations';
import { remindersOf, remindOnly, runReminders, setReminderSettings, TRACK_CART } from '../../support/reminders';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

const HOUR = 3_600_000;
const at = (base: string, offsetMs: number) => new Date(Date.parse(base) + offsetMs).toISOString();
const emailOnly = { email: true };

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  // Only abandoned carts, at 4 hours, and no quiet hours unless a test sets them.
  await remindOnly(app, { cartAbandonedAfterHours: [4] });
});
afterEach(() => closeSoundly(app));

const lines = [
  { sku: 'BEANS', quantity: 2, unitPrice: 1_250 },
  { sku: 'MUG', category: 'kitchen', quantity: 1, unitPrice: 900 },
];

/** Tracks a cart as `token` (a storefront by default) at the app's clock; returns the mutation's union member. */
async function trackCart(input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(
    TRACK_CART,
    { input: { currency: 'EUR', lines, ...input } },
    token ?? (await app.token({ role: 'storefront' })),
  );
  return response.data?.trackCart ?? { errors: response.errors };
}

const cartRows = () => app.deps.db.select().from(carts);

describe('trackCart and cart.abandoned', () => {
  it('emits once a cart is idle for exactly N hours, with the quote the quote query gives, once per idle period', async () => {
    const offer = await createOffer(app, { name: 'Ten percent', effect: { percentOff: { basisPoints: 1000 } } });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    app.clock.set(TEST_NOW);
    const tracked = await trackCart({ memberId: ada.globalId, cartId: 'cart-1' });
    expect(tracked).toMatchObject({
      __typename: 'TrackCartPayload',
      cartId: 'cart-1',
      trackedAt: TEST_NOW,
      member: { id: ada.globalId },
      quote: { total: { amount: 3_400 }, discount: { amount: 340 }, appliedOffers: [{ offer: { id: offer.id }, discount: 340 }] },
    });

    await runReminders(app, at(TEST_NOW, 4 * HOUR - 1_000));
    expect(await readEvents(app, { types: ['cart.abandoned'] })).toEqual([]);

    const idle = at(TEST_NOW, 4 * HOUR);
    await runReminders(app, idle);
    await runReminders(app, idle); // the same now again
    await runReminders(app, at(idle, 20 * HOUR)); // the same idle period: deduped
    const events = await readEvents(app, { types: ['cart.abandoned'] });
    expect(events).toHaveLength(1);
    events.forEach(expectValidEvent);
    const event = events[0]!;
    expect(event.timestamp).toBe(idle);
    expect(event.data).toMatchObject({
      memberId: ada.memberId,
      cartId: 'cart-1',
      idleHours: 4,
      lastActivityAt: TEST_NOW,
      channels: ['email'],
    });

    // The payload's quote is the quote query's answer for the same cart at the same instant.
    app.clock.set(idle);
    const asQuoted = await quote(app, { memberId: ada.globalId, lines });
    const payload = event.data.quote;
    expect({
      total: payload.total,
      discount: payload.discount,
      totalAfterDiscount: payload.totalAfterDiscount,
      pointsEarned: payload.pointsEarned,
      applied: payload.applied.map((applied: any) => [applied.offerId, applied.effect.toUpperCase(), applied.discount]),
      lines: payload.lines.map(({ sku, quantity, unitPrice, discount }: any) => ({ sku, quantity, unitPrice, discount })),
    }).toEqual({
      total: asQuoted.total.amount,
      discount: asQuoted.discount.amount,
      totalAfterDiscount: asQuoted.totalAfterDiscount.amount,
      pointsEarned: asQuoted.pointsEarned,
      applied: asQuoted.appliedOffers.map((applied: any) => [decodeGlobalID(applied.offer.id).id, applied.effect, applied.discount]),
      lines: asQuoted.lines.map(({ sku, quantity, unitPrice, discount }: any) => ({ sku, quantity, unitPrice, discount })),
    });
    expect(payload).toMatchObject({ currency: 'EUR', total: 3_400, discount: 340 });

    // Updated after the reminder: a new idle period, which reminds again once it is N hours old.
    const touched = at(idle, 21 * HOUR);
    app.clock.set(touched);
    await trackCart({ memberId: ada.globalId, cartId: 'cart-1', lines: [lines[0]] });
    await runReminders(app, at(touched, 4 * HOUR - 1_000));
    expect(await readEvents(app, { types: ['cart.abandoned'] })).toHaveLength(1);
    await runReminders(app, at(touched, 4 * HOUR));
    const again = await readEvents(app, { types: ['cart.abandoned'] });
    expect(again).toHaveLength(2);
    expect(again[1]!.data).toMatchObject({ lastActivityAt: touched, quote: { total: 2_500, discount: 250 } });
  });

  it('reminds at each configured idle time it reaches, the longest reached only', async () => {
    await setReminderSettings(app, { cartAbandonedAfterHours: [24, 1], frequencyCap: { maxReminders: 10, perDays: 7 } });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    app.clock.set(TEST_NOW);
    await trackCart({ memberId: ada.globalId, cartId: 'cart-1' });
    await trackCart({ memberId: ada.globalId, cartId: 'cart-2' });
    await runReminders(app, at(TEST_NOW, 2 * HOUR));
    await runReminders(app, at(TEST_NOW, 30 * HOUR));
    const events = await readEvents(app, { types: ['cart.abandoned'] });
    expect(events.map((event) => [event.data.cartId, event.data.idleHours]).sort()).toEqual([
      ['cart-1', 1],
      ['cart-1', 24],
      ['cart-2', 1],
      ['cart-2', 24],
    ]);
  });

  it('is ended by recordOrder with its cartId, in the order’s own batch, and by the member’s erasure', async () => {
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    const bob = await enroll(app, { email: 'bob@example.com', consents: emailOnly });
    app.clock.set(TEST_NOW);
    await trackCart({ memberId: ada.globalId, cartId: 'cart-ada' });
    await trackCart({ memberId: ada.globalId, cartId: 'cart-ada-2' });
    await trackCart({ memberId: bob.globalId, cartId: 'cart-bob' });

    // An order refused (wrong currency) leaves the cart alone.
    const refused = await recordOrder(app, { memberId: ada.globalId, cartId: 'cart-ada', lines, currency: 'USD' });
    expect(refused.__typename).toBe('CurrencyMismatchError');
    expect((await cartRows()).map((cart) => cart.cartId).sort()).toEqual(['cart-ada', 'cart-ada-2', 'cart-bob']);

    const ordered = await recordOrder(app, { memberId: ada.globalId, cartId: 'cart-ada', lines });
    expect(ordered.__typename).toBe('RecordOrderPayload');
    expect((await cartRows()).map((cart) => cart.cartId).sort()).toEqual(['cart-ada-2', 'cart-bob']);

    const erased = await app.graphql(ERASE, { input: { id: bob.globalId } }, await app.token({ role: 'admin' }));
    expect(erased.errors).toBeUndefined();
    expect((await cartRows()).map((cart) => cart.cartId)).toEqual(['cart-ada-2']);

    await runReminders(app, at(TEST_NOW, 5 * HOUR));
    const events = await readEvents(app, { types: ['cart.abandoned'] });
    expect(events.map((event) => event.data.cartId)).toEqual(['cart-ada-2']);
    // An erased member's cart cannot come back.
    expect(await trackCart({ memberId: bob.globalId, cartId: 'cart-bob' })).toMatchObject({ __typename: 'MemberErasedError' });
  });

  it('goes through pressure control: consent, quiet hours, the frequency cap by priority', async () => {
    await setReminderSettings(app, {
      lapsedAfterDays: [1],
      frequencyCap: { maxReminders: 1, perDays: 7 },
      quietHours: { start: '21:00', end: '08:00' },
    });
    const silent = await enroll(app, { email: 'silent@example.com' });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly, timeZone: 'Europe/Berlin' });
    const cy = await enroll(app, { email: 'cy@example.com', consents: emailOnly });
    // Cy lapsed too: the cart comes first by priority, the lapse is capped.
    await recordOrder(app, { memberId: cy.globalId, lines, placedAt: at(TEST_NOW, -2 * 86_400_000) });
    app.clock.set(TEST_NOW);
    for (const [member, cartId] of [
      [silent, 'cart-silent'],
      [ada, 'cart-ada'],
      [cy, 'cart-cy'],
    ] as const)
      await trackCart({ memberId: member.globalId, cartId });

    // 21:30 UTC: 22:30 in Berlin (quiet, held), 21:30 in UTC (quiet too)… so run at 19:00 UTC: 20:00 Berlin, 19:00 UTC.
    const evening = '2026-11-23T19:00:00.000Z';
    await runReminders(app, evening);
    const decided = await remindersOf(app);
    const byMember = (memberId: string) => decided.filter((reminder) => decodeGlobalID(reminder.memberId).id === memberId);
    expect(byMember(silent.memberId)).toMatchObject([{ type: 'CART_ABANDONED', status: 'SUPPRESSED', suppressedBecause: 'no_consent' }]);
    expect(byMember(ada.memberId)).toMatchObject([{ type: 'CART_ABANDONED', status: 'SENT' }]);
    expect(
      byMember(cy.memberId)
        .map((reminder) => [reminder.type, reminder.status, reminder.suppressedBecause])
        .sort(),
    ).toEqual([
      ['CART_ABANDONED', 'SENT', null],
      ['MEMBER_LAPSED', 'SUPPRESSED', 'frequency_cap'],
    ]);

    // A cart tracked late in the evening idles into Berlin's quiet hours: held, then let out at 08:00 local.
    const late = '2026-11-23T19:30:00.000Z';
    app.clock.set(late);
    await trackCart({ memberId: ada.globalId, cartId: 'cart-ada-late' });
    await trackCart({ memberId: ada.globalId, cartId: 'cart-ada-bought' });
    await setReminderSettings(app, { frequencyCap: { maxReminders: 5, perDays: 7 } });
    await runReminders(app, at(late, 4 * HOUR)); // 00:30 in Berlin
    expect(await remindersOf(app, { status: 'HELD' })).toMatchObject([
      { type: 'CART_ABANDONED', dueAt: '2026-11-24T07:00:00.000Z' },
      { type: 'CART_ABANDONED', dueAt: '2026-11-24T07:00:00.000Z' },
    ]);
    expect((await readEvents(app, { types: ['cart.abandoned'] })).map((event) => event.data.cartId).sort()).toEqual([
      'cart-ada',
      'cart-cy',
    ]);
    // Bought while its reminder waited: it does not go out.
    app.clock.set('2026-11-24T06:00:00.000Z');
    expect(await recordOrder(app, { memberId: ada.globalId, cartId: 'cart-ada-bought', lines })).toMatchObject({
      __typename: 'RecordOrderPayload',
    });
    await runReminders(app, '2026-11-24T07:00:00.000Z');
    const suppressed = await remindersOf(app, { type: 'CART_ABANDONED', status: 'SUPPRESSED' });
    expect(suppressed.map((reminder) => [reminder.data.cartId, reminder.suppressedBecause]).sort()).toEqual([
      ['cart-ada-bought', 'cart_ended'],
      ['cart-silent', 'no_consent'],
    ]);
    const events = await readEvents(app, { types: ['cart.abandoned'] });
    expect(events.map((event) => event.data.cartId).sort()).toEqual(['cart-ada', 'cart-ada-late', 'cart-cy']);
    events.forEach(expectValidEvent);
  });
});

describe('trackCart from the outside', () => {
  it('lets a member track its own cart only, and no tenant reach another’s members', async () => {
    const ada = await enroll(app, { email: 'ada@example.com' });
    const bob = await enroll(app, { email: 'bob@example.com' });
    const adaToken = await app.token({ role: 'member', subject: ada.memberId });
    expect(await trackCart({ cartId: 'own-implicit' }, adaToken)).toMatchObject({
      __typename: 'TrackCartPayload',
      member: { id: ada.globalId },
    });
    expect(await trackCart({ memberId: ada.globalId, cartId: 'own-explicit' }, adaToken)).toMatchObject({ __typename: 'TrackCartPayload' });
    const forbidden = await trackCart({ memberId: bob.globalId, cartId: 'bobs' }, adaToken);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await app.graphql(TRACK_CART, { input: { memberId: ada.globalId, cartId: 'x', currency: 'EUR', lines } });
    expect(anonymous.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    // Another program's storefront and admin do not find acme's member.
    for (const role of ['storefront', 'admin'] as const) {
      const other = await trackCart({ memberId: ada.globalId, cartId: `globex-${role}` }, await app.token({ role, programId: 'globex' }));
      expect(other).toMatchObject({ __typename: 'MemberNotFoundError' });
    }
    // A cart id is one member's: another member cannot take it over.
    expect(await trackCart({ memberId: bob.globalId, cartId: 'own-implicit' })).toMatchObject({
      __typename: 'CartOfAnotherMemberError',
      code: 'CART_OF_ANOTHER_MEMBER',
    });
    expect(await trackCart({ memberId: bob.globalId, cartId: 'own-implicit', lines: [] })).toMatchObject({
      __typename: 'CartOfAnotherMemberError',
    });
    expect((await cartRows()).map((cart) => [cart.cartId, cart.memberId]).sort()).toEqual([
      ['own-explicit', ada.memberId],
      ['own-implicit', ada.memberId],
    ]);
  });

  it('refuses bad input with a typed error and writes nothing; an emptied cart is forgotten', async () => {
    const ada = await enroll(app, { email: 'ada@example.com' });
    const line = lines[0]!;
    for (const [input, typename] of [
      [{ cartId: '' }, 'InvalidInputError'],
      [{ cartId: 'x'.repeat(129) }, 'InvalidInputError'],
      [{ cartId: 'bad\u0000id' }, 'InvalidInputError'],
      [{ lines: [{ ...line, quantity: 0 }] }, 'InvalidInputError'],
      [{ lines: [{ ...line, unitPrice: -1 }] }, 'InvalidInputError'],
      [{ lines: [{ ...line, unitPrice: 100_000_000_001 }] }, 'InvalidInputError'],
      [{ lines: [{ ...line, quantity: 1_000, unitPrice: 100_000_000_000 }] }, 'InvalidInputError'],
      [{ lines: Array.from({ length: 501 }, () => line) }, 'InvalidInputError'],
      [{ currency: 'EURO' }, 'InvalidInputError'],
      [{ currency: 'USD' }, 'CurrencyMismatchError'],
      [{ memberId: 'TWVtYmVyOm5vYm9keQ==' }, 'MemberNotFoundError'],
    ] as const) {
      const result = await trackCart({ memberId: ada.globalId, cartId: 'cart-1', ...(input as Record<string, unknown>) });
      expect(result.__typename ?? JSON.stringify(result), JSON.stringify(input).slice(0, 80)).toBe(typename);
    }
    expect(await cartRows()).toEqual([]);

    for (let n = 0; n < 20; n++)
      expect(await trackCart({ memberId: ada.globalId, cartId: `cart-${n}` })).toMatchObject({ __typename: 'TrackCartPayload' });
    expect(await trackCart({ memberId: ada.globalId, cartId: 'one-too-many' })).toMatchObject({
      __typename: 'TooManyCartsError',
      limit: 20,
    });
    // Updating an open cart is always possible; emptying one forgets it and makes room.
    expect(await trackCart({ memberId: ada.globalId, cartId: 'cart-0', lines: [line] })).toMatchObject({ __typename: 'TrackCartPayload' });
    expect(await trackCart({ memberId: ada.globalId, cartId: 'cart-0', lines: [] })).toMatchObject({
      __typename: 'TrackCartPayload',
      quote: null,
    });
    expect(await cartRows()).toHaveLength(19);
    expect(await trackCart({ memberId: ada.globalId, cartId: 'one-more' })).toMatchObject({ __typename: 'TrackCartPayload' });
  });
});
