import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { DAY_MS, dayNumber } from '../../platform/time';

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
 * over indexed rows of this partner's campaigns, read concurrently.
 */
export async function partnerDailyStats(db: Database, programId: string, partnerId: string, from: Date, until: Date) {
  const window = { from: from.getTime(), until: until.getTime() };
  const day = (column: string) => sql.raw(`cast(${column} / ${DAY_MS} as integer)`);
  const [issued, hostRedemptions, tillRedemptions, funded] = await Promise.all([
    db.all<{ day: number; n: number }>(sql`
      select ${day('pc.created_at')} as day, count(*) as n
      from partner_campaigns c join promo_codes pc on pc.offer_id = c.offer_id
      where c.program_id = ${programId} and c.partner_id = ${partnerId} and pc.created_at >= ${window.from} and pc.created_at < ${window.until}
      group by 1`),
    db.all<{ day: number; n: number; value: number }>(sql`
      select ${day('oa.created_at')} as day, count(*) as n, coalesce(sum(o.total), 0) as value
      from partner_campaigns c join offer_applications oa on oa.offer_id = c.offer_id join orders o on o.id = oa.order_pk
      where c.program_id = ${programId} and c.partner_id = ${partnerId} and oa.counts_as_redemption = 1 and oa.released_at is null
        and oa.created_at >= ${window.from} and oa.created_at < ${window.until}
      group by 1`),
    db.all<{ day: number; n: number; value: number; funded: number }>(sql`
      select ${day('created_at')} as day, count(*) as n, coalesce(sum(amount), 0) as value, coalesce(sum(partner_share), 0) as funded
      from partner_till_redemptions
      where program_id = ${programId} and partner_id = ${partnerId} and created_at >= ${window.from} and created_at < ${window.until}
      group by 1`),
    db.all<{ day: number; funded: number }>(sql`
      select ${day('t.created_at')} as day,
        coalesce(sum(case t.kind when 'partner_share' then t.amount else -t.amount end), 0) as funded
      from transfers t join accounts a on a.id = t.debit_account_id or a.id = t.credit_account_id
      where t.program_id = ${programId} and a.owner_type = 'partner' and a.owner_id = ${partnerId}
        and t.kind in ('partner_share', 'partner_share_return') and t.created_at >= ${window.from} and t.created_at < ${window.until}
      group by 1`),
  ]);
  const byDay = new Map<number, PartnerDayStats>();
  const first = dayNumber(from);
  const last = Math.ceil(window.until / DAY_MS);
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
  for (const row of issued) at(row.day).issued += Number(row.n);
  for (const row of hostRedemptions) {
    at(row.day).redeemed += Number(row.n);
    at(row.day).orderValueInfluenced += Number(row.value);
  }
  for (const row of tillRedemptions) {
    at(row.day).redeemed += Number(row.n);
    at(row.day).orderValueInfluenced += Number(row.value);
    at(row.day).discountFunded += Number(row.funded);
  }
  for (const row of funded) at(row.day).discountFunded += Number(row.funded);
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
