// The ledger module's public surface (DESIGN.md §2): what other modules may use.
export { account, parseAccountId, type AccountRef } from './accounts';
export { IdempotencyConflictError } from './errors';
export { ledgerCommand, type LedgerCommandInput, type Replayable } from './operation';
export type { PlannedTransfer } from './plan';
export { transfersOfKind } from './repository';
export { idempotencyKeyField, replayedDescription } from './schema/shared';
