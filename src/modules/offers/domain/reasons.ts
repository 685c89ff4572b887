/** Why an offer or a code did not apply to a cart: machine-readable, one per entry. */
export const notAppliedReasons = [
  'unknown_code',
  'code_expired',
  'code_already_used',
  'code_usage_limit_reached',
  'code_member_limit_reached',
  'code_assigned_to_another_member',
  'duplicate_code_for_offer',
  'inactive',
  'not_started',
  'expired',
  'members_only',
  'tier_not_eligible',
  'not_referred',
  'not_birthday_window',
  'not_birthday_month',
  'attributes_not_matched',
  'order_number_not_matched',
  'no_recent_order',
  'not_in_segment',
  'below_threshold',
  'limit_reached',
  'budget_exhausted',
  'member_limit_reached',
  'no_matching_items',
  'nothing_to_discount',
  'excluded_by_exclusive_offer',
  'discount_cap_reached',
  'partner_budget_exhausted',
  'partner_suspended',
  'voucher_void',
  'holdout',
] as const;
export type NotAppliedReason = (typeof notAppliedReasons)[number];

/** A reason, with the threshold the cart missed when there is one, and how much it is short of it. */
export interface Refusal {
  reason: NotAppliedReason;
  threshold?: number;
  missing?: number;
}

export const refuse = (reason: NotAppliedReason, threshold?: number): Refusal =>
  threshold === undefined ? { reason } : { reason, threshold };

/** The cart reaches `reached` of `threshold`: BELOW_THRESHOLD, with how much is missing. */
export const belowThreshold = (threshold: number, reached: number): Refusal => ({
  reason: 'below_threshold',
  threshold,
  missing: threshold - reached,
});
