import { sql, type SQL } from 'drizzle-orm';
import { accounts, lots } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { account, POINTS } from './accounts';

/** A calendar month as a labelled [start, end) range in milliseconds. */
export interface MonthRange {
  label: string;
  start: number;
  end: number;
}

const monthValues = (months: readonly MonthRange[]) =>
  sql.join(
    months.map((month) => sql`(${month.label}, ${month.start}, ${month.end})`),
    sql`, `,
  );

/** The earliest and latest expiry of the program's open lots (null: none with an expiry), and the open points that never expire. */
export async function openLotsExpiryRange(db: Database, programId: string) {
  const [range] = await db.all<{ first: number | null; last: number | null; never: number }>(
    sql`select (select min(${lots.expiresAt}) from ${lots} indexed by lots_open_expiry where ${lots.programId} = ${programId} and ${lots.remaining} > 0 and ${lots.expiresAt} is not null) as first,
               (select max(${lots.expiresAt}) from ${lots} indexed by lots_open_expiry where ${lots.programId} = ${programId} and ${lots.remaining} > 0) as last,
               (select coalesce(sum(${lots.remaining}), 0) from ${lots} indexed by lots_open_expiry where ${lots.programId} = ${programId} and ${lots.remaining} > 0 and ${lots.expiresAt} is null) as never`,
  );
  return {
    first: range?.first == null ? null : Number(range.first),
    last: range?.last == null ? null : Number(range.last),
    never: Number(range?.never ?? 0),
  };
}

/** Open points by the month they expire in: one range of `lots_open_expiry` per month. */
export function openPointsByExpiryMonthQuery(programId: string, months: readonly MonthRange[]): SQL {
  return sql`with months(label, start, finish) as (values ${monthValues(months)})
    select months.label as month, (select coalesce(sum(${lots.remaining}), 0) from ${lots} indexed by lots_open_expiry
      where ${lots.programId} = ${programId} and ${lots.remaining} > 0 and ${lots.expiresAt} >= months.start and ${lots.expiresAt} < months.finish) as points
    from months`;
}

export async function openPointsByExpiryMonth(db: Database, programId: string, months: readonly MonthRange[]) {
  if (months.length === 0) return [];
  const rows = await db.all<{ month: string; points: number }>(openPointsByExpiryMonthQuery(programId, months));
  return rows.map((row) => ({ month: row.month, points: Number(row.points) }));
}

/**
 * The program accounts' balances behind the totals (points redeemed and expired, partner-funded
 * discounts in `currency`) and the members' wallets: cash and bonus credit owed.
 */
export function programTotalsQuery(programId: string, currency: string): SQL {
  const balance = (id: string) => sql`coalesce((select ${accounts.balance} from ${accounts} where ${accounts.id} = ${id}), 0)`;
  const wallets = (kind: string) =>
    sql`coalesce((select sum(${accounts.balance}) from ${accounts} indexed by accounts_program_kind where ${accounts.programId} = ${programId} and ${accounts.kind} = ${kind} and ${accounts.unit} = ${currency}), 0)`;
  return sql`select ${balance(account(programId, 'pointsRedeemed', POINTS).id)} as redeemed,
    ${balance(account(programId, 'pointsExpired', POINTS).id)} as expired,
    ${balance(account(programId, 'partnerFundedDiscounts', currency).id)} as partner_funded,
    ${wallets('wallet_cash')} as wallet_cash,
    ${wallets('wallet_bonus')} as wallet_bonus`;
}

export async function programTotals(db: Database, programId: string, currency: string) {
  const [row] = await db.all<Record<string, number>>(programTotalsQuery(programId, currency));
  const of = (key: string) => Number(row?.[key] ?? 0);
  return {
    redeemed: of('redeemed'),
    expired: of('expired'),
    partnerFunded: Math.abs(of('partner_funded')),
    walletCash: of('wallet_cash'),
    walletBonus: of('wallet_bonus'),
  };
}
