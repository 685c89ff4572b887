import { mulDivRounded, type ProgramRules } from '../../rules/domain';
import { InsufficientWalletBalanceError } from '../errors';

/**
 * The non-withdrawable bonus credit a top-up earns (rounded down). The threshold is in the program's
 * currency, so only top-ups in that currency earn it.
 */
export function topUpBonus(amount: number, currency: string, rules: ProgramRules): number {
  if (currency !== rules.currency || amount < rules.walletBonusThreshold) return 0;
  return mulDivRounded([amount, rules.walletBonusBasisPoints], 10_000, 'down');
}

/** Spends bonus credit first (it cannot be withdrawn), then cash; all or nothing. */
export function splitWalletSpend(balances: { cash: number; bonus: number }, amount: number, currency: string) {
  const available = balances.cash + balances.bonus;
  if (amount > available) throw new InsufficientWalletBalanceError(currency, amount, available);
  const fromBonus = Math.min(balances.bonus, amount);
  return { fromBonus, fromCash: amount - fromBonus };
}
