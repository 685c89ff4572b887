import type { InStatement } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runReminderStep } from '../../../src/modules/reminders';
import { openNodeDatabase } from '../../../src/platform/node/database';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { remindOnly } from '../../support/reminders';
import { recordingStatements, readsOutsideTheMemberRange, sqlOf } from '../../support/query-plans';
import { placeOrder, setUpTiers } from '../../support/tiers';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(() => closeSoundly(app));

/** The tables the job reads per member: each read of them must stay within the chunk's members. */
const PER_MEMBER_TABLES = ['lots', 'orders', 'carts', 'member_tiers'];

describe('the reminder job’s reads', () => {
  it('read each per-member table by the chunk’s member range, never by a program-wide range such as lots by expiry', async () => {
    await setUpTiers(app);
    await remindOnly(app, {
      pointsExpiringLeadDays: [7, 30],
      lapsedAfterDays: [45],
      cartAbandonedAfterHours: [4],
      tierDowngradeLeadDays: [14],
    });
    const members = [];
    for (const name of ['ada', 'bob', 'cy', 'dee']) {
      const member = await enroll(app, { email: `${name}@example.com`, consents: { email: true } });
      await placeOrder(app, member.globalId, `o-${name}`, 12_000, { at: TEST_NOW });
      members.push(member);
    }
    await app.client.execute({
      sql: `insert into carts (program_id, cart_id, member_id, currency, lines, codes, attributes, updated_at) values ('acme', 'c-1', ?, 'EUR', '[{"sku":"BEANS","category":null,"quantity":2,"unitPrice":1250,"attributes":{}}]', '[]', '{}', ?)`,
      args: [members[1]!.memberId, Date.parse(TEST_NOW)],
    });

    const statements: InStatement[] = [];
    const recorded = await openNodeDatabase({ url: `file:${app.databaseFile}`, wrapClient: recordingStatements(statements) });
    try {
      const now = new Date(Date.parse(TEST_NOW) + 200 * 86_400_000);
      const [, second] = members.map((member) => member.memberId).sort();
      // The first chunk (no lower bound) and a later one, of two members each.
      await runReminderStep(recorded.db, 'acme', now, 'members:', 2);
      await runReminderStep(recorded.db, 'acme', now, `members:${second}`, 2);
      const reads = statements.filter((statement) => PER_MEMBER_TABLES.some((table) => sqlOf(statement).includes(`"${table}"`)));
      expect(reads.length).toBeGreaterThan(4);
      const offending = await Promise.all(reads.map((statement) => readsOutsideTheMemberRange(app.client, statement, PER_MEMBER_TABLES)));
      expect(offending.flat()).toEqual([]);
    } finally {
      recorded.client.close();
    }
  });
});
