import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recalculateTiersInBulk } from '../../src/modules/tiers/bulk-recalculation';
import type { Database } from '../../src/platform/db/database';
import { enroll } from '../support/members';
import { closeSoundly, freshLedgerApp } from '../support/ledger';
import { placeOrder, runJobAt, setUpTiers, standingOf } from '../support/tiers';
import type { TestApp } from '../support/test-app';
import { expectValidEvent, readEvents } from '../support/events';

/**
 * recalculate-tiers decides a chunk of members from one read and writes their changes in one batch;
 * each write is guarded by what it was decided on, so an order that lands between the read and the
 * write wins, and the job's stale decision writes nothing (not even history).
 */
let app: TestApp;
let ada: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member: ada } = await freshLedgerApp());
  await setUpTiers(app); // Silver 10,000, Gold 50,000, Platinum 200,000; no grace
});
afterEach(() => closeSoundly(app));

/** `db` that runs `meanwhile` just before its `n`th batch (the write), as a member command committing in between. */
function interleaved(n: number, meanwhile: () => Promise<unknown>): Database {
  let batches = 0;
  return new Proxy(app.db, {
    get(target, property) {
      if (property !== 'batch') return Reflect.get(target, property, target);
      return async (statements: Parameters<Database['batch']>[0]) => {
        if (++batches === n) await meanwhile();
        return target.batch(statements);
      };
    },
  });
}

describe('recalculate-tiers, set-based', () => {
  it('changes many members in one batch: upgrades, downgrades and unchanged ones', async () => {
    const bob = await enroll(app, { email: 'bob@example.com' });
    const cleo = await enroll(app, { email: 'cleo@example.com' });
    await placeOrder(app, ada.globalId, 'ada-1', 60_000, { at: '2026-01-10T10:00:00Z' }); // Gold, falls out of the window
    await placeOrder(app, bob.globalId, 'bob-1', 12_000, { at: '2026-11-01T10:00:00Z' }); // Silver, stays
    await placeOrder(app, cleo.globalId, 'cleo-1', 500, { at: '2026-11-01T10:00:00Z' }); // no tier
    expect(await runJobAt(app, 'RECALCULATE_TIERS', '2027-01-20T00:00:00Z')).toMatchObject({ processed: 3, error: null });
    expect((await standingOf(app, ada.globalId)).tier).toBeNull();
    expect((await standingOf(app, bob.globalId)).tier).toBe('Silver');
    expect((await standingOf(app, cleo.globalId)).tier).toBeNull();
    // Each applied change is an event, in the job's own batch.
    const changes = (await readEvents(app, { types: ['tier.upgraded', 'tier.downgraded'] })).map((event) => [
      event.type,
      event.data.memberId,
    ]);
    expect(changes).toEqual([
      ['tier.upgraded', ada.memberId],
      ['tier.upgraded', bob.memberId],
      ['tier.downgraded', ada.memberId],
    ]);
    for (const event of await readEvents(app, { types: ['tier.downgraded'] })) expectValidEvent(event);
  });

  it('an order between the read and the write wins: the stale downgrade writes nothing', async () => {
    await placeOrder(app, ada.globalId, 'ada-1', 60_000, { at: '2026-01-10T10:00:00Z' }); // Gold
    const now = new Date('2027-01-20T00:00:00Z');
    app.clock.set(now);
    // The job reads Ada's standing (no order in the window: down to no tier), then her new order commits.
    const db = interleaved(2, () => placeOrder(app, ada.globalId, 'ada-2', 55_000));
    const { changed } = await recalculateTiersInBulk(db, 'acme', now, null, 100);
    expect(changed).toBe(1); // decided, but its guard found the metric changed
    expect((await standingOf(app, ada.globalId)).tier).toBe('Gold');
    expect((await app.client.execute("select reason from tier_history where reason = 'downgrade'")).rows).toEqual([]);
    expect(await readEvents(app, { types: ['tier.downgraded'] })).toEqual([]);

    // The next run decides from the state that won.
    expect(await runJobAt(app, 'RECALCULATE_TIERS', '2027-01-20T00:00:00Z')).toMatchObject({ processed: 1, error: null });
    expect((await standingOf(app, ada.globalId)).tier).toBe('Gold');
  });
});
