import { sql } from 'drizzle-orm';
import { programIdColumn, wholeWithin, nullOrWholeWithin } from './columns';
import { MAX_BALANCE } from '../src/platform/bounds';
import { sqliteTable, text, integer, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { members, memberIdColumn } from './members';
import { ownerTypes } from './values';
import { checks } from './constraints';

/**
 * One account per (program, owner, kind, unit), with its materialized balance. The id is derived
 * from those parts, so a plan can name accounts before they exist. `floor` is the lowest balance a
 * rule allows (0 for a member's points and wallet), null for unbounded system accounts.
 */
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    ownerType: text('owner_type', { enum: ownerTypes }).notNull(),
    ownerId: text('owner_id').notNull(),
    kind: text('kind').notNull(),
    unit: text('unit').notNull(),
    balance: integer('balance').notNull().default(0),
    floor: integer('floor'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('accounts_owner_kind_unit').on(t.programId, t.ownerType, t.ownerId, t.kind, t.unit),
    // A program's rows in key order, in short chunks (the audit; jobs' cursors).
    index('accounts_program').on(t.programId, t.id),
    index('accounts_program_kind').on(t.programId, t.kind, t.unit),
    check(checks.accountsFloor, sql`${t.floor} is null or ${t.balance} >= ${t.floor}`),
    check(
      checks.accountsBalanceRange,
      sql`${wholeWithin(t.balance, -MAX_BALANCE, MAX_BALANCE)} and ${nullOrWholeWithin(t.floor, -MAX_BALANCE, MAX_BALANCE)}`,
    ),
  ],
);

/** Immutable double-entry transfers: `amount` leaves `debit_account` and reaches `credit_account`. */
export const transfers = sqliteTable(
  'transfers',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    operationId: text('operation_id')
      .notNull()
      .references(() => operations.id),
    debitAccountId: text('debit_account_id')
      .notNull()
      .references(() => accounts.id),
    creditAccountId: text('credit_account_id')
      .notNull()
      .references(() => accounts.id),
    amount: integer('amount').notNull(),
    unit: text('unit').notNull(),
    kind: text('kind').notNull(),
    ref: text('ref'),
    idempotencyKey: text('idempotency_key').notNull(),
    reversesTransferId: text('reverses_transfer_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('transfers_idempotency_key').on(t.programId, t.idempotencyKey),
    uniqueIndex('transfers_reverses_once').on(t.reversesTransferId),
    index('transfers_debit').on(t.debitAccountId, t.id),
    index('transfers_credit').on(t.creditAccountId, t.id),
    index('transfers_ref').on(t.programId, t.ref),
    index('transfers_program').on(t.programId, t.id),
    /** An order earns once: a guest order claimed twice at the same instant trips it. */
    uniqueIndex('transfers_earn_once').on(t.programId, t.ref).where(sql`${t.kind} = 'earn'`),
    check(checks.transfersAmountPositive, sql`${t.amount} > 0`),
    check(checks.transfersDistinctAccounts, sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check(checks.transfersAmountRange, wholeWithin(t.amount, 1, MAX_BALANCE)),
  ],
);

/**
 * One row per value-moving request, keyed by its idempotency key: a retry with the same key and
 * input returns `result` and moves nothing; another input under the same key is a conflict.
 */
export const operations = sqliteTable(
  'operations',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    idempotencyKey: text('idempotency_key').notNull(),
    command: text('command').notNull(),
    requestHash: text('request_hash').notNull(),
    memberId: text('member_id').references(() => members.id),
    result: text('result', { mode: 'json' }).notNull().$type<unknown>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('operations_idempotency_key').on(t.programId, t.idempotencyKey)],
);

/** Points of one earn, spent earliest-expiry first; `remaining` is what is left of `amount`. */
export const lots = sqliteTable(
  'lots',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    memberId: memberIdColumn(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    sourceTransferId: text('source_transfer_id')
      .notNull()
      .references(() => transfers.id),
    amount: integer('amount').notNull(),
    remaining: integer('remaining').notNull(),
    earnedAt: integer('earned_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    /** Pending until then (the program's return window): counted in the balance, not spendable. Null: at once. */
    vestsAt: integer('vests_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('lots_member_open').on(t.programId, t.memberId, t.remaining, t.expiresAt),
    index('lots_expiry').on(t.expiresAt),
    index('lots_program').on(t.programId, t.id),
    // Liability reports: open points by expiry (points by month earned are kept in points_by_earn_month).
    index('lots_open_expiry').on(t.programId, t.expiresAt, t.remaining).where(sql`${t.remaining} > 0`),
    check(checks.lotsRemainingInRange, sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.amount} and ${t.amount} > 0`),
    check(checks.lotsAmountRange, sql`${wholeWithin(t.amount, 1, MAX_BALANCE)} and ${wholeWithin(t.remaining, 0, MAX_BALANCE)}`),
  ],
);

/** How each transfer changed each lot: negative when it drew points, positive when it put them back. */
export const lotMovements = sqliteTable(
  'lot_movements',
  {
    transferId: text('transfer_id')
      .notNull()
      .references(() => transfers.id),
    lotId: text('lot_id')
      .notNull()
      .references(() => lots.id),
    delta: integer('delta').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.transferId, t.lotId] }),
    index('lot_movements_lot').on(t.lotId),
    check(checks.lotMovementsNonzero, sql`${t.delta} <> 0`),
    check(checks.lotMovementsDeltaRange, wholeWithin(t.delta, -MAX_BALANCE, MAX_BALANCE)),
  ],
);

/**
 * A program's points by the month they were earned in (months since year 0, UTC: year × 12 + month
 * − 1, as monthly activity): the amounts of the lots earned that month, what is left in them and
 * what expiry took from them. Kept in the batch of every lot change (the ledger writer and the bulk
 * expiry), so breakage by earn month reads a few rows instead of every lot and its movements; the
 * ledger audit checks it against the lots.
 */
export const pointsByEarnMonth = sqliteTable(
  'points_by_earn_month',
  {
    programId: programIdColumn(),
    month: integer('month').notNull(),
    earned: integer('earned').notNull(),
    outstanding: integer('outstanding').notNull(),
    expired: integer('expired').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.month] }),
    check(
      checks.pointsByEarnMonthRange,
      sql`${wholeWithin(t.earned, 0, MAX_BALANCE)} and ${wholeWithin(t.outstanding, 0, MAX_BALANCE)} and ${wholeWithin(t.expired, 0, MAX_BALANCE)}`,
    ),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type TransferRow = typeof transfers.$inferSelect;
export type LotRow = typeof lots.$inferSelect;
export type OperationRow = typeof operations.$inferSelect;
