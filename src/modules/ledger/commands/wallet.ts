import { checks } from '../../../../schema';
import { newId } from '../../../platform/ids';
import type { PlannedEvent } from '../../../platform/outbox';
import { account } from '../accounts';
import { splitWalletSpend, topUpBonus } from '../domain/wallet';
import { InsufficientWalletBalanceError } from '../errors';
import { ledgerCommand, type LedgerCommandInput } from '../operation';
import type { PlannedTransfer } from '../plan';
import { walletBalances } from '../repository';
import { activeMemberLedgerState, ledgerStateMemory, walletIn } from '../hot-state';

export interface WalletInput extends LedgerCommandInput {
  memberId: string;
  currency: string;
  amount: number;
  reference: string | null;
}

export interface WalletResult {
  memberId: string;
  currency: string;
  amount: number;
  bonus: number;
  fromBonus: number;
  fromCash: number;
  balance: { cash: number; bonus: number };
}

function walletEvent(type: 'wallet.topped_up' | 'wallet.spent', result: WalletResult, reference: string | null): PlannedEvent {
  return { type, memberId: result.memberId, data: { ...result, reference } };
}

/** Adds money to the member's wallet, plus the program's top-up bonus as non-withdrawable credit. */
export const topUpWalletCommand = ledgerCommand<WalletInput, WalletResult>('ledger.topUpWallet', async (deps, input) => {
  const { programId, memberId, currency, amount } = input;
  // From the serializer's memory, or every read at once: one round trip (DESIGN.md §3).
  const state = await activeMemberLedgerState(deps, programId, memberId);
  const { rules } = state;
  const before = walletIn(state, currency);
  const bonus = topUpBonus(amount, currency, rules);
  const planned: PlannedTransfer[] = [
    {
      id: newId(),
      debit: account(programId, 'walletFunding', currency),
      credit: account(programId, 'memberWalletCash', currency, memberId),
      amount,
      kind: 'wallet_top_up',
      ref: input.reference,
    },
  ];
  if (bonus > 0) {
    planned.push({
      id: newId(),
      debit: account(programId, 'walletBonusIssued', currency),
      credit: account(programId, 'memberWalletBonus', currency, memberId),
      amount: bonus,
      kind: 'wallet_bonus',
      ref: input.reference,
    });
  }
  const result = {
    memberId,
    currency,
    amount,
    bonus,
    fromBonus: 0,
    fromCash: 0,
    balance: { cash: before.cash + amount, bonus: before.bonus + bonus },
  };
  return {
    memberId,
    transfers: planned,
    result,
    events: [walletEvent('wallet.topped_up', result, input.reference)],
    memory: ledgerStateMemory(deps, state),
  };
});

/** Pays from the wallet: bonus credit first, then cash. */
export const spendWalletCommand = ledgerCommand<WalletInput, WalletResult>('ledger.spendWallet', async (deps, input) => {
  const { programId, memberId, currency, amount } = input;
  const state = await activeMemberLedgerState(deps, programId, memberId);
  const before = walletIn(state, currency);
  const { fromBonus, fromCash } = splitWalletSpend(before, amount, currency);
  const spent = account(programId, 'walletSpent', currency);
  const planned: PlannedTransfer[] = [];
  if (fromBonus > 0)
    planned.push({
      id: newId(),
      debit: account(programId, 'memberWalletBonus', currency, memberId),
      credit: spent,
      amount: fromBonus,
      kind: 'wallet_spend',
      ref: input.reference,
    });
  if (fromCash > 0)
    planned.push({
      id: newId(),
      debit: account(programId, 'memberWalletCash', currency, memberId),
      credit: spent,
      amount: fromCash,
      kind: 'wallet_spend',
      ref: input.reference,
    });
  const result = {
    memberId,
    currency,
    amount,
    bonus: 0,
    fromBonus,
    fromCash,
    balance: { cash: before.cash - fromCash, bonus: before.bonus - fromBonus },
  };
  return {
    memberId,
    transfers: planned,
    result,
    events: [walletEvent('wallet.spent', result, input.reference)],
    memory: ledgerStateMemory(deps, state),
    onViolation: async (violation) => {
      if (violation.kind !== 'check' || !violation.targets.includes(checks.accountsFloor)) return null;
      const now = await walletBalances(deps.db, programId, memberId, currency);
      return new InsufficientWalletBalanceError(currency, amount, now.cash + now.bonus);
    },
  };
});
