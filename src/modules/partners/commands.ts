import { checks } from '../../../schema';
import { newId } from '../../platform/ids';
import { account, ledgerCommand, type LedgerCommandInput, type PlannedTransfer } from '../ledger';
import { InsufficientPartnerFundsError, PartnerNotActiveError, PartnerNotFoundError } from './errors';
import { findPartner, fundingAccount, fundingBalances } from './repository';
import { redeemVoucherCommand } from './till';

export interface PartnerFundsInput extends LedgerCommandInput {
  partnerId: string;
  amount: number;
  reference: string | null;
}

export interface PartnerFundsResult {
  partnerId: string;
  currency: string;
  amount: number;
  /** The funding account after the movement: the deposit (prepaid), or the receivable (postpaid, negative while owed). */
  balance: number;
}

/**
 * Money a partner pays in (`deposit`) or takes back (`withdraw`): between the program's partner-funds
 * account and the partner's funding account. A withdrawal never takes the account below zero; the
 * deposit's floor (0) guards it against concurrent redemptions too.
 */
function fundsCommand(name: string, direction: 'deposit' | 'withdraw') {
  return ledgerCommand<PartnerFundsInput, PartnerFundsResult>(name, async (deps, input) => {
    const { programId, partnerId, amount } = input;
    const partner = await findPartner(deps.db, programId, partnerId);
    if (!partner) throw new PartnerNotFoundError(partnerId);
    if (direction === 'deposit' && partner.status === 'archived') throw new PartnerNotActiveError(partnerId, partner.status);
    const before = (await fundingBalances(deps.db, [partner])).get(partnerId) ?? 0;
    if (direction === 'withdraw' && before < amount) throw new InsufficientPartnerFundsError(partnerId, amount, Math.max(before, 0));
    const funds = account(programId, 'partnerFunds', partner.currency);
    const own = fundingAccount(partner);
    const transfer: PlannedTransfer =
      direction === 'deposit'
        ? { id: newId(), debit: funds, credit: own, amount, kind: 'partner_deposit', ref: input.reference }
        : { id: newId(), debit: own, credit: funds, amount, kind: 'partner_withdrawal', ref: input.reference };
    return {
      memberId: null,
      transfers: [transfer],
      result: { partnerId, currency: partner.currency, amount, balance: direction === 'deposit' ? before + amount : before - amount },
      onViolation: async (violation) => {
        if (violation.kind !== 'check' || !violation.targets.includes(checks.accountsFloor)) return null;
        const now = (await fundingBalances(deps.db, [partner])).get(partnerId) ?? 0;
        return new InsufficientPartnerFundsError(partnerId, amount, Math.max(now, 0));
      },
    };
  });
}

/** The partners module's commands, by the name the serializer sends them under. */
export const partnerCommands = {
  'partners.depositFunds': fundsCommand('partners.depositFunds', 'deposit'),
  'partners.withdrawFunds': fundsCommand('partners.withdrawFunds', 'withdraw'),
  'partners.redeemVoucher': redeemVoucherCommand,
};

/** Partner money moves in a serializer of its own, keyed apart from every member. */
export const partnerSerializerKey = (partnerId: string) => `partner:${partnerId}`;
