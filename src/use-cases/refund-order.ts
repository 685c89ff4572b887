import { checks } from '../../schema';
import { InvalidInputError } from '../platform/errors';
import { newId } from '../platform/ids';
import { account, POINTS } from '../modules/ledger';
import { planClawback, planReturn, sumDeltas, type LotDelta, type LotState } from '../modules/ledger';
import { ledgerCommand, type LedgerCommandInput } from '../modules/ledger';
import type { CommandDeps } from '../platform/serializer/commands';
import type { PlannedTransfer } from '../modules/ledger';
import { expiredFromLot, lotCreatedBy, memberBalance, netLotMovements, openLots, transfersOfKind } from '../modules/ledger';
import { releaseStatements, stampReturnStatements } from '../modules/offers';
import { findOrder, fullyRefundedStatement, linesOf, refundRecordStatement, refundStatements } from '../modules/orders';
import { orderForStats, statsDelta, statsStatements } from '../modules/history';
import { chargeKinds, partnerRefundTransfers, returnKinds, voidOrderVoucherStatements } from '../modules/partners';
import {
  allocateRefundLines,
  isFullRefund,
  netTotal,
  OrderNotFoundError,
  orderKey,
  RefundExceedsOrderError,
  refundShares,
  type RefundLine,
  type RefundOrderResult,
} from '../modules/checkout';
import { createReferralsService, referralConvertedBy, type referralCommands } from '../modules/referrals';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import type { Serializer } from '../platform/serializer/serializer';

/** Exactly one of `amount` (minor units) or `lines` (SKU and quantity) says what is refunded. */
export interface RefundOrderInput extends LedgerCommandInput {
  orderId: string;
  amount: number | null;
  lines: RefundLine[] | null;
}

/**
 * Refunds part or all of what an order was paid (its total after discounts): takes back the points
 * earned on the refunded part (from the order's own lot first, never those that expired) and
 * returns the points that paid for it to the lots they came from. A refund by lines refunds what
 * those units were paid after their share of the discounts, and takes back the stamps those units
 * put on stamp cards (a card whose free unit they paid for goes into debt). Only the refund that completes a full
 * refund gives back the order's offer redemptions, code uses and stamps, and marks the order fully
 * refunded: the referral it converted is then cancelled, or its issued reward taken back, in the
 * referrer's serializer.
 */
