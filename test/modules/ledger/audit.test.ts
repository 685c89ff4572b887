import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { AUDIT, closeSoundly, mutate, RECORD_ORDER, REDEEM, TOP_UP } from '../../support/ledger';
import { createTestApp, type TestApp } from '../../support/test-app';
import { auditLedger } from '../../../src/modules/ledger/audit';

/**
 * The audit must find what it exists to find: each invariant of DESIGN.md §4 is broken through raw
 * SQL, one at a time, behind the services' back, and `ledgerAudit` must name exactly that invariant
 * and the account, lot, transfer, unit or key that breaks it.
 */
const INVARIANT = {
  unitSum: 'balances sum to zero per unit',
  balance: 'balance equals credits minus debits',
  memberLots: 'member points equal the points left in their lots',
  lot: 'lot remaining equals its movements',
  transferLots: 'every points transfer of a member records its lots',
  floor: 'no balance below its floor',
  earnMonths: 'points by earn month equal the lots earned that month',
  idempotency: 'no idempotency key twice',
};

let app: TestApp;
let ids: {
  memberPoints: string;
  walletCash: string;
  firstLot: string;
  secondLot: string;
  firstEarn: string;
  secondEarn: string;
  redeem: string;
  orderKey: string;
  /** The month both lots were earned in, as the audit names it. */
  earnMonth: string;
};

async function audit(programId = 'acme') {
  const response = await app.graphql(AUDIT, {}, await app.token({ role: 'admin', programId }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.ledgerAudit as { sound: boolean; violations: Array<{ invariant: string; subject: string; detail: string }> };
}

const sql = (statement: string, ...args: Array<string | number>) => app.client.execute({ sql: statement, args });

beforeEach(async () => {
  app = await createTestApp();
  const { globalId, memberId } = await enroll(app, { email: 'audited@example.com' });
  // Two orders (two lots), a redemption drawing from the first lot, and a wallet top-up.
  await mutate(app, RECORD_ORDER, {
    memberId: globalId,
    orderId: 'audit-1',
    currency: 'EUR',
    total: 10_000,
    idempotencyKey: 'order-key-1',
  });
  app.clock.set(new Date(app.clock.now().getTime() + 60_000));
  await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'audit-2', currency: 'EUR', total: 5_000 });
  const redeemed = await mutate(app, REDEEM, { memberId: globalId, points: 30 });
  expect(redeemed.__typename).toBe('PointsPayload');
  await mutate(app, TOP_UP, { memberId: globalId, currency: 'EUR', amount: 2_500 });

  const earns = await sql("select id from transfers where kind = 'earn' order by created_at");
  const redeem = await sql("select id from transfers where kind = 'redeem'");
  const lots = await sql('select id, earned_at from lots where member_id = ? order by earned_at', memberId);
  ids = {
    memberPoints: `acme/member/${memberId}/points/POINTS`,
    walletCash: `acme/member/${memberId}/wallet_cash/EUR`,
    firstLot: String(lots.rows[0]!.id),
    secondLot: String(lots.rows[1]!.id),
    firstEarn: String(earns.rows[0]!.id),
    secondEarn: String(earns.rows[1]!.id),
    redeem: String(redeem.rows[0]!.id),
    orderKey: 'order-key-1',
    earnMonth: new Date(Number(lots.rows[0]!.earned_at)).toISOString().slice(0, 7),
  };
  expect(await audit()).toEqual({ sound: true, violations: [] });
});

afterEach(() => app.close());

/** The violations as (invariant, subject) pairs, in a stable order. */
const found = async (programId = 'acme') =>
  (await audit(programId)).violations
    .map(({ invariant, subject }) => ({ invariant, subject }))
    .sort((a, b) => `${a.invariant}${a.subject}`.localeCompare(`${b.invariant}${b.subject}`));

const expected = (...pairs: Array<[string, string]>) =>
  pairs
    .map(([invariant, subject]) => ({ invariant, subject }))
    .sort((a, b) => `${a.invariant}${a.subject}`.localeCompare(`${b.invariant}${b.subject}`));

