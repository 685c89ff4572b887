import type { PromoCodeRow } from '../../../../schema';
import { allocate, REST_OF_ORDER } from './allocation';
import { claimOf, EMPTY_CARD, percentOf, type CartLine, type CartState, type EffectClaim, type NextStep } from './effects';
import { codeEligibility, offerEligibility, type Shopper } from './eligibility';
import type { EffectKind, Offer } from './offer';
import { refuse, type Refusal } from './reasons';

export interface Cart {
  /** Gross total, minor units; at least the sum of the lines (the rest is shipping, fees …). */
  total: number;
  lines: CartLine[];
  attributes: Record<string, unknown>;
}

export interface EvaluationInput {
  now: Date;
  cart: Cart;
  shopper: Shopper;
  /** Automatic offers of the program (status active, no code required). */
  automaticOffers: Offer[];
  /** Codes as entered (normalized) and the stored code each matched, with its offer. */
  enteredCodes: Array<{ code: string; match: { promoCode: PromoCodeRow; offer: Offer } | null }>;
  maxDiscountBasisPoints: number | null;
  /** Who funds an offer other than the program (a partner brand), by offer id; absent: the program alone. */
  funders?: ReadonlyMap<string, OfferFunder>;
}

/**
 * A third party that pays part of an offer's discount plus a fee per redemption, from funds that
 * can run out (`available`: what it may still spend, Infinity when unbounded).
 */
export interface OfferFunder {
  funderId: string;
  /** Why the offer's codes cannot apply now: its funder is suspended, or its vouchers are void (campaign ended). */
  blockedBy: 'partner_suspended' | 'voucher_void' | null;
  costShareBasisPoints: number;
  feePerRedemption: number;
  available: number;
}

/** What a funder pays for a redemption that took `discount` off: its share (half-up) and the fee. */
export function funderCost(funder: Pick<OfferFunder, 'costShareBasisPoints' | 'feePerRedemption'>, discount: number) {
  const share = percentOf(discount, funder.costShareBasisPoints);
  return { share, fee: funder.feePerRedemption, total: share + funder.feePerRedemption };
}

/** The member's standing discounts, applied after the offers: their tier's, then their referral rung's. */
function standingDiscounts(shopper: Shopper) {
  const discounts: Array<{ effect: 'tier_discount' | 'referral_discount'; tierId: string | null; basisPoints: number }> = [];
  if (shopper.tier && shopper.tier.discountBasisPoints > 0)
    discounts.push({ effect: 'tier_discount', tierId: shopper.tier.id, basisPoints: shopper.tier.discountBasisPoints });
  if (shopper.referralDiscountBasisPoints > 0)
    discounts.push({ effect: 'referral_discount', tierId: null, basisPoints: shopper.referralDiscountBasisPoints });
  return discounts;
}

/** What an offer, or one of the member's standing discounts (offerId null), did to the cart. */
export interface Application {
  offerId: string | null;
  tierId: string | null;
  effect: EffectKind | 'tier_discount' | 'referral_discount';
  codeId: string | null;
  code: string | null;
  discount: number;
  /** Where the discount fell: line number → amount (REST_OF_ORDER for the rest). */
  lineDiscounts: Array<{ lineNo: number; amount: number }>;
  gift: { sku: string; quantity: number } | null;
  /** A stepped effect's next step up, and how far the cart is from it. */
  nextStep: NextStep | null;
  bonus: { points: number } | { multiplierPermille: number } | null;
  stamps: number;
  /** Line numbers whose units stamped a card. */
  stampedLines: number[];
  freeUnits: number;
  /** False for stamp progress that gave nothing yet: it does not count against limits. */
  countsAsRedemption: boolean;
}

export interface NotApplied extends Refusal {
  offerId: string | null;
  tierId: string | null;
  code: string | null;
}

export interface Evaluation {
  discount: number;
  applied: Application[];
  notApplied: NotApplied[];
  /** Discount per line number, REST_OF_ORDER included. */
  lineDiscounts: Map<number, number>;
}

interface Candidate {
  offer: Offer;
  promoCode: PromoCodeRow | null;
  code: string | null;
}

