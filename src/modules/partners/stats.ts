import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { partnerTillRedemptions } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { DAY_MS, dayNumber } from '../../platform/time';
import { codesIssuedByDay, redemptionsByDay } from '../offers';
import { orderTotalSql } from '../orders';
import { campaignsOfPartner, partnerSharesByDay } from './repository';

/** A partner's vouchers on one UTC day. */
export interface PartnerDayStats {
  day: Date;
  /** Vouchers given that day: generated codes, published and earned personal vouchers. */
  issued: number;
  /** Redemptions that day, at host checkouts (still standing: a full refund takes one back) and at the partner's till. */
  redeemed: number;
  /** Redeemed ÷ issued, null when nothing was issued. */
  redemptionRate: number | null;
  /** The partner's share of the discounts its vouchers gave, net of refunds, minor units. */
  discountFunded: number;
  /** What the orders its vouchers were redeemed on came to before discounts, minor units. */
  orderValueInfluenced: number;
}

const rate = (redeemed: number, issued: number) => (issued === 0 ? null : Math.round((redeemed / issued) * 10_000) / 10_000);

/**
 * The partner's voucher statistics per UTC day in [from, until): every day of the window, so a
 * chart needs no gaps filled, and the totals of the window. Each figure is one aggregate query
 * over the rows of this partner's campaigns (through the offers, orders and ledger surfaces), read concurrently.
 */
export async function partnerDailyStats(db: Database, programId: string, partnerId: string, from: Date, until: Date) {
  const offerIds = (await campaignsOfPartner(db, programId, partnerId)).map((campaign) => campaign.offerId);
  const tillDay = sql<number>`cast(${partnerTillRedemptions.createdAt} / ${DAY_MS} as integer)`.mapWith(Number);
  const [issued, hostRedemptions, tillRedemptions, funded] = await Promise.all([
    codesIssuedByDay(db, offerIds, from, until),
    redemptionsByDay(db, offerIds, from, until, orderTotalSql),
    db
      .select({
        day: tillDay,
        count: sql<number>`count(*)`.mapWith(Number),
        value: sql<number>`coalesce(sum(${partnerTillRedemptions.amount}), 0)`.mapWith(Number),
        funded: sql<number>`coalesce(sum(${partnerTillRedemptions.partnerShare}), 0)`.mapWith(Number),
      })
      .from(partnerTillRedemptions)
      .where(
        and(
          eq(partnerTillRedemptions.programId, programId),
          eq(partnerTillRedemptions.partnerId, partnerId),
          gte(partnerTillRedemptions.createdAt, from),
          lt(partnerTillRedemptions.createdAt, until),
        ),
      )
      .groupBy(tillDay),
    partnerSharesByDay(db, programId, partnerId, from, until),
  ]);
  const byDay = new Map<number, PartnerDayStats>();
  const first = dayNumber(from);
  const last = Math.ceil(until.getTime() / DAY_MS);
  for (let number = first; number < last; number++) {
    byDay.set(number, {
      day: new Date(number * DAY_MS),
      issued: 0,
      redeemed: 0,
      redemptionRate: null,
      discountFunded: 0,
      orderValueInfluenced: 0,
    });
  }
  const at = (number: number) => byDay.get(Number(number))!;
  for (const row of issued) at(row.day).issued += row.count;
  for (const row of [...hostRedemptions, ...tillRedemptions]) {
    at(row.day).redeemed += row.count;
    at(row.day).orderValueInfluenced += row.value;
  }
  for (const row of [...tillRedemptions, ...funded]) at(row.day).discountFunded += row.funded;
  const days = [...byDay.values()].map((stats) => ({ ...stats, redemptionRate: rate(stats.redeemed, stats.issued) }));
  const sum = (pick: (stats: PartnerDayStats) => number) => days.reduce((total, stats) => total + pick(stats), 0);
  const totals = {
    issued: sum((stats) => stats.issued),
    redeemed: sum((stats) => stats.redeemed),
    discountFunded: sum((stats) => stats.discountFunded),
    orderValueInfluenced: sum((stats) => stats.orderValueInfluenced),
  };
  return { days, totals: { ...totals, redemptionRate: rate(totals.redeemed, totals.issued) } };
}
