import { and, eq, sql } from 'drizzle-orm';
import { orders } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { spendablePoints } from '../ledger/domain/lots';
import { CurrencyMismatchError, InsufficientPointsError } from '../ledger/errors';
import { openLots } from '../ledger/repository';
import { findMember } from '../members/repository';
import { MemberErasedError, MemberNotFoundError } from '../members/errors';
import { evaluateOffers } from '../offers/domain/evaluate';
import type { Shopper } from '../offers/domain/eligibility';
import { matchCodes, memberStamps, memberUsage } from '../offers/repository';
import { activeAutomaticOffers } from '../offers/active-offers';
import { loadRules } from '../rules/service';
import { referralStanding, type ReferralStanding } from '../referrals/repository';
import type { Offer } from '../offers/domain/offer';
import type { PromoCodeRow } from '../../../schema';
import type { ProgramRules } from '../rules/domain';
import { loadTierContext, type TierContext } from '../tiers/order-effects';
import { BASE_EARN_MULTIPLIER } from '../ledger/domain/points';
import { priceCart, redeemablePoints, type PricedCart } from './pricing';
import { memberInSegments } from '../segments';

export interface CheckoutCart {
  memberId: string | null;
  currency: string;
  total: number;
  lines: Array<{ sku: string; category: string | null; quantity: number; unitPrice: number; attributes: Record<string, unknown> }>;
  codes: string[];
  attributes: Record<string, unknown>;
  redeemPoints: number;
}

export interface Checkout {
  rules: ProgramRules;
  priced: PricedCart;
  tierContext: TierContext | null;
  /** The member's open lots, and what their referral looks like, as read for this checkout. */
  lots: Awaited<ReturnType<typeof openLots>>;
  referral: ReferralStanding | null;
  spendablePoints: number;
  pointsRedeemable: number;
}

const NO_USES = new Map<string, number>();

async function orderHistory(db: Database, programId: string, memberId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number), last: sql<number | null>`max(${orders.createdAt})` })
    .from(orders)
    .where(and(eq(orders.programId, programId), eq(orders.memberId, memberId)));
  return { priorOrders: row?.count ?? 0, lastOrderAt: row?.last == null ? null : new Date(Number(row.last)) };
}

/** What of the member's history the offers in play can ask about; the rest is not read. */
export interface ShopperNeeds {
  history: boolean;
  usage: boolean;
  stamps: boolean;
  /** The segments the offers in play target: the member is checked against these only. */
  segmentIds: string[];
}

export function needsOf(offers: Offer[], codes: PromoCodeRow[]): ShopperNeeds {
  return {
    history: offers.some((offer) => offer.conditions.orderNumber != null || offer.conditions.withinDaysOfLastOrder != null),
    usage: offers.some((offer) => offer.perMemberLimit !== null) || codes.some((code) => code.perMemberLimit !== null),
    stamps: offers.some((offer) => offer.effect.kind === 'stamp_card'),
    segmentIds: [...new Set(offers.flatMap((offer) => offer.conditions.segmentIds ?? []))],
  };
}

const GUEST: Shopper = {
  memberId: null,
  tier: null,
  birthday: null,
  priorOrders: 0,
  lastOrderAt: null,
  referred: false,
  referralDiscountBasisPoints: 0,
  offerUses: NO_USES,
  codeUses: NO_USES,
  stamps: new Map(),
  segmentIds: new Set(),
};

/** What checkout knows of the customer at `now`; a guest when `memberId` is null. */
export async function loadShopper(db: Database, programId: string, memberId: string | null, now: Date, needs: Promise<ShopperNeeds>) {
  if (memberId === null) return { shopper: GUEST, tierContext: null, lots: [], spendable: 0, referral: null };
  const member = await findMember(db, programId, memberId);
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') throw new MemberErasedError(memberId);
  const [tierContext, lots, referral, history, usage, stamps, segmentIds] = await Promise.all([
    loadTierContext(db, programId, memberId),
    openLots(db, programId, memberId),
    referralStanding(db, programId, memberId),
    Promise.resolve(needs).then((wanted) => (wanted.history ? orderHistory(db, programId, memberId) : { priorOrders: 0, lastOrderAt: null })),
    Promise.resolve(needs).then((wanted) => (wanted.usage ? memberUsage(db, programId, memberId) : { offerUses: NO_USES, codeUses: NO_USES })),
    Promise.resolve(needs).then((wanted) => (wanted.stamps ? memberStamps(db, programId, memberId) : new Map())),
    needs.then((wanted) => memberInSegments(db, programId, memberId, wanted.segmentIds, now)),
  ]);
  const tier = tierContext?.current ?? null;
  const shopper: Shopper = {
    memberId,
    tier: tier && { id: tier.id, discountBasisPoints: tier.discountBasisPoints, memberOnlyOffers: tier.memberOnlyOffers },
    birthday: member.birthday,
    ...history,
    ...usage,
    referred: referral.referred,
    referralDiscountBasisPoints: referral.discountBasisPoints,
    stamps,
    segmentIds,
  };
  return { shopper, tierContext, lots, spendable: spendablePoints(lots, now), referral };
}

/**
 * Everything checkout decides about a cart at `now`: the offers that apply and why others do not,
 * the discount per line, the points payment and the points to earn. Quote and recordOrder both
 * call this, so a quote and the order recorded from the same cart at the same instant agree.
 * What it read of the member comes back too, for recordOrder to write from.
 */
export async function checkoutCart(db: Database, programId: string, cart: CheckoutCart, now: Date): Promise<Checkout> {
  const offersInPlay = Promise.all([activeAutomaticOffers(db, programId), matchCodes(db, programId, cart.codes)]);
  const needs = offersInPlay.then(([automatic, entered]) => {
    const matched = entered.flatMap(({ match }) => (match ? [match] : []));
    return needsOf([...automatic, ...matched.map((match) => match.offer)], matched.map((match) => match.promoCode));
  });
  const [rules, [automaticOffers, enteredCodes], { shopper, tierContext, lots, spendable, referral }] = await Promise.all([
    loadRules(db, programId),
    offersInPlay,
    loadShopper(db, programId, cart.memberId, now, needs),
  ]);
  if (cart.currency !== rules.currency) throw new CurrencyMismatchError(rules.currency, cart.currency);
  const lines = cart.lines.map((line, lineNo) => ({ ...line, lineNo }));
  const evaluation = evaluateOffers({ now, cart: { ...cart, lines }, shopper, automaticOffers, enteredCodes, maxDiscountBasisPoints: rules.maxDiscountBasisPoints });
  const priced = priceCart(evaluation, cart, rules, tierContext?.current?.earnMultiplierPermille ?? BASE_EARN_MULTIPLIER);
  if (cart.redeemPoints > spendable) throw new InsufficientPointsError(cart.redeemPoints, spendable);
  return {
    rules,
    priced,
    tierContext,
    lots,
    referral,
    spendablePoints: spendable,
    pointsRedeemable: redeemablePoints(spendable, priced.totalAfterDiscount, rules),
  };
}
