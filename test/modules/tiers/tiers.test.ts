import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ERASE } from '../../support/operations';
import { closeSoundly, freshLedgerApp, mutate, REFUND_ORDER } from '../../support/ledger';
import {
  CONFIGURE_TIERS,
  CREATE_TIER,
  DELETE_TIER,
  PROGRAM_TIERS,
  RECORD_ORDER_WITH_TIER,
  TIER_HISTORY_PAGE,
  UPDATE_TIER,
  configureTiers,
  createTier,
  placeOrder,
  runJobAt,
  send,
  setUpTiers,
  standingOf,
  tierOf,
} from '../../support/tiers';

/**
 * Tiers from the outside: an admin configures how members qualify and the tier ladder; orders
 * upgrade a member at once; refunds and time only lower the metric, and recalculation (a job,
 * see recalculation.test.ts) is what downgrades.
 *
 * Unless a test says otherwise: default ledger rules (1 point per 100 minor units paid, rounded
 * down), the clock at 2026-11-23T10:00:00Z, and `LADDER` with SPEND over a rolling 12 months:
 * Silver from 10,000 (×1.5), Gold from 50,000 (×2), Platinum from 200,000 (×3).
 */

let app: TestApp;
let member: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

const order = (orderId: string, total: number, options: { at?: string; redeemPoints?: number } = {}) =>
  placeOrder(app, member.globalId, orderId, total, options);
const refund = (orderId: string, amount: number) => mutate(app, REFUND_ORDER, { orderId, amount });
const programTiers = async (token?: string) => {
  const response = await app.graphql(PROGRAM_TIERS, {}, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.program as { tierSettings: Record<string, unknown> | null; tiers: Array<Record<string, any>> };
};
const issuesOf = (result: Record<string, any>) => {
  expect(result.__typename, JSON.stringify(result)).toBe('InvalidInputError');
  return result.issues as Array<{ path: string[]; message: string }>;
};
const memberToken = (memberId = member.memberId) => app.token({ role: 'member', subject: memberId });

describe('configureTiers', () => {
  it('is absent until configured, then stores the settings (windowMonths 12 and grace 0 by default)', async () => {
    expect((await programTiers()).tierSettings).toBeNull();

    expect(await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS' })).toEqual({
      metric: 'SPEND',
      window: 'ROLLING_MONTHS',
      windowMonths: 12,
      downgradeGraceDays: 0,
    });
    // Configuring again replaces the whole settings.
    await configureTiers(app, { metric: 'POINTS_EARNED', window: 'CALENDAR_YEAR', windowMonths: 6, downgradeGraceDays: 30 });
    expect((await programTiers()).tierSettings).toEqual({
      metric: 'POINTS_EARNED',
      window: 'CALENDAR_YEAR',
      windowMonths: 6,
      downgradeGraceDays: 30,
    });
  });

  it('accepts the bounds: 1 to 120 months, 0 to 3,650 days of grace', async () => {
    await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 1, downgradeGraceDays: 0 });
    await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 120, downgradeGraceDays: 3_650 });
    expect((await programTiers()).tierSettings).toMatchObject({ windowMonths: 120, downgradeGraceDays: 3_650 });
  });

  it.each([
    [{ windowMonths: 0 }, 'windowMonths', 'must be at least 1'],
    [{ windowMonths: 121 }, 'windowMonths', 'must be at most 120'],
    [{ downgradeGraceDays: -1 }, 'downgradeGraceDays', 'must not be negative'],
    [{ downgradeGraceDays: 3_651 }, 'downgradeGraceDays', undefined],
  ])('refuses %o with InvalidInputError on input.%s and keeps the earlier settings', async (invalid, field, message) => {
    await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 6, downgradeGraceDays: 7 });
    const result = await send(app, CONFIGURE_TIERS, { metric: 'POINTS_EARNED', window: 'ROLLING_MONTHS', ...invalid });
    const issues = issuesOf(result);
    expect(issues).toEqual([{ path: ['input', field], message: message ?? expect.any(String) }]);
    expect((await programTiers()).tierSettings).toEqual({
      metric: 'SPEND',
      window: 'ROLLING_MONTHS',
      windowMonths: 6,
      downgradeGraceDays: 7,
    });
  });

  it.each([
    ['storefront', 'FORBIDDEN'],
    ['member', 'FORBIDDEN'],
    ['partner', 'FORBIDDEN'],
    ['anonymous', 'UNAUTHENTICATED'],
  ] as const)('is refused for %s (%s) and changes nothing', async (role, code) => {
    const token =
      role === 'anonymous'
        ? undefined
        : await app.token({
            role,
            subject: role === 'member' ? member.memberId : `test-${role}`,
            partnerId: role === 'partner' ? 'beans-inc' : undefined,
          });
    const response = await app.graphql(CONFIGURE_TIERS, { input: { metric: 'SPEND', window: 'CALENDAR_YEAR' } }, token);
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.data?.configureTiers ?? null).toBeNull();
    expect((await programTiers()).tierSettings).toBeNull();
  });
});

