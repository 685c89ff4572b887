import type { PlannedEvent } from '../../platform/outbox';
import { pointsEvent } from '../ledger';
import type { RecordedApplication } from '../offers';

interface RecordedOrder {
  memberId: string | null;
  orderId: string;
  currency: string;
  total: number;
  discount: number;
  pointsRedeemed: number;
  pointsEarned: number;
  walletPayment: number;
  /** null for a guest order. */
  pointsBalance: number | null;
}

/** What recording an order reports: the order, its points payment and earn, and each offer it used. */
export function recordedOrderEvents(
  order: RecordedOrder,
  balanceBefore: number,
  applied: RecordedApplication[],
  transferOf: (kind: string) => string | null,
): PlannedEvent[] {
  const { memberId, orderId } = order;
  const events: PlannedEvent[] = [{ type: 'order.recorded', memberId, data: { ...order } }];
  if (memberId && order.pointsRedeemed > 0) {
    events.push(
      pointsEvent(
        'points.redeemed',
        {
          memberId,
          points: order.pointsRedeemed,
          pointsBalance: balanceBefore - order.pointsRedeemed,
          transferId: transferOf('order_payment'),
        },
        { orderId },
      ),
    );
  }
  if (memberId && order.pointsEarned > 0) {
    events.push(
      pointsEvent(
        'points.earned',
        { memberId, points: order.pointsEarned, pointsBalance: order.pointsBalance ?? 0, transferId: transferOf('earn') },
        { orderId },
      ),
    );
  }
  for (const application of applied) {
    if (!application.offerId) continue;
    const { offerId, codeId, discount, bonusPoints } = application;
    events.push({ type: 'offer.redeemed', memberId, data: { memberId, orderId, offerId, codeId, discount, bonusPoints } });
  }
  return events;
}
