import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import type { KeysetPage } from '../../platform/db/keyset';
import type { MemberStatsRow, OrderRow, PurchaseKeyKind } from '../../../schema';
import { averageOrderValue } from './domain/stats';
import { dayNumber } from '../../platform/time';
import { orderDetails, purchasesOf, statsOf, type ApplicationsOfOrders } from './repository';
import { listOrders, orderByOrderId, ordersByPks, type OrderFilter } from '../orders';

type Details = Awaited<ReturnType<typeof orderDetails>>;

/** An order with everything its history shows: lines, offers applied, refunds. */
export interface OrderView extends OrderRow {
  lines: Details['lines'];
  appliedOffers: Array<Details['applications'][number]['application'] & { code: string | null }>;
  refunds: Details['refunds'];
}

export interface MemberStats extends Omit<MemberStatsRow, 'programId'> {
  programId: string;
  averageOrderValue: number | null;
}

export type HistoryService = ReturnType<typeof createHistoryService>;

export interface HistoryDeps {
  db: Database;
  clock: Clock;
  /** The offers module's read, passed in by src/services.ts (history sits below offers). */
  applicationsOfOrders: ApplicationsOfOrders;
}

/** Reads of purchase history and member stats; every read is scoped by program. */
export function createHistoryService({ db, clock, applicationsOfOrders }: HistoryDeps) {
  /** Two round trips whatever the number of orders: the orders, then all their details in one batch. */
  async function withDetails(rows: OrderRow[]): Promise<OrderView[]> {
    if (rows.length === 0) return [];
    const { lines, applications, refunds } = await orderDetails(
      db,
      applicationsOfOrders,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({
      ...row,
      lines: lines.filter((line) => line.orderId === row.id),
      appliedOffers: applications
        .filter(({ application }) => application.orderPk === row.id)
        .map(({ application, code }) => ({ ...application, code })),
      refunds: refunds.filter((refund) => refund.orderPk === row.id),
    }));
  }

  return {
    async orders(programId: string, filter: OrderFilter, page: KeysetPage) {
      return withDetails(await listOrders(db, programId, filter, page));
    },

    async order(programId: string, orderId: string) {
      return (await withDetails(await orderByOrderId(db, programId, orderId)))[0] ?? null;
    },

    async ordersByPks(programId: string, orderPks: readonly string[]) {
      return withDetails(await ordersByPks(db, programId, orderPks));
    },

    /** Stats of each member, in the order asked; members without orders get zeros. */
    async stats(programId: string, memberIds: readonly string[]): Promise<MemberStats[]> {
      const rows = new Map((await statsOf(db, programId, memberIds)).map((row) => [row.memberId, row]));
      return memberIds.map((memberId) => {
        const row = rows.get(memberId) ?? { memberId, programId, firstOrderAt: null, lastOrderAt: null, orderCount: 0, totalSpend: 0 };
        return { ...row, averageOrderValue: averageOrderValue(row) };
      });
    },

    /** Orders per SKU or category within the last `withinDays` days (today included; all time when null). */
    purchases(programId: string, memberId: string, kind: PurchaseKeyKind, withinDays: number | null, limit: number) {
      const fromDay = withinDays === null ? Number.MIN_SAFE_INTEGER : dayNumber(clock.now()) - withinDays + 1;
      return purchasesOf(db, programId, memberId, kind, fromDay, limit);
    },
  };
}
