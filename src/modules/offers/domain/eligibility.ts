import { DAY_MS } from '../../../platform/time';
import type { StampCardState } from './effects';
import type { PromoCodeRow } from '../../../../schema';
import type { Offer, OfferConditions } from './offer';
import { belowThreshold, refuse, type Refusal } from './reasons';

/** What checkout knows about the customer; `memberId` null for a guest. */
export interface Shopper {
  memberId: string | null;
  tier: { id: string; discountBasisPoints: number; memberOnlyOffers: boolean } | null;
  /** YYYY-MM-DD */
  birthday: string | null;
  priorOrders: number;
  lastOrderAt: Date | null;
  /** Joined through a referral that was not rejected. */
  referred: boolean;
  /** The standing discount the member's referral rung gives (0: none). */
  referralDiscountBasisPoints: number;
  /**
   * Redemptions per offer still standing (a full refund gives its use back); for an offer whose
   * per-member limit counts per period, those in the current period.
   */
  offerUses: ReadonlyMap<string, number>;
  codeUses: ReadonlyMap<string, number>;
  /** Stamp-card progress per offer. */
  stamps: ReadonlyMap<string, StampCardState>;
  /** Of the segments the offers in play target, those the member is in. */
  segmentIds: ReadonlySet<string>;
  /** Of the running experiments the offers in play name, those the member is in the control group of (absent: none). */
  heldOutOf?: ReadonlySet<string>;
  /** In the program's global control group: no automatic offer (absent: not). */
  globalControl?: boolean;
}

export interface CartFacts {
  total: number;
  attributes: Record<string, unknown>;
}

/** Days from today to the nearest occurrence of the birthday (29 Feb counts as 28 Feb in other years). */
export function daysFromBirthday(birthday: string, now: Date): number {
  const [, month, day] = birthday.split('-').map(Number) as [number, number, number];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const occurrences = [-1, 0, 1].map((offset) => {
    const year = now.getUTCFullYear() + offset;
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return Date.UTC(year, month - 1, month === 2 && day === 29 && !leap ? 28 : day);
  });
  return Math.min(...occurrences.map((occurrence) => Math.abs(occurrence - today) / DAY_MS));
}

type Check = (conditions: OfferConditions, shopper: Shopper, cart: CartFacts, now: Date) => Refusal | null;

const needsMember = (shopper: Shopper) => (shopper.memberId === null ? refuse('members_only') : null);

/** One tiny rule per condition about the shopper; the first that fails is the reason. */
const shopperChecks: Check[] = [
  ({ audience }, shopper) => {
    if (audience === 'everyone') return null;
    if (shopper.memberId === null) return refuse('members_only');
    return audience === 'member_only_tiers' && !shopper.tier?.memberOnlyOffers ? refuse('tier_not_eligible') : null;
  },
  ({ referredOnly }, shopper) => (referredOnly ? (needsMember(shopper) ?? (shopper.referred ? null : refuse('not_referred'))) : null),
  ({ tierIds }, shopper) =>
    tierIds.length === 0
      ? null
      : (needsMember(shopper) ?? (shopper.tier && tierIds.includes(shopper.tier.id) ? null : refuse('tier_not_eligible'))),
  ({ birthdayWindowDays }, shopper, _cart, now) =>
    birthdayWindowDays === null
      ? null
      : (needsMember(shopper) ??
        (shopper.birthday && daysFromBirthday(shopper.birthday, now) <= birthdayWindowDays ? null : refuse('not_birthday_window'))),
  ({ birthdayMonth }, shopper, _cart, now) =>
    !birthdayMonth
      ? null
      : (needsMember(shopper) ??
        (shopper.birthday && Number(shopper.birthday.slice(5, 7)) === now.getUTCMonth() + 1 ? null : refuse('not_birthday_month'))),
  ({ orderNumber }, shopper) =>
    orderNumber === null
      ? null
      : (needsMember(shopper) ?? (shopper.priorOrders + 1 === orderNumber ? null : refuse('order_number_not_matched'))),
  ({ withinDaysOfLastOrder }, shopper, _cart, now) =>
    withinDaysOfLastOrder === null
      ? null
      : (needsMember(shopper) ??
        (shopper.lastOrderAt && now.getTime() - shopper.lastOrderAt.getTime() <= withinDaysOfLastOrder * DAY_MS
          ? null
          : refuse('no_recent_order'))),
  ({ segmentIds = [] }, shopper) =>
    segmentIds.length === 0
      ? null
      : (needsMember(shopper) ?? (segmentIds.some((id) => shopper.segmentIds.has(id)) ? null : refuse('not_in_segment'))),
];