describe('ledgerAudit finds each broken invariant', () => {
  it('a balance that its transfers do not explain (and the unit no longer sums to zero)', async () => {
    await sql('update accounts set balance = balance + 7 where id = ?', ids.walletCash);
    const { sound, violations } = await audit();
    expect(sound).toBe(false);
    expect(violations).toContainEqual({
      invariant: INVARIANT.balance,
      subject: ids.walletCash,
      detail: 'balance 2507, transfers add up to 2500',
    });
    expect(await found()).toEqual(expected([INVARIANT.balance, ids.walletCash], [INVARIANT.unitSum, 'EUR']));
    // Another tenant's audit does not see it.
    expect(await audit('globex')).toEqual({ sound: true, violations: [] });
  });

  it("a lot's remaining that its movements do not explain (and the member's lots no longer hold their balance)", async () => {
    await sql('update lots set remaining = remaining - 5 where id = ?', ids.secondLot);
    const { violations } = await audit();
    expect(violations).toContainEqual({ invariant: INVARIANT.lot, subject: ids.secondLot, detail: 'remaining 45, movements add up to 50' });
    expect(await found()).toEqual(
      expected([INVARIANT.lot, ids.secondLot], [INVARIANT.memberLots, ids.memberPoints], [INVARIANT.earnMonths, ids.earnMonth]),
    );
  });

  it('points by earn month that the lots do not explain', async () => {
    // Earned 100 + 50, redeemed 30: 120 left, nothing expired.
    await sql("update points_by_earn_month set expired = expired + 2 where program_id = 'acme'");
    expect((await audit()).violations).toEqual([
      {
        invariant: INVARIANT.earnMonths,
        subject: ids.earnMonth,
        detail: 'kept earned 150, outstanding 120, expired 2; the lots say 150, 120, 0',
      },
    ]);
    await sql("delete from points_by_earn_month where program_id = 'acme'");
    expect(await found()).toEqual(expected([INVARIANT.earnMonths, ids.earnMonth]));
  });

  it('a lot movement changed after the fact', async () => {
    await sql('update lot_movements set delta = delta - 1 where transfer_id = ? and lot_id = ?', ids.redeem, ids.firstLot);
    expect(await found()).toEqual(expected([INVARIANT.lot, ids.firstLot], [INVARIANT.transferLots, ids.redeem]));
  });

  it("a transfer's lot records moved to another transfer (every lot still adds up)", async () => {
    await sql('update lot_movements set transfer_id = ? where transfer_id = ?', ids.secondEarn, ids.redeem);
    const { violations } = await audit();
    expect(violations).toContainEqual({
      invariant: INVARIANT.transferLots,
      subject: ids.redeem,
      detail: 'moves -30 points, its lot movements add up to 0',
    });
    expect(await found()).toEqual(expected([INVARIANT.transferLots, ids.redeem], [INVARIANT.transferLots, ids.secondEarn]));
  });

  it('a balance below its floor', async () => {
    // The CHECK on accounts would refuse this write: the audit must catch what slipped past it.
    await sql('pragma ignore_check_constraints = on');
    await sql('update accounts set floor = balance + 1 where id = ?', ids.walletCash);
    await sql('pragma ignore_check_constraints = off');
    const { violations } = await audit();
    expect(violations).toEqual([{ invariant: INVARIANT.floor, subject: ids.walletCash, detail: 'balance 2500 is below 2501' }]);
  });

  it('an idempotency key used twice (by two operations, and by two transfers)', async () => {
    await sql('drop index operations_idempotency_key');
    await sql('drop index transfers_idempotency_key');
    await sql(
      `insert into operations (id, program_id, idempotency_key, command, request_hash, member_id, result, created_at)
        select 'copied-operation', program_id, idempotency_key, command, request_hash, member_id, result, created_at from operations where idempotency_key = ?`,
      ids.orderKey,
    );
    const { violations } = await audit();
    expect(violations).toEqual([{ invariant: INVARIANT.idempotency, subject: ids.orderKey, detail: 'used 2 times' }]);

    // A transfer that repeats another's key, with a balanced pair of program accounts so nothing else breaks.
    await sql(
      `insert into transfers (id, program_id, operation_id, debit_account_id, credit_account_id, amount, unit, kind, idempotency_key, created_at)
        select 'copied-transfer', program_id, operation_id, credit_account_id, debit_account_id, 1, unit, 'adjustment', idempotency_key, created_at from transfers where id = ?`,
      ids.firstEarn,
    );
    await sql("update accounts set balance = balance + 1 where id = 'acme/program/acme/points_issued/POINTS'");
    await sql('update accounts set balance = balance - 1 where id = ?', ids.memberPoints);
    await sql("insert into lot_movements (transfer_id, lot_id, delta) values ('copied-transfer', ?, -1)", ids.firstLot);
    await sql('update lots set remaining = remaining - 1 where id = ?', ids.firstLot);
    await sql("update points_by_earn_month set outstanding = outstanding - 1 where program_id = 'acme'");
    // A transfer's key is its operation's key and its place in the operation.
    expect(await found()).toEqual(expected([INVARIANT.idempotency, ids.orderKey], [INVARIANT.idempotency, `${ids.orderKey}#0`]));
  });

  it('a unit that no longer sums to zero: a transfer between accounts of two units', async () => {
    // Each balance still equals its transfers, so only the per-unit sums show it.
    await sql(
      `insert into transfers (id, program_id, operation_id, debit_account_id, credit_account_id, amount, unit, kind, idempotency_key, created_at)
        select 'cross-unit', program_id, operation_id, 'acme/program/acme/wallet_funding/EUR', 'acme/program/acme/points_issued/POINTS', 3, 'EUR', 'adjustment', 'cross-unit-key', created_at
        from transfers where id = ?`,
      ids.firstEarn,
    );
    await sql("update accounts set balance = balance - 3 where id = 'acme/program/acme/wallet_funding/EUR'");
    await sql("update accounts set balance = balance + 3 where id = 'acme/program/acme/points_issued/POINTS'");
    const { violations } = await audit();
    expect(violations).toEqual([
      { invariant: INVARIANT.unitSum, subject: 'EUR', detail: 'sum of balances is -3' },
      { invariant: INVARIANT.unitSum, subject: 'POINTS', detail: 'sum of balances is 3' },
    ]);
  });

  it('reports nothing once the damage is undone', async () => {
    await sql('update accounts set balance = balance + 7 where id = ?', ids.walletCash);
    expect((await audit()).sound).toBe(false);
    await sql('update accounts set balance = balance - 7 where id = ?', ids.walletCash);
    await closeSoundly(app);
  });

  it('finds the same in chunks of any size: an account, lot, transfer or repeated key is never split or skipped at a boundary', async () => {
    // Several kinds of damage at once, then the audit read 1, 2 and 3 rows at a time.
    await sql('update accounts set balance = balance + 7 where id = ?', ids.walletCash);
    await sql('update lot_movements set delta = delta - 1 where transfer_id = ? and lot_id = ?', ids.redeem, ids.firstLot);
    await sql('drop index operations_idempotency_key');
    await sql(
      `insert into operations (id, program_id, idempotency_key, command, request_hash, member_id, result, created_at)
        select 'copied-operation', program_id, idempotency_key, command, request_hash, member_id, result, created_at from operations where idempotency_key = ?`,
      ids.orderKey,
    );
    const whole = await auditLedger(app.db, 'acme');
    expect(whole.map(({ invariant }) => invariant).sort()).toEqual(
      [INVARIANT.balance, INVARIANT.unitSum, INVARIANT.lot, INVARIANT.transferLots, INVARIANT.idempotency].sort(),
    );
    for (const chunkRows of [1, 2, 3]) expect(await auditLedger(app.db, 'acme', { chunkRows })).toEqual(whole);
  });
});
