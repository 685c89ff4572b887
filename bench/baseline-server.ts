/**
 * The bare baseline of `npm run bench -- ledger` and `-- checkout`: a bare Hono route per scenario
 * doing the same SQL directly through drizzle (DESIGN.md §8): the same reads (for an order, checkout's
 * own: rules, member, tiers, lots, referral, offers) and the same write batch, with no GraphQL, no auth, no validation, no serializer and
 * no idempotency hash. `/quote` calls checkout's own `checkoutCart` (the same reads and the same
 * evaluation as `quote`) on an already normalized cart, against the database it is pointed at.
 * The GraphQL path is measured as a ratio of this.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { members, orders, programs } from '../schema';
import { account, POINTS } from '../src/modules/ledger/accounts';
import { planSpend, sumDeltas } from '../src/modules/ledger/domain/lots';
import { memberBalance, openLots } from '../src/modules/ledger/repository';
import { requireActiveMember } from '../src/modules/members/repository';
import { loadRules } from '../src/modules/rules/service';
import { checkoutCart, type CheckoutCart } from '../src/modules/checkout/context';
import { quoteResult } from '../src/modules/checkout/quote';
import { ledgerStatements } from '../src/modules/ledger/writer';
import { newId } from '../src/platform/ids';
import { openNodeDatabase } from '../src/platform/node/database';
import { BENCH_PROGRAM } from './lib';

const programId = BENCH_PROGRAM;
const { db } = await openNodeDatabase({ url: process.env.LIBSQL_URL! });
const app = new Hono();

app.post('/seed', async (c) => {
  const { memberIds } = await c.req.json<{ memberIds: string[] }>();
  const now = new Date();
  await db.insert(programs).values({ id: programId, name: 'Bench', createdAt: now }).onConflictDoNothing();
  for (let offset = 0; offset < memberIds.length; offset += 500) {
    await db
      .insert(members)
      .values(
        memberIds.slice(offset, offset + 500).map((id) => ({ id, programId, email: `${id}@bench.test`, createdAt: now, updatedAt: now })),
      );
  }
  return c.json({ ok: true });
});

const operation = (key: string, memberId: string, now: Date) => ({
  id: newId(),
  programId,
  idempotencyKey: key,
  command: 'baseline',
  requestHash: key,
  memberId,
  result: {},
  createdAt: now,
});

app.post('/record-order', async (c) => {
  const input = await c.req.json<{ memberId: string; orderId: string; total: number; idempotencyKey: string }>();
  const now = new Date();
  // The reads recordOrder makes: checkout's (rules, member, tiers, lots, referral, offers) on a cart without lines.
  const cart: CheckoutCart = {
    memberId: input.memberId,
    currency: 'EUR',
    total: input.total,
    lines: [],
    codes: [],
    attributes: {},
    redeemPoints: 0,
    placedAt: null,
    walletPayment: null,
  };
  const points = (await checkoutCart(db, programId, cart, now)).priced.pointsEarned;
  const earn = {
    id: newId(),
    debit: account(programId, 'pointsIssued', POINTS),
    credit: account(programId, 'memberPoints', POINTS, input.memberId),
    amount: points,
    kind: 'earn' as const,
    ref: input.orderId,
    newLot: { id: newId(), memberId: input.memberId, earnedAt: now, expiresAt: null },
  };
  const [first, ...rest] = [
    ...ledgerStatements(db, operation(input.idempotencyKey, input.memberId, now), [earn]),
    db.insert(orders).values({
      id: newId(),
      programId,
      memberId: input.memberId,
      orderId: input.orderId,
      currency: 'EUR',
      total: input.total,
      pointsRedeemed: 0,
      pointsPayment: 0,
      pointsEarned: points,
      createdAt: now,
    }),
  ];
  await db.batch([first!, ...rest]);
  return c.json({ pointsEarned: points });
});

app.post('/redeem', async (c) => {
  const input = await c.req.json<{ memberId: string; points: number; idempotencyKey: string }>();
  const now = new Date();
  await requireActiveMember(db, { programId, memberId: input.memberId });
  await loadRules(db, programId);
  await memberBalance(db, programId, input.memberId, 'memberPoints');
  const draws = planSpend(await openLots(db, programId, input.memberId), input.points, now);
  const redeem = {
    id: newId(),
    debit: account(programId, 'memberPoints', POINTS, input.memberId),
    credit: account(programId, 'pointsRedeemed', POINTS),
    amount: -sumDeltas(draws),
    kind: 'redeem' as const,
    ref: null,
    lotDeltas: draws,
  };
  const [first, ...rest] = ledgerStatements(db, operation(input.idempotencyKey, input.memberId, now), [redeem]);
  await db.batch([first!, ...rest]);
  return c.json({ points: input.points });
});

app.post('/quote', async (c) => {
  const cart = await c.req.json<CheckoutCart>();
  return c.json(quoteResult(cart, await checkoutCart(db, programId, cart, new Date())));
});

serve({ fetch: app.fetch, port: Number(process.env.PORT) }, () => console.log('baseline listening'));
// An orderly exit, so that `node --cpu-prof` writes its profile (bench/profile.ts).
process.on('SIGTERM', () => process.exit(0));
