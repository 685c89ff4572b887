import { orderRefunds } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { newId } from '../../platform/ids';

/** The row a refund leaves in the order's history, for the refund's own batch. */
export function refundRecordStatement(
  db: Database,
  refund: { programId: string; orderPk: string; amount: number; pointsClawedBack: number; pointsReturned: number; at: Date },
) {
  const { at, ...values } = refund;
  return db.insert(orderRefunds).values({ id: newId(), ...values, createdAt: at });
}
