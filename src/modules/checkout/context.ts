import type { Database } from '../../platform/db/database';
import { spendablePoints } from '../ledger';
import { CurrencyMismatchError, InsufficientPointsError } from '../ledger';
import { openLots, walletBalances } from '../ledger';
import { splitWalletSpend } from '../ledger';
import { findMember } from '../members';
import { MemberErasedError, MemberNotFoundError } from '../members';
import { evaluateOffers } from '../offers';
import type { Shopper } from '../offers';
import { matchCodes, memberStamps, memberUsage } from '../offers';
import { activeAutomaticOffers } from '../offers';
import { orderHistory } from '../orders';
import { loadRules } from '../rules';
import { referralStanding, type ReferralStanding } from '../referrals';
import type { Offer } from '../offers';
import { offerFunders, type CampaignFunder } from '../partners';
import type { PromoCodeRow } from '../../../schema';
import type { ProgramRules } from '../rules';
import { loadTierContext, type TierContext } from '../tiers';
import { usageWindows } from '../offers';
import { BASE_EARN_MULTIPLIER } from '../ledger';
import { priceCart, redeemablePoints, type PricedCart } from './pricing';
import { memberInSegments } from '../segments';
import { checkPlacedAt } from './domain/placed-at';
import { globalControlGroup, inGlobalControl, memberArms } from '../experiments';
import type { ExperimentArm } from '../../../schema/values';

export interface CheckoutCart {
  memberId: string | null;
  currency: string;
  total: number;
  lines: Array<{ sku: string; category: string | null; quantity: number; unitPrice: number; attributes: Record<string, unknown> }>;
  codes: string[];
  attributes: Record<string, unknown>;
  redeemPoints: number;
  /** When the order was placed (ISO instant; a till that syncs late); null: now. */
  placedAt: string | null;
  /** Part of the order paid from the member's wallet, in the order's currency. */
  walletPayment: { amount: number; currency: string } | null;
}

export interface Checkout {
  /** The instant the cart is evaluated at: its placedAt, or now. */
  at: Date;
  rules: ProgramRules;
  priced: PricedCart;
  tierContext: TierContext | null;
  /** The member's open lots, and what their referral looks like, as read for this checkout. */
  lots: Awaited<ReturnType<typeof openLots>>;
  referral: ReferralStanding | null;
  spendablePoints: number;
  pointsRedeemable: number;
  /** How the wallet payment splits: bonus credit first, as spendWallet does. */
  walletSplit: { fromBonus: number; fromCash: number };
  /** The offers this checkout read (automatic ones and those of the codes entered), as of its read. */
  offersRead: Offer[];
  /** The partners funding offers of the codes entered, by offer id. */
  funders: Map<string, CampaignFunder>;
  /** The member's arm in each running experiment the offers in play name (exposures are recorded from it). */
  experimentArms: ReadonlyMap<string, ExperimentArm>;
}

const NO_USES = new Map<string, number>();

/** What of the member's history the offers in play can ask about; the rest is not read. */
export interface ShopperNeeds {
  history: boolean;
  usage: boolean;
  stamps: boolean;
  /** Offers whose per-member limit counts per period, and since when (usageWindows). */
  usageSince: ReadonlyMap<string, Date>;
  /** The segments the offers in play target: the member is checked against these only. */
  segmentIds: string[];
  /** The experiments the offers in play name: the member's arm is read for these only. */
  experimentIds: string[];
}

/** What the offers in play (and the codes entered) need to know of the member at `at`. */
export function needsOf(offers: Offer[], codes: PromoCodeRow[], at: Date): ShopperNeeds {
  return {
    history: offers.some((offer) => offer.conditions.orderNumber != null || offer.conditions.withinDaysOfLastOrder != null),
    usage: offers.some((offer) => offer.perMemberLimit !== null) || codes.some((code) => code.perMemberLimit !== null),
    stamps: offers.some((offer) => offer.effect.kind === 'stamp_card'),
    usageSince: usageWindows(offers, at),
    segmentIds: [...new Set(offers.flatMap((offer) => offer.conditions.segmentIds ?? []))],
    experimentIds: [...new Set(offers.flatMap((offer) => (offer.conditions.experimentId ? [offer.conditions.experimentId] : [])))],
  };
}

const NO_ARMS: ReadonlyMap<string, ExperimentArm> = new Map();

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

/** The per-period usage windows each program's offers last asked for, per database: the guess for the next read. */
const lastUsageSince = new WeakMap<Database, Map<string, ReadonlyMap<string, Date>>>();

const sameWindows = (a: ReadonlyMap<string, Date>, b: ReadonlyMap<string, Date>) =>
  a.size === b.size && [...a].every(([offerId, since]) => b.get(offerId)?.getTime() === since.getTime());

/**
 * What checkout knows of the customer at `now` (an order's placedAt); a guest when `memberId` is null.
 * Everything is read in one round trip, the member too: the history, usage and stamps that the
 * offers in play (`needs`, known only once the offers are read) may ask about are read at once
 * anyway, usage with the per-period windows the program's offers asked for last time, and read again
 * only if the offers now ask for other windows. What the offers do not need is not used, as before.
 * With `metricAt`, the tier context carries the member's qualifying metric at that instant.
 */
