import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { closeSoundly } from '../../support/ledger';
import { placeOrder } from '../../support/tiers';
import { expectValidEvent, readEvents } from '../../support/events';
import { remindersOf, runReminders, setReminderSettings, UPDATE_REMINDER_SETTINGS } from '../../support/reminders';
import { send } from '../../support/tiers';
import { createOffer } from '../../support/offers';
import { and, eq } from 'drizzle-orm';
import { promoCodes } from '../../../schema';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

const DAY = 86_400_000;
const at = (base: string, offsetMs: number) => new Date(Date.parse(base) + offsetMs).toISOString();

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(() => closeSoundly(app));

const emailOnly = { email: true };

describe('reminder settings', () => {
  it('starts from defaults, keeps what an update leaves out, and refuses bad values with a typed error, changing nothing', async () => {
    const defaults = await setReminderSettings(app, {});
    expect(defaults).toEqual({
      pointsExpiringLeadDays: [7, 30],
      lapsedAfterDays: [45, 90],
      birthdayLeadDays: [7],
      cartAbandonedAfterHours: [4],
      tierDowngradeLeadDays: [14],
      frequencyCap: { maxReminders: 2, perDays: 7 },
      priorities: ['CART_ABANDONED', 'POINTS_EXPIRING', 'TIER_DOWNGRADE_WARNING', 'MEMBER_BIRTHDAY_UPCOMING', 'MEMBER_LAPSED'],
      quietHours: { start: '21:00', end: '08:00' },
      lapsedOfferId: null,
      birthdayOfferId: null,
      offerCodeValidDays: 30,
    });
    const updated = await setReminderSettings(app, { pointsExpiringLeadDays: [30, 7, 1], priorities: ['MEMBER_LAPSED'], quietHours: null });
    expect(updated).toMatchObject({
      pointsExpiringLeadDays: [1, 7, 30],
      lapsedAfterDays: [45, 90],
      priorities: ['MEMBER_LAPSED', 'CART_ABANDONED', 'POINTS_EXPIRING', 'TIER_DOWNGRADE_WARNING', 'MEMBER_BIRTHDAY_UPCOMING'],
      quietHours: null,
    });

    for (const bad of [
      { pointsExpiringLeadDays: [0] },
      { lapsedAfterDays: [45, 45] },
      { birthdayLeadDays: [367] },
      { cartAbandonedAfterHours: [0] },
      { cartAbandonedAfterHours: [721] },
      { tierDowngradeLeadDays: [1, 2, 3, 4, 5, 6] },
      { frequencyCap: { maxReminders: 0, perDays: 7 } },
      { frequencyCap: { maxReminders: 2, perDays: 1000 } },
      { priorities: ['MEMBER_LAPSED', 'MEMBER_LAPSED'] },
      { quietHours: { start: '25:00', end: '08:00' } },
      { quietHours: { start: '08:00', end: '08:00' } },
    ]) {
      const result = await send(app, UPDATE_REMINDER_SETTINGS, bad);
      expect(result, JSON.stringify(bad)).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    }
    expect(await setReminderSettings(app, {})).toEqual(updated);
  });

  it('belongs to the program admin only', async () => {
    const member = await enroll(app, { email: 'ada@example.com' });
    for (const token of [await app.token({ role: 'storefront' }), await app.token({ role: 'member', subject: member.memberId })]) {
      const response = await app.graphql(`{ reminderSettings { lapsedAfterDays } }`, {}, token);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const update = await app.graphql(UPDATE_REMINDER_SETTINGS, { input: { lapsedAfterDays: [1] } }, token);
      expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    // Another program's admin sees its own defaults, untouched by acme's settings.
    await setReminderSettings(app, { lapsedAfterDays: [10] });
    const globex = await app.graphql(
      `{ reminderSettings { lapsedAfterDays } }`,
      {},
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    expect(globex.data!.reminderSettings.lapsedAfterDays).toEqual([45, 90]);
  });
});

describe('points.expiring', () => {
  it('reminds at each lead time from its first instant, with the exact lots, once per lead time and lot', async () => {
    await setReminderSettings(app, { lapsedAfterDays: [], birthdayLeadDays: [] });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    await placeOrder(app, ada.globalId, 'o-1', 10_000, { at: TEST_NOW });
    await placeOrder(app, ada.globalId, 'o-2', 5_000, { at: at(TEST_NOW, 2 * DAY) });
    const expiresAt = '2027-11-23T10:00:00.000Z';

    await runReminders(app, at(expiresAt, -30 * DAY - 1));
    expect(await readEvents(app, { types: ['points.expiring'] })).toEqual([]);

    await runReminders(app, at(expiresAt, -30 * DAY));
    await runReminders(app, at(expiresAt, -30 * DAY)); // the same now again: nothing new
    await runReminders(app, at(expiresAt, -8 * DAY)); // still the 30-day reminder's lot: deduped
    let expiring = await readEvents(app, { types: ['points.expiring'] });
    expect(expiring).toHaveLength(1);
    expiring.forEach(expectValidEvent);
    expect(expiring[0]!.data).toMatchObject({
      memberId: ada.memberId,
      channels: ['email'],
      leadDays: 30,
      points: 100,
      firstExpiresAt: expiresAt,
      lots: [{ lotId: expect.any(String), points: 100, expiresAt }], // the second lot is still 32 days away
    });

    await runReminders(app, at(expiresAt, -7 * DAY));
    expiring = await readEvents(app, { types: ['points.expiring'] });
    expect(expiring.map((event) => [event.data.leadDays, event.data.points])).toEqual([
      [30, 100],
      [7, 100],
    ]);
    // Two days before the second lot expires, the 7-day reminder lists every lot within 7 days.
    await placeOrder(app, ada.globalId, 'o-3', 2_000, { at: at(expiresAt, -365 * DAY + 5 * DAY) });
    // The first lot expires; the next one comes up and reminds at the lead time it is within.
    await runReminders(app, at(expiresAt, 1));
    expiring = await readEvents(app, { types: ['points.expiring'] });
    expect(expiring.at(-1)!.data).toMatchObject({
      leadDays: 7,
      points: 70,
      lots: [
        { points: 50, expiresAt: '2027-11-25T10:00:00.000Z' },
        { points: 20, expiresAt: '2027-11-28T10:00:00.000Z' },
      ],
    });
    expect(expiring).toHaveLength(3);
  });
});

describe('member.lapsed', () => {
  it('reminds when the last order is exactly N days old, at each threshold once, and starts over after a new order', async () => {
    await setReminderSettings(app, { pointsExpiringLeadDays: [], birthdayLeadDays: [] });
    const ada = await enroll(app, { email: 'ada@example.com', consents: { sms: true, push: true } });
    await enroll(app, { email: 'never@example.com', consents: emailOnly });
    await placeOrder(app, ada.globalId, 'o-1', 1_000, { at: TEST_NOW });

    await runReminders(app, at(TEST_NOW, 45 * DAY - 1));
    expect(await readEvents(app, { types: ['member.lapsed'] })).toEqual([]);
    await runReminders(app, at(TEST_NOW, 45 * DAY));
    await runReminders(app, at(TEST_NOW, 60 * DAY));
    await runReminders(app, at(TEST_NOW, 90 * DAY));
    let lapsed = await readEvents(app, { types: ['member.lapsed'] });
    lapsed.forEach(expectValidEvent);
    expect(lapsed.map((event) => event.data)).toEqual([
      { memberId: ada.memberId, channels: ['sms', 'push'], afterDays: 45, daysSinceLastOrder: 45, lastOrderAt: TEST_NOW },
      { memberId: ada.memberId, channels: ['sms', 'push'], afterDays: 90, daysSinceLastOrder: 90, lastOrderAt: TEST_NOW },
    ]);

    const again = at(TEST_NOW, 100 * DAY);
    await placeOrder(app, ada.globalId, 'o-2', 1_000, { at: again });
    await runReminders(app, at(again, 45 * DAY));
    lapsed = await readEvents(app, { types: ['member.lapsed'] });
    expect(lapsed.at(-1)!.data).toMatchObject({ afterDays: 45, lastOrderAt: again });
    expect(lapsed).toHaveLength(3);
  });
});

describe('personal offer codes with a reminder', () => {
  it('issues a single-use code of the win-back offer to the lapsed member in the reminder’s batch, and none with a suppressed reminder', async () => {
    const offer = await createOffer(app, { name: 'Come back', effect: { percentOff: { basisPoints: 1000 } } });
    const notOurs = await createOffer(
      app,
      { name: 'Elsewhere', effect: { percentOff: { basisPoints: 1000 } } },
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    const refused = await send(app, UPDATE_REMINDER_SETTINGS, { lapsedOfferId: notOurs.id });
    expect(refused).toMatchObject({ __typename: 'OfferNotFoundError', code: 'OFFER_NOT_FOUND' });
    const settings = await setReminderSettings(app, {
      pointsExpiringLeadDays: [],
      birthdayLeadDays: [],
      lapsedOfferId: offer.id,
      offerCodeValidDays: 14,
      quietHours: null,
    });
    expect(settings).toMatchObject({ lapsedOfferId: offer.id });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    const silent = await enroll(app, { email: 'silent@example.com' });
    await placeOrder(app, ada.globalId, 'o-1', 1_000, { at: TEST_NOW });
    await placeOrder(app, silent.globalId, 'o-2', 1_000, { at: TEST_NOW });
    const now = at(TEST_NOW, 45 * DAY);
    await runReminders(app, now);
    await runReminders(app, now);

    const [lapsed, ...others] = await readEvents(app, { types: ['member.lapsed'] });
    expect(others).toEqual([]);
    expectValidEvent(lapsed!);
    const code = lapsed!.data.offer.code as string;
    expect(lapsed!.data.offer).toEqual({
      offerId: expect.any(String),
      code: expect.stringMatching(/^WINBACK-/),
      expiresAt: at(now, 14 * DAY),
    });
    const issued = await app.deps.db
      .select()
      .from(promoCodes)
      .where(and(eq(promoCodes.programId, 'acme'), eq(promoCodes.code, code)));
    expect(issued).toEqual([
      expect.objectContaining({ assignedMemberId: ada.memberId, maxUses: 1, uses: 0, expiresAt: new Date(at(now, 14 * DAY)) }),
    ]);
    // The member without consent got no reminder, so no code either.
    expect(await app.deps.db.select().from(promoCodes).where(eq(promoCodes.assignedMemberId, silent.memberId))).toEqual([]);
    const [suppressed] = await remindersOf(app, { status: 'SUPPRESSED' });
    expect(suppressed!.data.offer).toBeUndefined();
  });
});

describe('member.birthday_upcoming', () => {
  it('counts days in the member’s own calendar and reminds once a year per lead time', async () => {
    await setReminderSettings(app, { pointsExpiringLeadDays: [], lapsedAfterDays: [], birthdayLeadDays: [7, 1], quietHours: null });
    const auckland = await enroll(app, {
      email: 'kiri@example.com',
      birthday: '1990-12-01',
      timeZone: 'Pacific/Auckland',
      consents: emailOnly,
    });
    const london = await enroll(app, { email: 'ann@example.com', birthday: '1990-12-01', timeZone: 'Europe/London', consents: emailOnly });

    // 2026-11-23T11:30Z is already 24 November in Auckland (UTC+13), still 23 November in London.
    await runReminders(app, '2026-11-23T11:30:00.000Z');
    let upcoming = await readEvents(app, { types: ['member.birthday_upcoming'] });
    upcoming.forEach(expectValidEvent);
    expect(upcoming.map((event) => event.data)).toEqual([
      { memberId: auckland.memberId, channels: ['email'], leadDays: 7, birthdayOn: '2026-12-01', daysUntil: 7 },
    ]);

    await runReminders(app, '2026-11-24T00:30:00.000Z');
    await runReminders(app, '2026-11-30T00:30:00.000Z');
    upcoming = await readEvents(app, { types: ['member.birthday_upcoming'] });
    expect(upcoming.map((event) => [event.data.memberId, event.data.leadDays, event.data.birthdayOn])).toEqual([
      [auckland.memberId, 7, '2026-12-01'],
      [london.memberId, 7, '2026-12-01'],
      [auckland.memberId, 1, '2026-12-01'],
      [london.memberId, 1, '2026-12-01'],
    ]);
    // A year on, the same birthday reminds again (a new reason); the same run twice does not.
    await runReminders(app, '2027-11-24T12:00:00.000Z');
    await runReminders(app, '2027-11-24T12:00:00.000Z');
    expect(await readEvents(app, { types: ['member.birthday_upcoming'] })).toHaveLength(6);
  });
});

describe('pressure control', () => {
  it('sends nothing to a member without consent, and records why', async () => {
    await setReminderSettings(app, { pointsExpiringLeadDays: [], birthdayLeadDays: [] });
    const silent = await enroll(app, { email: 'silent@example.com' });
    await placeOrder(app, silent.globalId, 'o-1', 1_000, { at: TEST_NOW });
    await runReminders(app, at(TEST_NOW, 45 * DAY));
    expect(await readEvents(app, { types: ['member.lapsed'] })).toEqual([]);
    expect(await remindersOf(app, { status: 'SUPPRESSED' })).toEqual([
      expect.objectContaining({
        type: 'MEMBER_LAPSED',
        memberId: silent.globalId,
        suppressedBecause: 'no_consent',
        eventId: null,
        dueAt: null,
      }),
    ]);
  });

  it('holds a reminder through quiet hours in the member’s time zone and lets it out after, to the channels allowed then', async () => {
    await setReminderSettings(app, { pointsExpiringLeadDays: [], birthdayLeadDays: [], quietHours: { start: '21:00', end: '08:00' } });
    const newYork = await enroll(app, { email: 'ny@example.com', timeZone: 'America/New_York', consents: { email: true, sms: true } });
    const berlin = await enroll(app, { email: 'b@example.com', timeZone: 'Europe/Berlin', consents: emailOnly });
    await placeOrder(app, newYork.globalId, 'o-ny', 1_000, { at: TEST_NOW });
    await placeOrder(app, berlin.globalId, 'o-b', 1_000, { at: TEST_NOW });

    // 45 days on it is 10:00 UTC: 05:00 in New York (quiet until 08:00 = 13:00 UTC), 11:00 in Berlin.
    const due = at(TEST_NOW, 45 * DAY);
    await runReminders(app, due);
    expect((await readEvents(app, { types: ['member.lapsed'] })).map((event) => event.data.memberId)).toEqual([berlin.memberId]);
    expect(await remindersOf(app, { status: 'HELD' })).toEqual([
      expect.objectContaining({ memberId: newYork.globalId, dueAt: '2027-01-07T13:00:00.000Z' }),
    ]);

    await send(app, `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { __typename } }`, {
      id: newYork.globalId,
      consents: { email: false },
    });
    await runReminders(app, '2027-01-07T12:59:59.999Z');
    expect(await readEvents(app, { types: ['member.lapsed'] })).toHaveLength(1);
    await runReminders(app, '2027-01-07T13:00:00.000Z');
    await runReminders(app, '2027-01-07T13:00:00.000Z');
    const lapsed = await readEvents(app, { types: ['member.lapsed'] });
    expect(lapsed.map((event) => [event.data.memberId, event.data.channels, event.timestamp])).toEqual([
      [berlin.memberId, ['email'], due],
      [newYork.memberId, ['sms'], '2027-01-07T13:00:00.000Z'],
    ]);
    lapsed.forEach(expectValidEvent);
  });

  it('caps reminders per member across types by priority, also when runs overlap, and records the suppressed ones', async () => {
    await setReminderSettings(app, {
      pointsExpiringLeadDays: [30],
      lapsedAfterDays: [45],
      birthdayLeadDays: [7],
      frequencyCap: { maxReminders: 1, perDays: 7 },
      quietHours: null,
    });
    const ada = await enroll(app, { email: 'ada@example.com', birthday: '1990-11-10', consents: emailOnly });
    await placeOrder(app, ada.globalId, 'o-1', 1_000, { at: TEST_NOW });
    // 2027-11-05: the lot expires in 18 days, the last order is 347 days old, the birthday 5 days away.
    const now = '2027-11-05T10:00:00.000Z';
    await Promise.all([runReminders(app, now), runReminders(app, now), runReminders(app, at(now, 1))]);
    const sent = await remindersOf(app, { status: 'SENT' });
    expect(sent.map((reminder) => reminder.type)).toEqual(['POINTS_EXPIRING']);
    expect(
      (await readEvents(app, { memberId: ada.globalId })).filter(
        (event) => event.type.startsWith('points.expiring') || event.type.startsWith('member.'),
      ),
    ).toHaveLength(2); // enrolled + expiring
    const suppressed = await remindersOf(app, { status: 'SUPPRESSED' });
    expect(suppressed.map((reminder) => [reminder.type, reminder.suppressedBecause]).sort()).toEqual([
      ['MEMBER_BIRTHDAY_UPCOMING', 'frequency_cap'],
      ['MEMBER_LAPSED', 'frequency_cap'],
    ]);
    // Once the window has passed, a new reason may go out again.
    await placeOrder(app, ada.globalId, 'o-2', 1_000, { at: '2027-11-06T10:00:00.000Z' });
    await runReminders(app, at('2027-11-06T10:00:00.000Z', 45 * DAY));
    expect((await remindersOf(app, { status: 'SENT', type: 'MEMBER_LAPSED' })).map((reminder) => reminder.data.afterDays)).toEqual([45]);
  });

  it('lets a higher priority win the cap', async () => {
    await setReminderSettings(app, {
      pointsExpiringLeadDays: [30],
      lapsedAfterDays: [45],
      birthdayLeadDays: [],
      frequencyCap: { maxReminders: 1, perDays: 7 },
      priorities: ['MEMBER_LAPSED'],
      quietHours: null,
    });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    await placeOrder(app, ada.globalId, 'o-1', 1_000, { at: TEST_NOW });
    await runReminders(app, '2027-11-05T10:00:00.000Z');
    expect((await remindersOf(app, { status: 'SENT' })).map((reminder) => reminder.type)).toEqual(['MEMBER_LAPSED']);
  });
});

describe('member time zones', () => {
  it('accepts IANA zones and refuses anything else with a typed error', async () => {
    const ada = await enroll(app, { email: 'ada@example.com', timeZone: 'Asia/Kolkata' });
    expect(ada.member.timeZone ?? 'Asia/Kolkata').toBe('Asia/Kolkata');
    for (const timeZone of ['Mars/Olympus', 'UTC+2', '']) {
      const response = await app.graphql(
        `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename ... on InvalidInputError { issues { path } } } }`,
        { input: { email: `${timeZone.length}x@example.com`, timeZone } },
        await app.token({ role: 'admin' }),
      );
      expect(response.data!.enrollMember, timeZone).toMatchObject({
        __typename: 'InvalidInputError',
        issues: [{ path: ['input', 'timeZone'] }],
      });
    }
  });
});
