/**
 * The names of the database's CHECK constraints, in one place: the table definitions name their guards
 * with these, and the code that maps a tripped guard to a typed error (SQLite reports the name) compares
 * with the same constants, so a renamed guard cannot leave a mapping behind. UNIQUE guards are reported
 * by their columns: compare with `columnTarget(table.column)` (platform/db/constraint-errors.ts).
 */
export const checks = {
  accountsBalanceRange: 'accounts_balance_range',
  accountsFloor: 'accounts_floor',
  lotMovementsDeltaRange: 'lot_movements_delta_range',
  lotMovementsNonzero: 'lot_movements_nonzero',
  lotsAmountRange: 'lots_amount_range',
  lotsRemainingInRange: 'lots_remaining_in_range',
  membersErasedHasNoPersonalData: 'members_erased_has_no_personal_data',
  membersStatus: 'members_status',
  offerApplicationsAmounts: 'offer_applications_amounts',
  offerApplicationsRange: 'offer_applications_range',
  offerApplicationsStampsReturned: 'offer_applications_stamps_returned',
  offersBonusPoints: 'offers_bonus_points',
  offersBudget: 'offers_budget',
  offersCountersRange: 'offers_counters_range',
  offersRedemptionCap: 'offers_redemption_cap',
  offersStatus: 'offers_status',
  orderLinesQuantities: 'order_lines_quantities',
  orderLinesRange: 'order_lines_range',
  ordersAmounts: 'orders_amounts',
  ordersAmountsRange: 'orders_amounts_range',
  ordersPointsBackInRange: 'orders_points_back_in_range',
  ordersRefundInRange: 'orders_refund_in_range',
  ordersWallet: 'orders_wallet',
  programRulesDiscountCap: 'program_rules_discount_cap',
  programRulesLimits: 'program_rules_limits',
  programRulesMaxBackdateDays: 'program_rules_max_backdate_days',
  programRulesPositive: 'program_rules_positive',
  programRulesRange: 'program_rules_range',
  promoCodesUses: 'promo_codes_uses',
  referralConversionCountsCap: 'referral_conversion_counts_cap',
  referralSettingsRanges: 'referral_settings_ranges',
  referralsAmounts: 'referrals_amounts',
  referralsPointsRange: 'referrals_points_range',
  referralsStatus: 'referrals_status',
  stampCardsRange: 'stamp_cards_range',
  stampCardsStamps: 'stamp_cards_stamps',
  tierSettingsRanges: 'tier_settings_ranges',
  tiersRanges: 'tiers_ranges',
  transfersAmountPositive: 'transfers_amount_positive',
  transfersAmountRange: 'transfers_amount_range',
  transfersDistinctAccounts: 'transfers_distinct_accounts',
  webhookDeliveriesStatus: 'webhook_deliveries_status',
  webhookEndpointsStatus: 'webhook_endpoints_status',
} as const;

export type CheckName = (typeof checks)[keyof typeof checks];