export const refundOrderCommand = ledgerCommand<RefundOrderInput, RefundOrderResult>('checkout.refundOrder', async (deps, input, now) => {
  const { db } = deps;
  const { programId, orderId } = input;
  const order = await findOrder(db, programId, orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  const refundable = netTotal(order) - order.refundedAmount;
  const lines = await linesOf(db, order.id);

  let amount = input.amount ?? 0;
  let lineAllocations = new Map<number, number>();
  if (input.lines) {
    const allocated = allocateRefundLines(lines, input.lines);
    if (!allocated) {
      throw new InvalidInputError([
        { path: ['input', 'lines'], message: 'a SKU is not on the order, or more is refunded than is left of it' },
      ]);
    }
    ({ amount, allocations: lineAllocations } = allocated);
  }
  if (amount > refundable) throw new RefundExceedsOrderError(orderId, amount, refundable);
  if (input.amount === 0 && netTotal(order) > 0) {
    throw new InvalidInputError([{ path: ['input', 'amount'], message: 'must be at least 1 (0 only refunds an order that cost nothing)' }]);
  }

  const { memberId } = order;
  const { pointsToClawBack, pointsToReturn, walletToReturn } = refundShares(order, amount);
  // A guest order moved no points: its share is only counted, so that a claim earns what is left.
  const points = memberId ? await pointsBack(db, { programId, memberId, orderId, order, pointsToClawBack, pointsToReturn }) : null;
  const offersReleased = order.fullyRefundedAt === null && isFullRefund(order, amount, lines, lineAllocations);
  const partnerTransfers = await transfersOfKind(db, programId, orderId, [...chargeKinds, ...returnKinds]);
  const partnerReturns = partnerRefundTransfers(
    orderId,
    partnerTransfers.filter((transfer) => (chargeKinds as readonly string[]).includes(transfer.kind)),
    partnerTransfers.filter((transfer) => (returnKinds as readonly string[]).includes(transfer.kind)),
    { net: netTotal(order), refundedAfter: order.refundedAmount + amount, full: offersReleased || order.fullyRefundedAt !== null },
  );
  const planned = [
    ...(points?.planned ?? []),
    ...walletReturns(programId, order.memberId, order.currency, orderId, walletToReturn),
    ...partnerReturns,
  ];
  const clawedBack = points?.clawedBack ?? 0;
  const returned = points?.returned ?? 0;
  // A partial refund by lines takes back the stamps of the units it returns; a full one all the order left.
  const stampReturns = offersReleased
    ? await releaseStatements(db, order.id, now)
    : await stampReturnStatements(db, { orderPk: order.id, lines }, lineAllocations, now);
  const referral = offersReleased ? await referralConvertedBy(db, programId, order.id) : null;
  const statsBefore = orderForStats(order, lines);
  const statsAfter = orderForStats(
    { ...order, refundedAmount: order.refundedAmount + amount, fullyRefundedAt: order.fullyRefundedAt ?? (offersReleased ? now : null) },
    lines.map((line) => ({ ...line, refundedQuantity: line.refundedQuantity + (lineAllocations.get(line.lineNo) ?? 0) })),
  );
  return {
    memberId,
    transfers: planned,
    result: {
      orderId,
      memberId,
      amount,
      totalRefunded: order.refundedAmount + amount,
      pointsClawedBack: clawedBack,
      pointsNotRecovered: points ? pointsToClawBack - clawedBack : 0,
      pointsReturned: returned,
      walletReturned: walletToReturn.bonus + walletToReturn.cash,
      pointsBalance: points ? points.balanceBefore - clawedBack + returned : 0,
      stampsReturned: stampReturns.stampsReturned,
      offersReleased,
      referralToSettle: referral as RefundOrderResult['referralToSettle'],
    },
    statements: [
      ...refundStatements(
        db,
        order.id,
        { amount, pointsClawedBack: pointsToClawBack, pointsReturned: pointsToReturn, walletReturned: walletToReturn },
        lineAllocations,
      ),
      ...stampReturns.statements,
      refundRecordStatement(db, { programId, orderPk: order.id, amount, pointsClawedBack: clawedBack, pointsReturned: returned, at: now }),
      ...(memberId ? statsStatements(db, programId, memberId, statsDelta(statsBefore, statsAfter)) : []),
      ...(offersReleased ? [fullyRefundedStatement(db, order.id, now)] : []),
      // The partner vouchers the order earned are void once it is refunded in full, unless used already.
      ...(offersReleased ? voidOrderVoucherStatements(db, order.id, now) : []),
    ],
    // Once prepared, a guard trips when another refund of this order got in first (possible only
    // without the serializer): prepare again on what it left, which then refuses what is too much.
    events: [
      {
        type: 'order.refunded',
        memberId,
        data: {
          memberId,
          orderId,
          amount,
          totalRefunded: order.refundedAmount + amount,
          fullyRefunded: offersReleased || order.fullyRefundedAt !== null,
          pointsClawedBack: clawedBack,
          pointsReturned: returned,
          walletReturned: walletToReturn.bonus + walletToReturn.cash,
          pointsBalance: points ? points.balanceBefore - clawedBack + returned : null,
        },
      },
    ],
    retryOn: (violation) => violation.kind === 'check',
    onViolation: async (violation) =>
      violation.kind === 'check' && violation.targets.some((target) => orderGuards.includes(target))
        ? new RefundExceedsOrderError(orderId, amount, refundable)
        : null,
  };
});

/** The guards on an order's amounts and quantities: tripped, they mean another refund took what was left. */
const orderGuards: string[] = [
  checks.ordersAmounts,
  checks.ordersAmountsRange,
  checks.ordersRefundInRange,
  checks.ordersPointsBackInRange,
  checks.ordersWallet,
  checks.orderLinesQuantities,
  checks.orderLinesRange,
];

/** The member's lots as they will be once `returns` are applied (a returned-to lot may be empty now). */
function lotsAfter(open: Array<LotState & { sourceTransferId?: string }>, drawn: LotState[], returns: LotDelta[]) {
  const lots = new Map(open.map((lot) => [lot.id, { ...lot }]));
  for (const { lotId, delta } of returns) {
    const lot = lots.get(lotId) ?? { ...drawn.find((candidate) => candidate.id === lotId)! };
    lots.set(lotId, { ...lot, remaining: lot.remaining + delta });
  }
  return [...lots.values()];
}

/**
 * The points a refund moves for a member's order: the points that paid for the refunded part go
 * back to the lots they came from, and the points earned on it are taken back.
 */
async function pointsBack(
  db: CommandDeps['db'],
  {
    programId,
    memberId,
    orderId,
    order,
    pointsToClawBack,
    pointsToReturn,
  }: {
    programId: string;
    memberId: string;
    orderId: string;
    order: { pointsClawedBack: number };
    pointsToClawBack: number;
    pointsToReturn: number;
  },
) {
  const memberPoints = account(programId, 'memberPoints', POINTS, memberId);
  const orderTransfers = await transfersOfKind(db, programId, orderId, ['earn', 'order_payment', 'refund_return', 'refund_clawback']);
  const planned: PlannedTransfer[] = [];

  // Returned points go back first, so that the clawback can take from them: a full refund of an
  // order paid with points and whose earned points were spent still undoes the order exactly.
  const paymentTransferIds = orderTransfers
    .filter((transfer) => transfer.kind === 'order_payment' || transfer.kind === 'refund_return')
    .map((transfer) => transfer.id);
  const drawn = (await netLotMovements(db, paymentTransferIds)).map((lot) => ({ ...lot, outstanding: -lot.net }));
  const returns = planReturn(drawn, pointsToReturn);
  if (returns.length > 0) {
    planned.push({
      id: newId(),
      debit: account(programId, 'pointsRedeemed', POINTS),
      credit: memberPoints,
      amount: sumDeltas(returns),
      kind: 'refund_return',
      ref: orderId,
      lotDeltas: returns,
    });
  }

  // Earned points that expired went back to the program already: they are not taken a second time.
  const earnTransferId = orderTransfers.find((transfer) => transfer.kind === 'earn')?.id;
  const orderLot = earnTransferId ? await lotCreatedBy(db, earnTransferId) : null;
  const expired = orderLot ? await expiredFromLot(db, orderLot.id) : 0;
  const clawedSoFar = orderTransfers
    .filter((transfer) => transfer.kind === 'refund_clawback')
    .reduce((sum, transfer) => sum + transfer.amount, 0);
  const clawable = Math.max(0, Math.min(pointsToClawBack, order.pointsClawedBack + pointsToClawBack - expired - clawedSoFar));
  const lots = lotsAfter(await openLots(db, programId, memberId), drawn, returns);
  const clawback = planClawback(lots, clawable, orderLot?.id ?? null);
  const clawedBack = -sumDeltas(clawback);
  if (clawedBack > 0) {
    planned.push({
      id: newId(),
      debit: memberPoints,
      credit: account(programId, 'pointsIssued', POINTS),
      amount: clawedBack,
      kind: 'refund_clawback',
      ref: orderId,
      lotDeltas: clawback,
    });
  }

  return { planned, clawedBack, returned: sumDeltas(returns), balanceBefore: await memberBalance(db, programId, memberId, 'memberPoints') };
}

/** Transfers that give the wallet back its share of a refund: to bonus credit and to cash as it paid. */
function walletReturns(
  programId: string,
  memberId: string | null,
  currency: string,
  orderId: string,
  back: { bonus: number; cash: number },
): PlannedTransfer[] {
  if (!memberId) return [];
  const spent = account(programId, 'walletSpent', currency);
  return (
    [
      ['memberWalletBonus', back.bonus],
      ['memberWalletCash', back.cash],
    ] as const
  ).flatMap(([kind, amount]) =>
    amount > 0
      ? [
          {
            id: newId(),
            debit: spent,
            credit: account(programId, kind, currency, memberId),
            amount,
            kind: 'refund_wallet_return' as const,
            ref: orderId,
          },
        ]
      : [],
  );
}

export const refundCommands = { 'checkout.refundOrder': refundOrderCommand };

/**
 * Refunds in the customer's serializer; an issued referral reward the refund cancels is then
 * taken back in the referrer's (the settle-referrals job retries it if this step fails).
 */
export function refundOrder({
  db,
  clock,
  serializer,
}: {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof refundCommands & typeof referralCommands>;
}) {
  const referrals = createReferralsService({ db, clock, serializer });
  return async (programId: string, input: Omit<RefundOrderInput, 'programId'>) => {
    const order = await findOrder(db, programId, input.orderId);
    if (!order) throw new OrderNotFoundError(input.orderId);
    const result = await serializer.execute(orderKey(programId, order.memberId, input.orderId), 'checkout.refundOrder', {
      ...input,
      programId,
    });
    // If this follow-up fails, the settle-referrals job finds the fully refunded order and settles it.
    if (result.referralToSettle) await referrals.settleRefunded(programId, result.referralToSettle.id).catch(() => undefined);
    return result;
  };
}
