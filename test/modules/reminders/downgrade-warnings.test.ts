import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectValidEvent, readEvents } from '../../support/events';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { remindersOf, remindOnly, runReminders, setReminderSettings } from '../../support/reminders';
import { runJobAt, placeOrder, setUpTiers, tierOf } from '../../support/tiers';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

const DAY = 86_400_000;
const at = (base: string, offsetMs: number) => new Date(Date.parse(base) + offsetMs).toISOString();
const emailOnly = { email: true };

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  await remindOnly(app, { tierDowngradeLeadDays: [7] });
});
afterEach(() => closeSoundly(app));

const warnings = () => readEvents(app, { types: ['tier.downgrade_warning'] });
const rawId = (globalId: string) => decodeGlobalID(globalId).id;

describe('tier.downgrade_warning', () => {
  it('warns exactly N days before the recalculation that would downgrade, not a second earlier, once; the recalculation then does downgrade', async () => {
    const tiers = await setUpTiers(app); // rolling 12 months, no grace; Silver from 10,000
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    // Placed 2026-11-23T10:00Z: it leaves the window at 2027-11-23T10:00Z, and the next
    // recalculation (daily, 02:30 UTC) finds Ada below Silver: 2027-11-24T02:30Z.
    await placeOrder(app, ada.globalId, 'o-1', 10_000, { at: TEST_NOW });
    expect(await tierOf(app, ada.globalId)).toBe('Silver');
    const downgradeAt = '2027-11-24T02:30:00.000Z';

    await runReminders(app, at(downgradeAt, -8 * DAY)); // N + 1 days before
    await runReminders(app, at(downgradeAt, -7 * DAY - 1_000)); // a second too early
    expect(await warnings()).toEqual([]);

    await runReminders(app, at(downgradeAt, -7 * DAY));
    await runReminders(app, at(downgradeAt, -7 * DAY)); // the same now again
    await runReminders(app, at(downgradeAt, -DAY)); // the same forecast: deduped
    const events = await warnings();
    expect(events).toHaveLength(1);
    events.forEach(expectValidEvent);
    expect(events[0]!.data).toEqual({
      memberId: ada.memberId,
      channels: ['email'],
      leadDays: 7,
      tierId: rawId(tiers.Silver!.id),
      tierName: 'Silver',
      toTierId: null,
      toTierName: null,
      downgradeAt,
      metric: 'spend',
      threshold: 10_000,
      metricAtDowngrade: 0,
      missing: 10_000,
    });

    // The forecast is what recalculation does: still Silver a day before, downgraded at that instant.
    await runJobAt(app, 'RECALCULATE_TIERS', at(downgradeAt, -DAY));
    expect(await tierOf(app, ada.globalId)).toBe('Silver');
    await runJobAt(app, 'RECALCULATE_TIERS', downgradeAt);
    expect(await tierOf(app, ada.globalId)).toBeNull();
  });

  it('names the tier the member falls to and what is missing; a new order moves the forecast and warns again', async () => {
    const tiers = await setUpTiers(app, { downgradeGraceDays: 3 });
    await setReminderSettings(app, { tierDowngradeLeadDays: [30, 7], frequencyCap: { maxReminders: 10, perDays: 7 } });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    await placeOrder(app, ada.globalId, 'o-1', 30_000, { at: TEST_NOW });
    await placeOrder(app, ada.globalId, 'o-2', 25_000, { at: at(TEST_NOW, 60 * DAY) });
    expect(await tierOf(app, ada.globalId)).toBe('Gold');
    // o-1 leaves the window at 2027-11-23T10:00Z; the next recalculation starts the 3-day grace
    // (2027-11-24T02:30Z), and the one 3 days later downgrades: 2027-11-27T02:30Z, to Silver.
    const downgradeAt = '2027-11-27T02:30:00.000Z';
    await runReminders(app, at(downgradeAt, -31 * DAY));
    expect(await warnings()).toEqual([]);
    await runReminders(app, at(downgradeAt, -30 * DAY));
    await runReminders(app, at(downgradeAt, -7 * DAY));
    let events = await warnings();
    events.forEach(expectValidEvent);
    expect(events.map((event) => event.data)).toMatchObject([
      {
        leadDays: 30,
        tierName: 'Gold',
        toTierId: rawId(tiers.Silver!.id),
        toTierName: 'Silver',
        downgradeAt,
        metricAtDowngrade: 25_000,
        missing: 25_000,
      },
      { leadDays: 7, tierName: 'Gold', toTierName: 'Silver', downgradeAt, missing: 25_000 },
    ]);

    // An order keeps Ada in Gold past that date: the next warning is about the new forecast.
    const ordered = at(downgradeAt, -5 * DAY);
    await placeOrder(app, ada.globalId, 'o-3', 30_000, { at: ordered });
    await runReminders(app, at(downgradeAt, -4 * DAY));
    expect(await warnings()).toHaveLength(2);
    // o-2 leaves the window at 2028-01-22T10:00Z; grace from the next recalculation, 2028-01-23T02:30Z.
    const next = '2028-01-26T02:30:00.000Z';
    await runReminders(app, at(next, -7 * DAY));
    events = await warnings();
    expect(events).toHaveLength(3);
    expect(events[2]!.data).toMatchObject({ leadDays: 7, tierName: 'Gold', downgradeAt: next, metricAtDowngrade: 30_000, missing: 20_000 });
  });

  it('counts a running grace clock, a calendar-year window, and goes through consent and the cap', async () => {
    await setUpTiers(app, { window: 'CALENDAR_YEAR', downgradeGraceDays: 10 });
    await setReminderSettings(app, { frequencyCap: { maxReminders: 1, perDays: 7 }, lapsedAfterDays: [1], tierDowngradeLeadDays: [14, 7] });
    const ada = await enroll(app, { email: 'ada@example.com', consents: emailOnly });
    const silent = await enroll(app, { email: 'silent@example.com' });
    await placeOrder(app, ada.globalId, 'o-1', 10_000, { at: TEST_NOW });
    await placeOrder(app, silent.globalId, 'o-2', 10_000, { at: TEST_NOW });
    // A calendar year: the orders stop counting on 1 January; the recalculation at 02:30 starts
    // the clock, and 10 days later downgrades.
    const downgradeAt = '2027-01-11T02:30:00.000Z';
    await runReminders(app, at(downgradeAt, -14 * DAY));
    const decided = await remindersOf(app);
    const of = (memberId: string) =>
      decided
        .filter((reminder) => rawId(reminder.memberId) === memberId)
        .map((reminder) => [reminder.type, reminder.status, reminder.suppressedBecause])
        .sort();
    // The warning outranks the lapse under a cap of one; no consent, no reminder.
    expect(of(ada.memberId)).toEqual([
      ['MEMBER_LAPSED', 'SUPPRESSED', 'frequency_cap'],
      ['TIER_DOWNGRADE_WARNING', 'SENT', null],
    ]);
    expect(of(silent.memberId)).toEqual([
      ['MEMBER_LAPSED', 'SUPPRESSED', 'no_consent'],
      ['TIER_DOWNGRADE_WARNING', 'SUPPRESSED', 'no_consent'],
    ]);
    expect((await warnings())[0]!.data).toMatchObject({ leadDays: 14, downgradeAt, missing: 10_000 });

    // Once recalculation started the clock, the forecast counts from it.
    await runJobAt(app, 'RECALCULATE_TIERS', '2027-01-01T02:30:00.000Z');
    expect(await tierOf(app, ada.globalId)).toBe('Silver');
    await runReminders(app, at(downgradeAt, -6 * DAY));
    expect((await warnings()).map((event) => [event.data.leadDays, event.data.downgradeAt])).toEqual([
      [14, downgradeAt],
      [7, downgradeAt],
    ]);
    await runJobAt(app, 'RECALCULATE_TIERS', at(downgradeAt, -DAY));
    expect(await tierOf(app, ada.globalId)).toBe('Silver');
    await runJobAt(app, 'RECALCULATE_TIERS', downgradeAt);
    expect(await tierOf(app, ada.globalId)).toBeNull();
  });
});
