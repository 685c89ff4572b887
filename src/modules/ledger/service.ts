import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import type { CommandInput } from '../../platform/serializer/commands';
import { memberKey, type MemberKey, type Serializer } from '../../platform/serializer/serializer';
import type { KeysetPage } from '../../platform/db/keyset';
import { loadRules } from '../rules';
import { auditLedger } from './audit';
import { pointsPaymentValue } from './domain/points';
import {
  accountsOfOwner,
  expiringLots,
  listLots,
  listMemberTransfers,
  outstandingPoints,
  pendingPoints,
  pointsBalances,
  transfersByIds,
  walletBalances,
} from './queries';
import type { ledgerCommands, LedgerCommandName } from './commands';
import { TransferNotFoundError } from './errors';
import { findTransfer } from './repository';

type CommandOf<Name extends LedgerCommandName> = (typeof ledgerCommands)[Name];
type InputOf<Name extends LedgerCommandName> = Omit<CommandInput<CommandOf<Name>>, 'programId'>;

export type LedgerService = ReturnType<typeof createLedgerService>;

/**
 * The ledger's use cases. Every value-moving call runs in the serializer of the member it touches;
 * refunds and reversals first look up which member that is.
 */
export function createLedgerService({
  db,
  clock,
  serializer,
}: {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof ledgerCommands>;
}) {
  function run<Name extends LedgerCommandName>(key: MemberKey, name: Name, programId: string, input: InputOf<Name>) {
    // The spread loses the link between `Name` and its input that TypeScript cannot follow through `Omit`.
    return serializer.execute(key, name, { ...input, programId } as CommandInput<CommandOf<Name>>);
  }
  const forMember =
    <Name extends LedgerCommandName>(name: Name) =>
    (programId: string, input: InputOf<Name> & { memberId: string }) =>
      run(memberKey(programId, input.memberId), name, programId, input);

  return {
    pointsBalances: (programId: string, memberIds: readonly string[]) => pointsBalances(db, programId, memberIds),
    pendingPoints: (programId: string, memberIds: readonly string[]) => pendingPoints(db, programId, memberIds, clock.now()),
    walletBalances: (programId: string, memberIds: readonly string[]) => walletBalances(db, programId, memberIds),
    lots: (programId: string, memberId: string, page: KeysetPage & { includeClosed: boolean }) => listLots(db, programId, memberId, page),
    transfers: (programId: string, memberId: string, page: KeysetPage) => listMemberTransfers(db, programId, memberId, page),
    transfersByIds: (programId: string, ids: readonly string[]) => transfersByIds(db, programId, ids),
    audit: (programId: string) => auditLedger(db, programId),
    /** Points in lots that expire within `days` from now (and have not yet). */
    expiringSoon: (programId: string, memberId: string, days: number) => expiringLots(db, programId, memberId, clock.now(), days),

    /** Points members hold, and what they would pay for at the program's current redemption value. */
    async liability(programId: string) {
      const [points, rules] = await Promise.all([outstandingPoints(db, programId), loadRules(db, programId)]);
      return { points, value: { amount: pointsPaymentValue(points, rules), currency: rules.currency } };
    },

    redeemPoints: forMember('ledger.redeemPoints'),
    adjustPoints: forMember('ledger.adjustPoints'),
    expirePoints: forMember('ledger.expirePoints'),
    topUpWallet: forMember('ledger.topUpWallet'),
    spendWallet: forMember('ledger.spendWallet'),

    async reverseTransfer(programId: string, input: InputOf<'ledger.reverseTransfer'>) {
      const transfer = await findTransfer(db, programId, input.transferId);
      if (!transfer) throw new TransferNotFoundError(input.transferId);
      const owners = await accountsOfOwner(db, [transfer.debitAccountId, transfer.creditAccountId]);
      const memberId = owners.find((owner) => owner.ownerType === 'member')?.ownerId ?? 'program';
      return run(memberKey(programId, memberId), 'ledger.reverseTransfer', programId, input);
    },
  };
}
