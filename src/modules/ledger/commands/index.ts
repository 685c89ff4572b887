import { adjustPointsCommand, expirePointsCommand, redeemPointsCommand } from './points';
import { reverseTransferCommand } from './reverse-transfer';
import { spendWalletCommand, topUpWalletCommand } from './wallet';

/** The ledger's commands, by the name the serializer sends them under. */
export const ledgerCommands = {
  'ledger.redeemPoints': redeemPointsCommand,
  'ledger.adjustPoints': adjustPointsCommand,
  'ledger.expirePoints': expirePointsCommand,
  'ledger.reverseTransfer': reverseTransferCommand,
  'ledger.topUpWallet': topUpWalletCommand,
  'ledger.spendWallet': spendWalletCommand,
};

export type LedgerCommandName = keyof typeof ledgerCommands;
