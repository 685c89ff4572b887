import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expirePoints } from '../../../src/jobs/expire-points';
import { runJobNow } from '../../../src/jobs/runner';
import { earnMonths, earnMonthsFromLotsQuery } from '../../../src/modules/ledger';
import { enroll } from '../../support/members';
import { expectLedgerSound, mutate, REDEEM, REFUND_ORDER } from '../../support/ledger';
import { placeOrder } from '../../support/tiers';
import { createTestApp, type TestApp } from '../../support/test-app';

/** Migration 0018 backfills the points by earn month from the lots already there: it must give what the ledger's batches keep. */
const BACKFILL = readFileSync(new URL('../../../migrations/0018_insights_aggregates.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .map((statement) => statement.trim())
  .find((statement) => statement.startsWith('INSERT INTO `points_by_earn_month`'))!;

const kept = (app: TestApp) => earnMonths(app.db, 'acme', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

describe('points by earn month', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('follow earning, redeeming, refunds and expiry (command and job), equal their recomputation and the backfill', async () => {
    const ada = await enroll(app, { email: 'ada@example.com' });
    const bob = await enroll(app, { email: 'bob@example.com' });
    app.clock.set('2026-01-31T23:59:59.999Z');
    await placeOrder(app, ada.globalId, 'E-1', 10_000);
    app.clock.set('2026-02-01T00:00:00.000Z');
    await placeOrder(app, ada.globalId, 'E-2', 5_000);
    await placeOrder(app, bob.globalId, 'E-3', 7_000);
    expect((await mutate(app, REDEEM, { memberId: ada.globalId, points: 120 })).__typename).toBe('PointsPayload');
    expect((await mutate(app, REFUND_ORDER, { orderId: 'E-3', amount: 3_500, idempotencyKey: 'refund-E-3' })).__typename).toBe(
      'RefundOrderPayload',
    );
    // A year on, the January and February lots expire: by the job (set-based) for everyone.
    const expiry = await runJobNow(app.deps, expirePoints, {
      now: new Date('2027-03-01T00:00:00.000Z'),
      trigger: 'manual',
      programId: 'acme',
    });
    expect(expiry.error).toBeNull();

    const months = await kept(app);
    // 2026-01 (month 24312): 100 earned, 100 drawn first by the redemption (earliest expiry), nothing left to expire.
    // 2026-02: 50 + 70 earned, 20 more redeemed, 35 taken back by the refund, the remaining 65 expired.
    expect(months).toEqual([
      { month: 2026 * 12, earned: 100, outstanding: 0, expired: 0 },
      { month: 2026 * 12 + 1, earned: 120, outstanding: 0, expired: 65 },
    ]);
    const recomputed = await app.db.all<Record<string, number>>(earnMonthsFromLotsQuery('acme'));
    expect(recomputed.map((row) => ({ month: row.month, earned: row.earned, outstanding: row.outstanding, expired: row.expired }))).toEqual(
      months,
    );
    await app.client.execute('delete from points_by_earn_month');
    await app.client.execute(BACKFILL);
    expect(await kept(app)).toEqual(months);
    await expectLedgerSound(app);
  });
});
