// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { POINTS, account, parseAccountId, type AccountRef } from './accounts';
export { checkBalanceLimit } from './bounds';
export { expireMembersInBulk, expiryKey } from './bulk-expiry';
export { ledgerCommands } from './commands';
export { pointsEvent } from './commands/points';
export { insufficientPointsOnViolation } from './commands/points-guard';
export { planClawback, planReturn, planSpend, spendablePoints, sumDeltas, type LotDelta, type LotState } from './domain/lots';
export {
  BASE_EARN_MULTIPLIER,
  earnedPoints,
  lotExpiry,
  lotVesting,
  maximumRedeemablePoints,
  planPointsPayment,
  wholeStepsOf,
} from './domain/points';
export { splitWalletSpend } from './domain/wallet';
export {
  BelowMinimumRedemptionError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientPointsError,
  InsufficientWalletBalanceError,
  PointsNotWholeStepError,
  RedemptionExceedsTotalError,
  WalletPaymentExceedsTotalError,
} from './errors';
export { SYSTEM_KEY_PREFIX, idempotencyKeySchema } from './inputs';
export { ledgerCommand, type LedgerCommandInput, type Replayable } from './operation';
export type { PlannedTransfer } from './plan';
export {
  accountBalances,
  memberPointsBalanceSql,
  membersWithExpiredLots,
  openLotsExpiringWithin,
  ownerAccountBalanceSql,
  ownerNetAmountByDay,
  ownerTransfersWithin,
  type OwnerTransfer,
} from './queries';
export { expiredFromLot, lotCreatedBy, memberBalance, netLotMovements, openLots, transfersOfKind, walletBalances } from './repository';
export { idempotencyKeyField, inProgram, memberCommandErrors, replayedDescription, type WithProgram } from './schema/shared';
export { MoneyType } from './schema/types';
export { createLedgerService, type LedgerService } from './service';
export { accountFloorStatement, earnRefTaken } from './writer';
export { earnMonths, earnMonthsFromLotsQuery, earnMonthsQuery, rebuildEarnMonthsStatements } from './earn-months';
export {
  openLotsExpiryRange,
  openPointsByExpiryMonth,
  openPointsByExpiryMonthQuery,
  programTotals,
  programTotalsQuery,
  type MonthRange,
} from './liability';
