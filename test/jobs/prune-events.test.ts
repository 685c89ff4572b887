import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../support/test-app';
import { enroll } from '../support/members';
import { runJobNow } from '../../src/jobs/runner';
import { jobs } from '../../src/jobs/schedule';
import { createEventsService, dispatchWebhooks } from '../../src/modules/events';
import { dispatchDeps } from '../../src/jobs/dispatch-webhooks';
import { startReceiver } from '../support/receiver';

const DAY = 86_400_000;
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { EVENT_RETENTION_DAYS: '7' } });
});
afterAll(() => app.close());

const count = async (table: string) => (await app.db.all<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))[0]!.n;

describe('prune-events', () => {
  it('deletes events and finished deliveries past EVENT_RETENTION_DAYS, keeps newer ones and any event a delivery still waits for', async () => {
    const down = await startReceiver((_request, _index, res) => {
      res.statusCode = 500;
      res.end();
    });
    const up = await startReceiver();
    const events = createEventsService(app.deps);
    await events.createEndpoint('acme', { url: up.url, eventTypes: ['member.enrolled'] });
    const waiting = await events.createEndpoint('acme', { url: down.url, eventTypes: ['member.enrolled'] });
    await enroll(app, { externalId: 'old-1' });
    await dispatchWebhooks(dispatchDeps(app.deps), { deadline: app.clock.now().getTime() + 10_000 });
    await events.updateEndpoint('acme', waiting.id, { enabled: false });
    await enroll(app, { externalId: 'old-2' });
    await dispatchWebhooks(dispatchDeps(app.deps), { deadline: app.clock.now().getTime() + 10_000 });
    await enroll(app, { externalId: 'old-3' });
    expect(await count('events')).toBe(3);

    app.clock.set(new Date(app.clock.now().getTime() + 7 * DAY + 1));
    await enroll(app, { externalId: 'new-1' });
    const run = await runJobNow(app.deps, jobs['prune-events']!, { now: app.clock.now(), trigger: 'manual', programId: null });
    expect(run.error).toBeNull();
    // old-1 waits for the disabled endpoint; old-2 was delivered and goes; old-3 is not yet queued
    // for the enabled endpoint; new-1 is recent.
    const left = await app.db.all<{ external: string }>(
      sql`select json_extract(data, '$.externalId') as external from events order by seq`,
    );
    expect(left.map((row) => row.external)).toEqual(['old-1', 'old-3', 'new-1']);
    expect(await count(`webhook_deliveries where status = 'succeeded'`)).toBe(0);
    expect(await count(`webhook_deliveries where status = 'pending'`)).toBe(1);
    await Promise.all([down.close(), up.close()]);
  });
});