export async function loadShopper(
  db: Database,
  programId: string,
  memberId: string | null,
  now: Date,
  needs: ShopperNeeds | Promise<ShopperNeeds>,
  metricAt?: Date,
) {
  if (memberId === null) return { shopper: GUEST, tierContext: null, lots: [], spendable: 0, referral: null, experimentArms: NO_ARMS };
  const seen = lastUsageSince.get(db) ?? lastUsageSince.set(db, new Map()).get(db)!;
  const guess = seen.get(programId) ?? new Map<string, Date>();
  const [member, tierContext, lots, referral, history, guessedUsage, stamps, wanted, globalControl] = await Promise.all([
    findMember(db, programId, memberId),
    loadTierContext(db, programId, memberId, now, metricAt),
    openLots(db, programId, memberId),
    referralStanding(db, programId, memberId),
    orderHistory(db, programId, memberId, now),
    memberUsage(db, programId, memberId, guess),
    memberStamps(db, programId, memberId),
    needs,
    globalControlGroup(db, programId),
  ]);
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') throw new MemberErasedError(memberId);
  seen.set(programId, wanted.usageSince);
  // Offers that target segments or name experiments cost one more round trip: the member checked against those.
  const [usage, segmentIds, experimentArms] = await Promise.all([
    !wanted.usage
      ? { offerUses: NO_USES, codeUses: NO_USES }
      : sameWindows(guess, wanted.usageSince)
        ? guessedUsage
        : memberUsage(db, programId, memberId, wanted.usageSince),
    memberInSegments(db, programId, memberId, wanted.segmentIds, now),
    memberArms(db, programId, memberId, wanted.experimentIds, now),
  ]);
  const tier = tierContext?.held ?? null;
  const shopper: Shopper = {
    memberId,
    tier: tier && { id: tier.id, discountBasisPoints: tier.discountBasisPoints, memberOnlyOffers: tier.memberOnlyOffers },
    birthday: member.birthday,
    ...(wanted.history ? history : { priorOrders: 0, lastOrderAt: null }),
    ...usage,
    referred: referral.referred,
    referralDiscountBasisPoints: referral.discountBasisPoints,
    stamps: wanted.stamps ? stamps : new Map(),
    segmentIds,
    heldOutOf: new Set([...experimentArms].flatMap(([experimentId, arm]) => (arm === 'control' ? [experimentId] : []))),
    globalControl: inGlobalControl(globalControl.salt, memberId, globalControl.basisPoints),
  };
  return { shopper, tierContext, lots, spendable: spendablePoints(lots, now), referral, experimentArms };
}

/**
 * Everything checkout decides about a cart at `now`: the offers that apply and why others do not,
 * the discount per line, the points payment and the points to earn. Quote and recordOrder both
 * call this, so a quote and the order recorded from the same cart at the same instant agree.
 * What it read of the member comes back too, for recordOrder to write from.
 */
export async function checkoutCart(db: Database, programId: string, cart: CheckoutCart, now: Date): Promise<Checkout> {
  const at = cart.placedAt === null ? now : new Date(cart.placedAt);
  // A member's personal vouchers apply themselves, as if entered.
  const offersInPlay = Promise.all([
    activeAutomaticOffers(db, programId),
    matchCodes(db, programId, cart.codes, { memberId: cart.memberId, at }),
  ]);
  const needs = offersInPlay.then(([automatic, entered]) => {
    const matched = entered.flatMap(({ match }) => (match ? [match] : []));
    return needsOf(
      [...automatic, ...matched.map((match) => match.offer)],
      matched.map((match) => match.promoCode),
      at,
    );
  });
  // Only code-required offers are partner campaigns: the codes in play say which partners to read.
  const funders = offerFunders(db, programId, cart.codes, { memberId: cart.memberId, at });
  const wallet = cart.walletPayment;
  const [
    rules,
    [automaticOffers, enteredCodes],
    { shopper, tierContext, lots, spendable, referral, experimentArms },
    walletBalance,
    fundersByOffer,
  ] = await Promise.all([
    loadRules(db, programId),
    offersInPlay,
    loadShopper(db, programId, cart.memberId, at, needs, now),
    wallet && cart.memberId ? walletBalances(db, programId, cart.memberId, wallet.currency) : { cash: 0, bonus: 0 },
    funders,
  ]);
  if (cart.currency !== rules.currency) throw new CurrencyMismatchError(rules.currency, cart.currency);
  if (wallet && wallet.currency !== cart.currency) throw new CurrencyMismatchError(cart.currency, wallet.currency);
  checkPlacedAt(at, now, rules.maxBackdateDays);
  const lines = cart.lines.map((line, lineNo) => ({ ...line, lineNo }));
  const evaluation = evaluateOffers({
    now: at,
    cart: { ...cart, lines },
    shopper,
    automaticOffers,
    enteredCodes,
    maxDiscountBasisPoints: rules.maxDiscountBasisPoints,
    funders: fundersByOffer,
  });
  const priced = priceCart(evaluation, cart, rules, tierContext?.held?.earnMultiplierPermille ?? BASE_EARN_MULTIPLIER);
  if (cart.redeemPoints > spendable) throw new InsufficientPointsError(cart.redeemPoints, spendable);
  const walletSplit = splitWalletSpend(walletBalance, priced.walletPayment, cart.currency);
  return {
    at,
    rules,
    priced,
    tierContext,
    lots,
    referral,
    spendablePoints: spendable,
    pointsRedeemable: redeemablePoints(spendable, priced.totalAfterDiscount, rules),
    walletSplit,
    offersRead: [...automaticOffers, ...enteredCodes.flatMap(({ match }) => (match ? [match.offer] : []))],
    funders: fundersByOffer,
    experimentArms,
  };
}