/** Highest priority first; among equals the older offer first, then by id: the same order every time. */
export const byEvaluationOrder = (a: Offer, b: Offer) =>
  b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Which offers take part: automatic ones, and those the entered codes unlock (one code per offer). */
function candidatesOf(input: EvaluationInput, notApplied: NotApplied[]): Candidate[] {
  const { shopper, cart, now } = input;
  const candidates = new Map<string, Candidate>(input.automaticOffers.map((offer) => [offer.id, { offer, promoCode: null, code: null }]));
  for (const { code, match } of input.enteredCodes) {
    const refusal = match ? codeEligibility(match.promoCode, shopper, cart, now) : refuse('unknown_code');
    if (refusal) {
      notApplied.push({ offerId: match?.offer.id ?? null, tierId: null, code, ...refusal });
      continue;
    }
    const { offer, promoCode } = match!;
    if (candidates.get(offer.id)?.promoCode) {
      notApplied.push({ offerId: offer.id, tierId: null, code, reason: 'duplicate_code_for_offer' });
      continue;
    }
    candidates.set(offer.id, { offer, promoCode, code });
  }
  return [...candidates.values()].sort((a, b) => byEvaluationOrder(a.offer, b.offer));
}

/**
 * Applies a cart's offers in a fixed order, each on what the ones before it left:
 * 1. offers by priority (highest first); a code-required offer only with a usable code;
 * 2. an applied exclusive offer stops every offer after it, and the standing discounts;
 * 3. the member's standing discounts last, on what is left: the tier's, then the referral rung's;
 * 4. each discount is capped by the offer's budget left and by the program's cap on the order's
 *    total discount, and can never take a line, or the order, below zero.
 * Pure: the same input gives the same evaluation, in a quote and when the order is recorded.
 */