/** Conditions on the cart itself. */
const cartChecks: Check[] = [
  ({ attributes }, _shopper, cart) =>
    Object.entries(attributes).every(([name, value]) => cart.attributes[name] === value) ? null : refuse('attributes_not_matched'),
  ({ minimumSpend }, _shopper, cart) =>
    minimumSpend !== null && cart.total < minimumSpend ? belowThreshold(minimumSpend, cart.total) : null,
];

const firstRefusal = (checks: Check[], offer: Offer, shopper: Shopper, cart: CartFacts, now: Date) => {
  for (const check of checks) {
    const refusal = check(offer.conditions, shopper, cart, now);
    if (refusal) return refusal;
  }
  return null;
};

/** Whether the offer is live at `now` and its overall limits leave room. */
export function offerAvailability(offer: Offer, now: Date): Refusal | null {
  if (offer.status !== 'active') return refuse('inactive');
  if (offer.startsAt && offer.startsAt.getTime() > now.getTime()) return refuse('not_started');
  if (offer.endsAt && offer.endsAt.getTime() <= now.getTime()) return refuse('expired');
  if (offer.maxRedemptions !== null && offer.redemptions >= offer.maxRedemptions) return refuse('limit_reached');
  if (offer.budget !== null && offer.discountGiven >= offer.budget) return refuse('budget_exhausted');
  return null;
}

/**
 * Held out of the offer: in the control group of the experiment it names, or (for an automatic
 * offer: marketing the member did not ask for with a code) in the program's global control group.
 * Checked last, so HOLDOUT means the offer would have applied otherwise.
 */
export function holdoutRefusal(offer: Offer, shopper: Shopper): Refusal | null {
  if (shopper.memberId === null) return null;
  const experimentId = offer.conditions.experimentId;
  if (experimentId && shopper.heldOutOf?.has(experimentId)) return refuse('holdout');
  return shopper.globalControl && !offer.codeRequired ? refuse('holdout') : null;
}

/** Whether this shopper may use the offer now, on some cart: what `member.availableOffers` lists. */
export function shopperEligibility(offer: Offer, shopper: Shopper, now: Date): Refusal | null {
  return shopperRefusal(offer, shopper, now) ?? holdoutRefusal(offer, shopper);
}

function shopperRefusal(offer: Offer, shopper: Shopper, now: Date): Refusal | null {
  return (
    offerAvailability(offer, now) ??
    firstRefusal(shopperChecks, offer, shopper, { total: 0, attributes: {} }, now) ??
    // Stamp-card progress is kept per member: a guest has no card.
    // So is a voucher earned: it is given to a member.
    (offer.effect.kind === 'stamp_card' || offer.effect.kind === 'partner_voucher' ? needsMember(shopper) : null) ??
    memberLimitRefusal(offer.perMemberLimit, shopper, shopper.offerUses.get(offer.id) ?? 0, 'member_limit_reached')
  );
}

/** Whether this shopper may use the offer on this cart, ignoring what other offers take. */
export function offerEligibility(offer: Offer, shopper: Shopper, cart: CartFacts, now: Date): Refusal | null {
  return shopperRefusal(offer, shopper, now) ?? firstRefusal(cartChecks, offer, shopper, cart, now) ?? holdoutRefusal(offer, shopper);
}

export function memberLimitRefusal(
  limit: number | null,
  shopper: Shopper,
  used: number,
  reason: 'member_limit_reached' | 'code_member_limit_reached',
): Refusal | null {
  if (limit === null) return null;
  return needsMember(shopper) ?? (used >= limit ? refuse(reason) : null);
}

/** Whether an entered code can be used by this shopper on this cart (its offer is checked apart); without a cart, on some cart. */
export function codeEligibility(code: PromoCodeRow, shopper: Shopper, cart: CartFacts | null, now: Date): Refusal | null {
  if (code.voidedAt) return refuse('voucher_void');
  if (code.expiresAt && code.expiresAt.getTime() <= now.getTime()) return refuse('code_expired');
  if (code.maxUses !== null && code.uses >= code.maxUses)
    return refuse(code.maxUses === 1 ? 'code_already_used' : 'code_usage_limit_reached');
  if (code.assignedMemberId !== null && code.assignedMemberId !== shopper.memberId) {
    return shopper.memberId === null ? refuse('members_only') : refuse('code_assigned_to_another_member');
  }
  const limit = memberLimitRefusal(code.perMemberLimit, shopper, shopper.codeUses.get(code.id) ?? 0, 'code_member_limit_reached');
  if (limit) return limit;
  return cart && code.minimumSpend !== null && cart.total < code.minimumSpend ? belowThreshold(code.minimumSpend, cart.total) : null;
}