describe('createTier, updateTier, deleteTier', () => {
  it('creates tiers with defaults (×1, no discount, no member-only offers) and lists them lowest threshold first', async () => {
    const gold = await createTier(app, {
      name: 'Gold',
      threshold: 50_000,
      earnMultiplierPermille: 2_000,
      discountBasisPoints: 500,
      memberOnlyOffers: true,
    });
    const silver = await createTier(app, { name: '  Silver  ', threshold: 10_000 });
    expect(silver).toEqual({
      id: expect.any(String),
      name: 'Silver',
      threshold: 10_000,
      earnMultiplierPermille: 1_000,
      discountBasisPoints: 0,
      memberOnlyOffers: false,
    });

    // Created Gold first, listed Silver first.
    expect((await programTiers()).tiers).toEqual([silver, gold]);
    expect(gold).toMatchObject({
      name: 'Gold',
      threshold: 50_000,
      earnMultiplierPermille: 2_000,
      discountBasisPoints: 500,
      memberOnlyOffers: true,
    });
  });

  it('accepts a tier at threshold 0 and thresholds beyond 32-bit integers', async () => {
    await createTier(app, { name: 'Base', threshold: 0 });
    await createTier(app, { name: 'Whale', threshold: 5_000_000_000 });
    expect((await programTiers()).tiers.map((tier) => [tier.name, tier.threshold])).toEqual([
      ['Base', 0],
      ['Whale', 5_000_000_000],
    ]);
  });

  it.each([
    [{ threshold: 10_000 }, 'name', undefined],
    [{ name: '   ', threshold: 10_000 }, 'name', 'must not be empty'],
    [{ name: 'x'.repeat(101), threshold: 10_000 }, 'name', undefined],
    [{ name: 'Silver' }, 'threshold', undefined],
    [{ name: 'Silver', threshold: -1 }, 'threshold', 'must not be negative'],
    [{ name: 'Silver', threshold: 10_000, earnMultiplierPermille: -1 }, 'earnMultiplierPermille', undefined],
    [{ name: 'Silver', threshold: 10_000, earnMultiplierPermille: 100_001 }, 'earnMultiplierPermille', 'at most ×100'],
    [{ name: 'Silver', threshold: 10_000, discountBasisPoints: 10_001 }, 'discountBasisPoints', 'at most 100 %'],
    [{ name: 'Silver', threshold: 10_000, discountBasisPoints: -5 }, 'discountBasisPoints', undefined],
  ])('refuses %o with InvalidInputError on input.%s and creates nothing', async (input, field, message) => {
    const issues = issuesOf(await send(app, CREATE_TIER, input));
    expect(issues).toEqual([{ path: ['input', field], message: message ?? expect.any(String) }]);
    expect((await programTiers()).tiers).toEqual([]);
  });

  it('refuses a second tier with the same name or the same threshold (DuplicateTierError)', async () => {
    await createTier(app, { name: 'Silver', threshold: 10_000 });
    expect(await send(app, CREATE_TIER, { name: 'Silver', threshold: 20_000 })).toMatchObject({
      __typename: 'DuplicateTierError',
      code: 'DUPLICATE_TIER',
      field: 'name',
    });
    expect(await send(app, CREATE_TIER, { name: 'Gold', threshold: 10_000 })).toMatchObject({
      __typename: 'DuplicateTierError',
      code: 'DUPLICATE_TIER',
      field: 'threshold',
    });
    // The name is trimmed before it is compared.
    expect(await send(app, CREATE_TIER, { name: ' Silver ', threshold: 30_000 })).toMatchObject({
      __typename: 'DuplicateTierError',
      field: 'name',
    });
    expect((await programTiers()).tiers.map((tier) => tier.name)).toEqual(['Silver']);
  });

  it('updates only the given fields; the same values as another tier are DuplicateTierError', async () => {
    const silver = await createTier(app, { name: 'Silver', threshold: 10_000, earnMultiplierPermille: 1_500, discountBasisPoints: 200 });
    await createTier(app, { name: 'Gold', threshold: 50_000 });

    const updated = await send(app, UPDATE_TIER, { id: silver.id, threshold: 12_000, memberOnlyOffers: true });
    expect(updated).toEqual({
      __typename: 'TierPayload',
      tier: {
        id: silver.id,
        name: 'Silver',
        threshold: 12_000,
        earnMultiplierPermille: 1_500,
        discountBasisPoints: 200,
        memberOnlyOffers: true,
      },
    });
    // An empty patch is harmless and returns the tier as it is.
    expect(await send(app, UPDATE_TIER, { id: silver.id })).toMatchObject({ tier: { threshold: 12_000 } });

    expect(await send(app, UPDATE_TIER, { id: silver.id, name: 'Gold' })).toMatchObject({
      __typename: 'DuplicateTierError',
      field: 'name',
    });
    expect(await send(app, UPDATE_TIER, { id: silver.id, threshold: 50_000 })).toMatchObject({
      __typename: 'DuplicateTierError',
      field: 'threshold',
    });
    expect(issuesOf(await send(app, UPDATE_TIER, { id: silver.id, threshold: -10 }))).toEqual([
      { path: ['input', 'threshold'], message: 'must not be negative' },
    ]);
    expect(issuesOf(await send(app, UPDATE_TIER, { id: silver.id, name: '' }))).toEqual([
      { path: ['input', 'name'], message: 'must not be empty' },
    ]);
    expect((await programTiers()).tiers.map((tier) => [tier.name, tier.threshold])).toEqual([
      ['Silver', 12_000],
      ['Gold', 50_000],
    ]);
  });

  it('answers TierNotFoundError for unknown ids, ids of other types, and tiers of another program', async () => {
    const globexTier = await createTier(app, { name: 'Silver', threshold: 10_000 }, 'globex');
    const unknown = encodeGlobalID('Tier', '0190f1b2-0000-7000-8000-000000000000');
    for (const id of [unknown, member.globalId, globexTier.id, 'not-a-global-id']) {
      expect(await send(app, UPDATE_TIER, { id, name: 'Renamed' }), id).toMatchObject({
        __typename: 'TierNotFoundError',
        code: 'TIER_NOT_FOUND',
      });
      expect(await send(app, DELETE_TIER, { id }), id).toMatchObject({ __typename: 'TierNotFoundError', code: 'TIER_NOT_FOUND' });
    }
    // globex's tier is untouched.
    expect((await programTiers(await app.token({ role: 'admin', programId: 'globex' }))).tiers).toEqual([globexTier]);
  });

  it('deletes a tier nobody holds; refuses (TierInUseError, with the count) while members hold it', async () => {
    const tiers = await setUpTiers(app);
    const bob = await enroll(app, { email: 'bob@example.com' });
    await order('ada-1', 12_000);
    await placeOrder(app, bob.globalId, 'bob-1', 15_000);

    expect(await send(app, DELETE_TIER, { id: tiers.Silver!.id })).toMatchObject({
      __typename: 'TierInUseError',
      code: 'TIER_IN_USE',
      members: 2,
    });
    expect(await tierOf(app, member.globalId)).toBe('Silver');

    const deleted = await send(app, DELETE_TIER, { id: tiers.Platinum!.id });
    expect(deleted).toMatchObject({ __typename: 'TierPayload', tier: { name: 'Platinum', threshold: 200_000 } });
    expect((await programTiers()).tiers.map((tier) => tier.name)).toEqual(['Silver', 'Gold']);
    expect(await send(app, DELETE_TIER, { id: tiers.Platinum!.id })).toMatchObject({ __typename: 'TierNotFoundError' });

    // Once recalculation has moved both members down (full refunds, grace 0), Silver can go.
    await refund('ada-1', 12_000);
    await refund('bob-1', 15_000);
    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');
    expect(await send(app, DELETE_TIER, { id: tiers.Silver!.id })).toMatchObject({ __typename: 'TierPayload' });
    expect((await programTiers()).tiers.map((tier) => tier.name)).toEqual(['Gold']);
  });

  it('lets a tier go once its only holder is erased and recalculation has run', async () => {
    const tiers = await setUpTiers(app);
    await order('ada-1', 12_000); // Silver
    const erased = await app.graphql(ERASE, { input: { id: member.globalId } }, await app.token({ role: 'admin' }));
    expect(erased.data?.eraseMember?.__typename).toBe('MemberPayload');

    // Recalculation skips erased members, so it cannot move Ada out of Silver; the erased member
    // must not hold the tier hostage ("move them … or recalculate" has no way to move her).
    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');
    expect(await send(app, DELETE_TIER, { id: tiers.Silver!.id })).toMatchObject({ __typename: 'TierPayload' });
  });

  it.each([
    ['storefront', 'FORBIDDEN'],
    ['member', 'FORBIDDEN'],
    ['partner', 'FORBIDDEN'],
    ['anonymous', 'UNAUTHENTICATED'],
  ] as const)('refuses create, update and delete for %s (%s)', async (role, code) => {
    const silver = await createTier(app, { name: 'Silver', threshold: 10_000 });
    const token =
      role === 'anonymous'
        ? undefined
        : await app.token({
            role,
            subject: role === 'member' ? member.memberId : `test-${role}`,
            partnerId: role === 'partner' ? 'beans-inc' : undefined,
          });
    for (const [document, input] of [
      [CREATE_TIER, { name: 'Gold', threshold: 50_000 }],
      [UPDATE_TIER, { id: silver.id, threshold: 1 }],
      [DELETE_TIER, { id: silver.id }],
    ] as const) {
      const response = await app.graphql(document, { input }, token);
      expect(response.errors?.[0]?.extensions?.code, document).toBe(code);
      expect(Object.values(response.data ?? {})[0] ?? null).toBeNull();
    }
    expect((await programTiers()).tiers).toEqual([silver]);
  });

  it('lets members and storefronts read the program tiers and settings; not partners', async () => {
    await setUpTiers(app);
    const asAdmin = await programTiers();
    expect(await programTiers(await memberToken())).toEqual(asAdmin);
    expect(await programTiers(await app.token({ role: 'storefront' }))).toEqual(asAdmin);
    expect(asAdmin.tiers.map((tier) => tier.name)).toEqual(['Silver', 'Gold', 'Platinum']);

    const partner = await app.graphql(PROGRAM_TIERS, {}, await app.token({ role: 'partner', partnerId: 'beans-inc' }));
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('upgrade on order', () => {
  beforeEach(async () => {
    await setUpTiers(app);
  });

  it('upgrades at once when an order crosses a threshold, and records it', async () => {
    expect(await order('o-1', 6_000)).toMatchObject({ upgradedTier: null });
    expect(await tierOf(app, member.globalId)).toBeNull();

    // 6,000 + 4,000 = 10,000: exactly Silver's threshold is enough.
    expect(await order('o-2', 4_000)).toMatchObject({ upgradedTier: { name: 'Silver' } });
    const standing = await standingOf(app, member.globalId);
    expect(standing.tier).toBe('Silver');
    expect(standing.history).toEqual([
      { from: null, to: { name: 'Silver' }, reason: 'upgrade', metricValue: 10_000, at: '2026-11-23T10:00:00.000Z' },
    ]);

    // Further orders below Gold change nothing.
    expect(await order('o-3', 1_000)).toMatchObject({ upgradedTier: null });
    expect((await standingOf(app, member.globalId)).history).toHaveLength(1);
  });

  it('goes straight to the highest tier when one order crosses two thresholds', async () => {
    expect(await order('big', 60_000)).toMatchObject({ upgradedTier: { name: 'Gold' }, pointsEarned: 600 });
    const standing = await standingOf(app, member.globalId);
    expect(standing.tier).toBe('Gold');
    expect(standing.history).toEqual([
      { from: null, to: { name: 'Gold' }, reason: 'upgrade', metricValue: 60_000, at: '2026-11-23T10:00:00.000Z' },
    ]);
  });

  it('a replayed order answers its first result and upgrades once; a duplicate order upgrades nobody', async () => {
    const token = await app.token({ role: 'admin' });
    const input = { memberId: member.globalId, orderId: 'o-1', currency: 'EUR', total: 12_000, idempotencyKey: 'order-o-1' };
    const first = await app.graphql(RECORD_ORDER_WITH_TIER, { input }, token);
    const again = await app.graphql(RECORD_ORDER_WITH_TIER, { input }, token);
    expect(first.data!.recordOrder).toMatchObject({ upgradedTier: { name: 'Silver' }, pointsEarned: 120 });
    expect(again.data!.recordOrder).toEqual(first.data!.recordOrder);
    expect((await standingOf(app, member.globalId)).history).toHaveLength(1);

    // The same order id under another key is refused as a whole: its 60,000 would have lifted the
    // member to Gold (72,000), but nothing of its batch is written, the upgrade included.
    const duplicate = await send(app, RECORD_ORDER_WITH_TIER, { ...input, total: 60_000, idempotencyKey: 'order-o-1-bis' });
    expect(duplicate).toMatchObject({ __typename: 'DuplicateOrderError' });
    const standing = await standingOf(app, member.globalId);
    expect(standing.tier).toBe('Silver');
    expect(standing.history).toHaveLength(1);
    expect(standing.progress).toMatchObject({ value: 12_000 });
  });

  it('earns the upgrading order at the tier held before it; the new multiplier applies from the next order', async () => {
    // 12,000 at ×1 = 120 points, and the member becomes Silver (×1.5).
    expect(await order('a', 12_000)).toMatchObject({ pointsEarned: 120, upgradedTier: { name: 'Silver' } });
    // 1,000 at ×1.5 = 15.
    expect(await order('b', 1_000)).toMatchObject({ pointsEarned: 15, upgradedTier: null });
    // 40,000 lifts the metric to 53,000 (Gold) but is still earned at Silver's ×1.5 = 600.
    expect(await order('c', 40_000)).toMatchObject({ pointsEarned: 600, upgradedTier: { name: 'Gold' } });
    // 1,000 at ×2 = 20.
    expect(await order('d', 1_000)).toMatchObject({ pointsEarned: 20, pointsBalance: 120 + 15 + 600 + 20 });
  });

  it('rounds multiplied points with the program rounding (down by default)', async () => {
    await order('a', 10_000); // Silver
    // 1,099 minor units × 1.5 / 100 = 16.485 points: 16.
    expect(await order('b', 1_099)).toMatchObject({ pointsEarned: 16 });
  });

  it('counts the whole order total as spend, including the part paid with points', async () => {
    expect(await order('earn', 5_000)).toMatchObject({ pointsEarned: 50 });
    // 5,000 of which 50 points pay 50: spend 5,000 + 5,000 = 10,000 (Silver); earned on 4,950 paid at ×1 = 49.
    expect(await order('pay', 5_000, { redeemPoints: 50 })).toMatchObject({
      pointsEarned: 49,
      amountPaid: { amount: 4_950 },
      upgradedTier: { name: 'Silver' },
    });
  });

  it('refunds lower the metric at once but do not downgrade before recalculation', async () => {
    await order('o-1', 12_000);
    expect(await refund('o-1', 5_000)).toMatchObject({ __typename: 'RefundOrderPayload', pointsClawedBack: 50 });

    let standing = await standingOf(app, member.globalId);
    expect(standing.tier).toBe('Silver');
    expect(standing.progress).toMatchObject({ value: 7_000, currentTier: { name: 'Silver' }, nextTier: { name: 'Gold' }, missing: 43_000 });
    expect(standing.history).toHaveLength(1);
    // Still Silver: the next order earns at ×1.5 (3,000 → 45) and, back at 10,000, upgrades nobody.
    expect(await order('o-2', 3_000)).toMatchObject({ pointsEarned: 45, upgradedTier: null });

    await refund('o-2', 3_000);
    // Recalculation (grace 0) is what downgrades: 12,000 − 5,000 + 3,000 − 3,000 = 7,000 < 10,000.
    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');
    standing = await standingOf(app, member.globalId);
    expect(standing.tier).toBeNull();
    expect(standing.history[0]).toEqual({
      from: { name: 'Silver' },
      to: null,
      reason: 'downgrade',
      metricValue: 7_000,
      at: '2026-11-24T02:30:00.000Z',
    });
    expect(await order('o-3', 1_000)).toMatchObject({ pointsEarned: 10 });
  });

  it('raising a threshold keeps holders in their tier until recalculation', async () => {
    const tiers = (await programTiers()).tiers;
    await order('o-1', 12_000);
    await send(app, UPDATE_TIER, { id: tiers[0]!.id, threshold: 15_000 });
    expect(await tierOf(app, member.globalId)).toBe('Silver');
    expect((await standingOf(app, member.globalId)).progress).toMatchObject({ value: 12_000, currentTier: { name: 'Silver' } });

    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');
    expect(await tierOf(app, member.globalId)).toBeNull();
  });

  it('uses the tier multiplier as it is now: a changed multiplier applies to the next order', async () => {
    const tiers = (await programTiers()).tiers;
    await order('o-1', 10_000);
    await send(app, UPDATE_TIER, { id: tiers[0]!.id, earnMultiplierPermille: 2_500 });
    expect(await order('o-2', 1_000)).toMatchObject({ pointsEarned: 25 });
  });
});

describe('tiers configured after orders', () => {
  it('count the orders already in the window, from the next order on', async () => {
    // No tiers yet: an order upgrades nobody and there is no standing to report.
    expect(await order('early', 8_000)).toMatchObject({ upgradedTier: null, pointsEarned: 80 });
    expect(await standingOf(app, member.globalId)).toEqual({ tier: null, progress: null, history: [] });

    await setUpTiers(app);
    // Configuring changes nobody's tier by itself; progress already counts the earlier order.
    expect(await standingOf(app, member.globalId)).toMatchObject({ tier: null, progress: { value: 8_000, missing: 2_000 }, history: [] });
    // 8,000 earlier + 2,000 now = 10,000: Silver.
    expect(await order('later', 2_000)).toMatchObject({ upgradedTier: { name: 'Silver' } });
  });
});

describe('POINTS_EARNED metric', () => {
  // Thresholds in points: Bronze from 100, Silver from 300 at ×2.
  beforeEach(async () => {
    await setUpTiers(app, { metric: 'POINTS_EARNED' }, [
      { name: 'Bronze', threshold: 100, earnMultiplierPermille: 1_000 },
      { name: 'Silver', threshold: 300, earnMultiplierPermille: 2_000 },
    ]);
  });

  it('qualifies on points earned by orders, not on adjustments or on spend', async () => {
    // 9,999 → 99 points: one short of Bronze though the spend is nearly 100.00.
    expect(await order('o-1', 9_999)).toMatchObject({ pointsEarned: 99, upgradedTier: null });
    // An operator's adjustment is not earned on an order: it does not count.
    await mutate(app, `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename } }`, {
      memberId: member.globalId,
      points: 1_000,
      reason: 'goodwill',
    });
    expect((await standingOf(app, member.globalId)).progress).toMatchObject({
      metric: 'POINTS_EARNED',
      value: 99,
      nextTier: { name: 'Bronze' },
      missing: 1,
    });
    // 200, of which 100 paid with points: 1 point earned on the 100 paid, 99 + 1 = 100 → Bronze.
    expect(await order('o-2', 200, { redeemPoints: 100 })).toMatchObject({ pointsEarned: 1, upgradedTier: { name: 'Bronze' } });
    expect((await standingOf(app, member.globalId)).history[0]).toMatchObject({ to: { name: 'Bronze' }, metricValue: 100 });
  });

  it('counts multiplied points, and clawed-back points no longer count', async () => {
    expect(await order('o-1', 10_000)).toMatchObject({ pointsEarned: 100, upgradedTier: { name: 'Bronze' } });
    expect(await order('o-2', 20_000)).toMatchObject({ pointsEarned: 200, upgradedTier: { name: 'Silver' } }); // 300 points
    // At Silver (×2) 5,000 earns 100 points, and the metric grows by those 100.
    expect(await order('o-3', 5_000)).toMatchObject({ pointsEarned: 100 });
    expect((await standingOf(app, member.globalId)).progress).toMatchObject({
      value: 400,
      currentTier: { name: 'Silver' },
      nextTier: null,
      missing: 0,
    });

    // Refunding all of o-2 claws back its 200 points: 200 left.
    await refund('o-2', 20_000);
    expect((await standingOf(app, member.globalId)).progress).toMatchObject({ value: 200, currentTier: { name: 'Silver' } });
    expect(await tierOf(app, member.globalId)).toBe('Silver');
    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');
    expect((await standingOf(app, member.globalId)).history[0]).toMatchObject({
      from: { name: 'Silver' },
      to: { name: 'Bronze' },
      reason: 'downgrade',
      metricValue: 200,
    });
  });
});

describe('tierProgress', () => {
  it('is null while the program has no tier settings', async () => {
    await order('o-1', 50_000);
    expect(await standingOf(app, member.globalId)).toEqual({ tier: null, progress: null, history: [] });
  });

  it('is null while the program has settings but no tiers (as the schema describes it)', async () => {
    await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS' });
    await order('o-1', 50_000);
    // SDL: `tierProgress: TierProgress` — "Null when the program has no tiers".
    expect((await standingOf(app, member.globalId)).progress).toBeNull();
  });

  it('reports the metric in the window, the current and next tier and what is missing', async () => {
    await setUpTiers(app);
    const window = { metric: 'SPEND', windowStart: '2025-11-23T10:00:00.000Z', windowEnd: '2026-11-23T10:00:00.000Z' };
    expect((await standingOf(app, member.globalId)).progress).toEqual({
      ...window,
      value: 0,
      currentTier: null,
      nextTier: { name: 'Silver' },
      missing: 10_000,
    });

    await order('o-1', 3_000);
    expect((await standingOf(app, member.globalId)).progress).toEqual({
      ...window,
      value: 3_000,
      currentTier: null,
      nextTier: { name: 'Silver' },
      missing: 7_000,
    });

    await order('o-2', 12_000);
    expect((await standingOf(app, member.globalId)).progress).toEqual({
      ...window,
      value: 15_000,
      currentTier: { name: 'Silver' },
      nextTier: { name: 'Gold' },
      missing: 35_000,
    });

    // At the top there is no next tier and nothing is missing.
    await order('o-3', 200_000);
    expect((await standingOf(app, member.globalId)).progress).toEqual({
      ...window,
      value: 215_000,
      currentTier: { name: 'Platinum' },
      nextTier: null,
      missing: 0,
    });
  });

  it('follows the clock: the window ends now, and a calendar year starts on 1 January UTC', async () => {
    await setUpTiers(app, { window: 'CALENDAR_YEAR' });
    await order('o-1', 4_000, { at: '2026-03-15T08:00:00Z' });
    app.clock.set('2026-12-31T23:59:59Z');
    expect((await standingOf(app, member.globalId)).progress).toMatchObject({
      windowStart: '2026-01-01T00:00:00.000Z',
      windowEnd: '2026-12-31T23:59:59.000Z',
      value: 4_000,
    });
    app.clock.set('2027-01-01T00:00:00Z');
    expect((await standingOf(app, member.globalId)).progress).toMatchObject({
      windowStart: '2027-01-01T00:00:00.000Z',
      windowEnd: '2027-01-01T00:00:00.000Z',
      value: 0,
      missing: 10_000,
    });
  });

  it('a member reads its own tier, progress and history', async () => {
    await setUpTiers(app);
    await order('o-1', 12_000);
    const response = await app.graphql(
      `{ me { tier { name threshold } tierProgress { value nextTier { name } missing } tierHistory(first: 5) { edges { node { to { name } reason } } } } }`,
      {},
      await memberToken(),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.me).toEqual({
      tier: { name: 'Silver', threshold: 10_000 },
      tierProgress: { value: 12_000, nextTier: { name: 'Gold' }, missing: 38_000 },
      tierHistory: { edges: [{ node: { to: { name: 'Silver' }, reason: 'upgrade' } }] },
    });
  });
});

describe('tierHistory', () => {
  it('lists upgrades and downgrades newest first, page by page', async () => {
    await setUpTiers(app);
    await order('o-1', 10_000, { at: '2026-11-23T10:00:00Z' }); // → Silver at 10,000
    await order('o-2', 40_000, { at: '2026-11-24T10:00:00Z' }); // → Gold at 50,000
    await refund('o-2', 40_000);
    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-25T02:30:00Z'); // → Silver at 10,000 (grace 0)

    const all = (await standingOf(app, member.globalId)).history;
    expect(all).toEqual([
      { from: { name: 'Gold' }, to: { name: 'Silver' }, reason: 'downgrade', metricValue: 10_000, at: '2026-11-25T02:30:00.000Z' },
      { from: { name: 'Silver' }, to: { name: 'Gold' }, reason: 'upgrade', metricValue: 50_000, at: '2026-11-24T10:00:00.000Z' },
      { from: null, to: { name: 'Silver' }, reason: 'upgrade', metricValue: 10_000, at: '2026-11-23T10:00:00.000Z' },
    ]);

    const token = await app.token({ role: 'admin' });
    const first = await app.graphql(TIER_HISTORY_PAGE, { id: member.globalId, first: 2 }, token);
    const page1 = first.data!.member.tierHistory;
    expect(page1.edges.map((edge: any) => edge.node)).toEqual(all.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await app.graphql(TIER_HISTORY_PAGE, { id: member.globalId, first: 2, after: page1.pageInfo.endCursor }, token);
    const page2 = second.data!.member.tierHistory;
    expect(page2.edges.map((edge: any) => edge.node)).toEqual(all.slice(2));
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });
});

describe('tenancy', () => {
  it('leaves members and settings of another program alone', async () => {
    const acmeTiers = await setUpTiers(app);
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    const linus = await enroll(app, { email: 'linus@example.com' }, globexAdmin);

    // globex has no tiers: a big order upgrades nobody there.
    expect(await placeOrder(app, linus.globalId, 'g-1', 300_000, { programId: 'globex' })).toMatchObject({ upgradedTier: null });
    expect(await programTiers(globexAdmin)).toEqual({ tierSettings: null, tiers: [] });
    expect(await standingOf(app, linus.globalId, 'globex')).toEqual({ tier: null, progress: null, history: [] });

    // globex may use the same names and thresholds as acme.
    await setUpTiers(app, { metric: 'POINTS_EARNED', window: 'CALENDAR_YEAR' }, [{ name: 'Silver', threshold: 10_000 }], 'globex');
    expect((await programTiers()).tierSettings).toMatchObject({ metric: 'SPEND', window: 'ROLLING_MONTHS' });

    // acme's member upgrades; globex's member does not move (3,000 points < 10,000).
    expect(await order('a-1', 60_000)).toMatchObject({ upgradedTier: { name: 'Gold' } });
    expect(await tierOf(app, linus.globalId, 'globex')).toBeNull();
    await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');
    expect(await tierOf(app, linus.globalId, 'globex')).toBeNull();
    expect(await tierOf(app, member.globalId)).toBe('Gold');

    // acme's tiers are invisible to globex's admin.
    const node = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: acmeTiers.Gold!.id }, globexAdmin);
    expect(node.data?.node ?? null).toBeNull();
    expect(await send(app, DELETE_TIER, { id: acmeTiers.Platinum!.id }, globexAdmin)).toMatchObject({ __typename: 'TierNotFoundError' });
    expect((await programTiers()).tiers).toHaveLength(3);
  });
});
