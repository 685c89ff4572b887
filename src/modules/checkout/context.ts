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
import type { Offer } from '../offers/domain/offer';
import { loadRules } from '../rules/service';
import { referralStanding, type ReferralStanding } from '../referrals/repository';
import type { ProgramRules } from '../rules/domain';
import { loadTierContext, type TierContext } from '../tiers/order-effects';
import { BASE_EARN_MULTIPLIER } from '../ledger/domain/points';
import { priceCart, redeemablePoints, type PricedCart } from './pricing';

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
  /** The offers this checkout read (automatic ones and those of the codes entered), as of its read. */
  offersRead: Offer[];
}

const NO_USES = new Map<string, number>();

async function orderHistory(db: Database, programId: string, memberId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number), last: sql<number | null>`max(${orders.createdAt})` })
    .from(orders)
    .where(and(eq(orders.programId, programId), eq(orders.memberId, memberId)));
  return { priorOrders: row?.count ?? 0, lastOrderAt: row?.last == null ? null : new Date(Number(row.last)) };
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
};

/**
 * What checkout knows of the customer at `now`; a guest when `memberId` is null. Everything is read
 * at once, the member's history whether or not an offer in play asks about it: a few indexed reads
 * more cost less than another round trip at the edge (DESIGN.md §3).
 */
export async function loadShopper(db: Database, programId: string, memberId: string | null, now: Date) {
  if (memberId === null) return { shopper: GUEST, tierContext: null, lots: [], spendable: 0, referral: null };
  const [member, tierContext, lots, referral, history, usage, stamps] = await Promise.all([
    findMember(db, programId, memberId),
    loadTierContext(db, programId, memberId, now),
    openLots(db, programId, memberId),
    referralStanding(db, programId, memberId),
    orderHistory(db, programId, memberId),
    memberUsage(db, programId, memberId),
    memberStamps(db, programId, memberId),
  ]);
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') throw new MemberErasedError(memberId);
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
  const [rules, automaticOffers, enteredCodes, { shopper, tierContext, lots, spendable, referral }] = await Promise.all([
    loadRules(db, programId),
    activeAutomaticOffers(db, programId),
    matchCodes(db, programId, cart.codes),
    loadShopper(db, programId, cart.memberId, now),
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
    offersRead: [...automaticOffers, ...enteredCodes.flatMap(({ match }) => (match ? [match.offer] : []))],
  };
}