export function evaluateOffers(input: EvaluationInput): Evaluation {
  const { cart, shopper, now } = input;
  const notApplied: NotApplied[] = [];
  const applied: Application[] = [];
  const subtotal = cart.lines.reduce((total, line) => total + line.quantity * line.unitPrice, 0);
  const state: CartState = {
    total: cart.total,
    lines: cart.lines,
    remaining: new Map([
      ...cart.lines.map((line) => [line.lineNo, line.quantity * line.unitPrice] as const),
      [REST_OF_ORDER, cart.total - subtotal],
    ]),
  };
  const cap = input.maxDiscountBasisPoints === null ? Infinity : Math.floor((cart.total * input.maxDiscountBasisPoints) / 10_000);
  let discount = 0;
  let stoppedBy: string | null = null;

  const grant = (claim: EffectClaim, budgetLeft: number): { amount: number } | Refusal => {
    if (claim.discount === 0) return { amount: 0 };
    if (budgetLeft <= 0) return refuse('budget_exhausted');
    if (cap - discount <= 0) return refuse('discount_cap_reached');
    return { amount: Math.min(claim.discount, budgetLeft, cap - discount) };
  };
  const take = (claim: EffectClaim, amount: number) => {
    const shares = allocate(amount, claim.buckets);
    for (const [key, share] of shares) state.remaining.set(key, state.remaining.get(key)! - share);
    discount += amount;
    return [...shares].map(([lineNo, share]) => ({ lineNo, amount: share }));
  };

  const funderSpent = new Map<string, number>();
  for (const { offer, promoCode, code } of candidatesOf(input, notApplied)) {
    const skip = (refusal: Refusal) => notApplied.push({ offerId: offer.id, tierId: null, code, ...refusal });
    const funder = input.funders?.get(offer.id);
    if (funder?.blockedBy) {
      skip(refuse(funder.blockedBy));
      continue;
    }
    const isStampCard = offer.effect.kind === 'stamp_card';
    if (stoppedBy && !isStampCard) {
      skip(refuse('excluded_by_exclusive_offer'));
      continue;
    }
    const refusal = offerEligibility(offer, shopper, { total: cart.total, attributes: cart.attributes }, now);
    if (refusal) {
      skip(refusal);
      continue;
    }
    const claim = claimOf(offer.effect, state, shopper.stamps.get(offer.id) ?? EMPTY_CARD);
    if ('reason' in claim) {
      skip(claim);
      continue;
    }
    const isDiscountEffect =
      offer.effect.kind !== 'gift' && offer.effect.kind !== 'bonus_points' && offer.effect.kind !== 'partner_voucher';
    if (isDiscountEffect && claim.discount === 0 && !claim.stamps) {
      skip(refuse('nothing_to_discount'));
      continue;
    }
    const budgetLeft = offer.budget === null ? Infinity : offer.budget - offer.discountGiven;
    const granted = stoppedBy ? refuse('excluded_by_exclusive_offer') : grant(claim, budgetLeft);
    const application = {
      offerId: offer.id,
      tierId: null,
      effect: offer.effect.kind,
      codeId: promoCode?.id ?? null,
      code,
      gift: claim.gift ?? null,
      nextStep: claim.nextStep ?? null,
      bonus: claim.bonus ?? null,
      stamps: claim.stamps ?? 0,
      stampedLines: claim.stampedLines ?? [],
    };
    if (isStampCard && ('reason' in granted || granted.amount < claim.discount)) {
      // A stamp card keeps counting what the member buys; a free unit that an exclusive offer, the
      // budget or the cap keeps from this order stays due for a later one, whole.
      if ((claim.freeUnits ?? 0) > 0)
        skip('reason' in granted ? granted : refuse(budgetLeft < claim.discount ? 'budget_exhausted' : 'discount_cap_reached'));
      applied.push({ ...application, discount: 0, lineDiscounts: [], freeUnits: 0, countsAsRedemption: false });
      continue;
    }
    if ('reason' in granted) {
      skip(granted);
      continue;
    }
    if (funder) {
      // The funder pays its share and fee from what it has left: if that does not cover them, the offer does not apply.
      const cost = funderCost(funder, granted.amount).total;
      const spent = funderSpent.get(funder.funderId) ?? 0;
      if (spent + cost > funder.available) {
        skip(refuse('partner_budget_exhausted'));
        continue;
      }
      funderSpent.set(funder.funderId, spent + cost);
    }
    applied.push({
      ...application,
      discount: granted.amount,
      lineDiscounts: take(claim, granted.amount),
      freeUnits: claim.freeUnits ?? 0,
      // Bonus points count once priced (priceCart): a multiplier on an order that earns nothing gives nothing.
      countsAsRedemption:
        granted.amount > 0 || claim.gift !== undefined || claim.partnerVoucher !== undefined || (claim.freeUnits ?? 0) > 0,
    });
    if (offer.exclusive) stoppedBy = offer.id;
  }

  for (const standing of standingDiscounts(shopper)) {
    const skip = (refusal: Refusal) => notApplied.push({ offerId: null, tierId: standing.tierId, code: null, ...refusal });
    // A standing discount is a percentage off whatever the order has left.
    const claim = claimOf({ kind: 'percent_off', basisPoints: standing.basisPoints, items: null }, state, EMPTY_CARD) as EffectClaim;
    const granted = stoppedBy
      ? refuse('excluded_by_exclusive_offer')
      : claim.discount === 0
        ? refuse('nothing_to_discount')
        : grant(claim, Infinity);
    if ('reason' in granted) {
      skip(granted);
      continue;
    }
    const lineDiscounts = take(claim, granted.amount);
    applied.push({
      offerId: null,
      tierId: standing.tierId,
      effect: standing.effect,
      codeId: null,
      code: null,
      discount: granted.amount,
      lineDiscounts,
      gift: null,
      nextStep: null,
      bonus: null,
      stamps: 0,
      stampedLines: [],
      freeUnits: 0,
      countsAsRedemption: false,
    });
  }

  const lineDiscounts = new Map<number, number>();
  for (const application of applied)
    for (const { lineNo, amount } of application.lineDiscounts) lineDiscounts.set(lineNo, (lineDiscounts.get(lineNo) ?? 0) + amount);
  return { discount, applied, notApplied, lineDiscounts };
}
