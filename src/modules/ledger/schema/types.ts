import { upperCaseEnum } from '../../../graphql/enums';
import type { TransferRow, LotRow } from '../../../../schema';
import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { transferKinds, type TransferKind as TransferKindValue } from '../plan';
import { memberOfAccountId, parseAccountId } from '../accounts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { WalletBalance } from '../queries';
import type { AuditViolation } from '../audit';

export const TransferKind = upperCaseEnum('TransferKind', transferKinds);

const AccountRefType = builder.objectRef<string>('LedgerAccount').implement({
  description: 'One side of a transfer',
  fields: (t) => ({
    ownerType: t.string({ description: 'member or program', resolve: (id) => parseAccountId(id).ownerType }),
    kind: t.string({ description: 'points, wallet_cash, points_issued …', resolve: (id) => parseAccountId(id).kind }),
    unit: t.string({ description: 'POINTS or an ISO currency (minor units)', resolve: (id) => parseAccountId(id).unit }),
  }),
});

/** A member's own transfers are visible to it; admins and storefronts see the program's. */
const canSeeTransfer = (transfer: TransferRow) => ({
  admin: true,
  storefront: true,
  self: memberOfAccountId(transfer.debitAccountId) ?? memberOfAccountId(transfer.creditAccountId) ?? '',
});

export const TransferType = builder.node(builder.objectRef<TransferRow>('Transfer'), {
  description: 'An immutable double-entry movement: `amount` leaves `debit` and reaches `credit`',
  id: { resolve: (transfer) => transfer.id },
  authScopes: canSeeTransfer,
  loadMany: (ids, context) => context.services.ledger.transfersByIds(programIdOf(context), ids),
  fields: (t) => ({
    kind: t.field({ type: TransferKind, resolve: (transfer) => transfer.kind as TransferKindValue }),
    amount: t.expose('amount', { type: 'SafeInt' }),
    unit: t.exposeString('unit'),
    debit: t.field({ type: AccountRefType, resolve: (transfer) => transfer.debitAccountId }),
    credit: t.field({ type: AccountRefType, resolve: (transfer) => transfer.creditAccountId }),
    ref: t.exposeString('ref', { nullable: true, description: 'The order id or reference it belongs to' }),
    reason: t.string({ nullable: true, resolve: (transfer) => (transfer.metadata?.reason as string | undefined) ?? null }),
    idempotencyKey: t.exposeString('idempotencyKey', {
      authScopes: { admin: true, storefront: true },
      description: 'The key of the request that wrote it (not shown to members)',
    }),
    reversesTransferId: t.field({
      type: 'ID',
      nullable: true,
      resolve: (transfer) => transfer.reversesTransferId && encodeGlobalID('Transfer', transfer.reversesTransferId),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const LotType = builder.objectRef<LotRow>('PointsLot').implement({
  description: 'Points of one earn; spent earliest-expiry first',
  fields: (t) => ({
    amount: t.expose('amount', { type: 'SafeInt' }),
    remaining: t.expose('remaining', { type: 'SafeInt' }),
    earnedAt: t.expose('earnedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    vestsAt: t.expose('vestsAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Pending (counted, not spendable) until then; null: spendable from the start',
    }),
  }),
});

export const WalletBalanceType = builder.objectRef<WalletBalance>('WalletBalance').implement({
  description: 'Stored value in one currency (minor units): withdrawable cash and non-withdrawable bonus credit',
  fields: (t) => ({
    currency: t.exposeString('currency'),
    cash: t.expose('cash', { type: 'SafeInt' }),
    bonus: t.expose('bonus', { type: 'SafeInt' }),
    total: t.field({ type: 'SafeInt', resolve: (wallet) => wallet.cash + wallet.bonus }),
  }),
});

export const MoneyType = builder.objectRef<{ amount: number; currency: string }>('Money').implement({
  description: 'An amount in minor units of a currency',
  fields: (t) => ({ amount: t.expose('amount', { type: 'SafeInt' }), currency: t.exposeString('currency') }),
});

export const AuditViolationType = builder.objectRef<AuditViolation>('LedgerAuditViolation').implement({
  fields: (t) => ({ invariant: t.exposeString('invariant'), subject: t.exposeString('subject'), detail: t.exposeString('detail') }),
});
