import { mulDivRounded } from '../../rules/domain';
import { REST_OF_ORDER, type Bucket } from './allocation';
import { matchesItems, type ItemMatch, type OfferEffect } from './offer';
import { belowThreshold, refuse, type Refusal } from './reasons';
import { stepFor } from './steps';

export interface CartLine {
  lineNo: number;
  sku: string;
  category: string | null;
  quantity: number;
  unitPrice: number;
  attributes: Record<string, unknown>;
}

/**
 * A member's stamp card for an offer: matching units bought (less those refunded) and free units
 * given so far. When refunds leave fewer stamps than the free units given have used
 * (rewards × N > stamps), the card is in debt: new stamps repay it before the next free unit.
 */
export interface StampCardState {
  stamps: number;
  rewards: number;
}

export const EMPTY_CARD: StampCardState = { stamps: 0, rewards: 0 };

export interface NextStep {
  minimumSpend: number;
  amount: number | null;
  basisPoints: number | null;
  missing: number;
}

/** What is left to discount while offers are applied one after another. */
export interface CartState {
  total: number;
  lines: CartLine[];
  /** Per line number, and REST_OF_ORDER for the part of the total no line covers. */
  remaining: Map<number, number>;
}

/** What an effect asks for before budgets and caps: a discount over buckets, and anything else it gives. */
export interface EffectClaim {
  discount: number;
  buckets: Bucket[];
  gift?: { sku: string; quantity: number };
  bonus?: { points: number } | { multiplierPermille: number };
  /** For a stepped effect: the next step up, and how much more spend reaches it. */
  nextStep?: NextStep | null;
  stamps?: number;
  /** Line numbers whose units stamped the card. */
  stampedLines?: number[];
  freeUnits?: number;
  /** The partner campaign whose voucher the order earns. */
  partnerVoucher?: { campaignId: string };
}

/** Percentages are of minor units, rounded half-up to a whole minor unit. */
export const percentOf = (amount: number, basisPoints: number) => mulDivRounded([amount, basisPoints], 10_000, 'half_up');

function bucketsOf(state: CartState, lines: CartLine[], withRest: boolean): Bucket[] {
  const keys = [...lines.map((line) => line.lineNo), ...(withRest ? [REST_OF_ORDER] : [])];
  return keys.map((key) => ({ key, remaining: state.remaining.get(key) ?? 0 })).filter((bucket) => bucket.remaining > 0);
}

const sum = (buckets: Bucket[]) => buckets.reduce((total, bucket) => total + bucket.remaining, 0);

function matchingLines(state: CartState, items: ItemMatch): CartLine[] | Refusal {
  const lines = state.lines.filter((line) => matchesItems(items, line));
  return lines.length > 0 ? lines : refuse('no_matching_items');
}

/** The cheapest `units` units among `lines` (earlier lines first on a tie). */
function cheapestUnits(lines: CartLine[], units: number): Array<{ line: CartLine; units: number }> {
  let left = units;
  return [...lines]
    .sort((a, b) => a.unitPrice - b.unitPrice || a.lineNo - b.lineNo)
    .map((line) => {
      const take = Math.min(left, line.quantity);
      left -= take;
      return { line, units: take };
    })
    .filter((taken) => taken.units > 0);
}

/**
 * A discount on the given units, worked out from what they have left after the offers before
 * (so percentages compound and a bundle price is reached, not undercut), over buckets capped by
 * what each of their lines has left.
 */
function unitsClaim(state: CartState, taken: Array<{ line: CartLine; units: number }>, discountOf: (left: number) => number) {
  const buckets = taken
    .map(({ line, units }) => ({ key: line.lineNo, remaining: Math.min(units * line.unitPrice, state.remaining.get(line.lineNo) ?? 0) }))
    .filter((bucket) => bucket.remaining > 0);
  const left = sum(buckets);
  return { discount: Math.min(discountOf(left), left), buckets };
}

/**
 * The basis points or amount a percent or amount effect gives on `spend` (before discounts: the
 * cart total, or the matching lines' when the effect targets items): fixed, or its highest step
 * reached, with the next step up.
 */
function rateOf(
  effect: Extract<OfferEffect, { kind: 'percent_off' | 'amount_off' }>,
  spend: number,
): { value: number; nextStep?: NextStep | null } | Refusal {
  const fixed = effect.kind === 'percent_off' ? effect.basisPoints : effect.amount;
  if (!effect.steps) return { value: fixed! };
  const steps = effect.steps.map((step) => ({ minimumSpend: step.minimumSpend, value: 'amount' in step ? step.amount : step.basisPoints }));
  const { reached, next } = stepFor(steps, spend);
  if (!reached) return belowThreshold(steps[0]!.minimumSpend, spend);
  const nextStep = next && {
    minimumSpend: next.minimumSpend,
    amount: effect.kind === 'amount_off' ? next.value : null,
    basisPoints: effect.kind === 'percent_off' ? next.value : null,
    missing: next.minimumSpend - spend,
  };
  return { value: reached.value, nextStep };
}

/** What `sets` complete sets take off, of `left` that they still cost after the offers before. */
function comboDiscount(effect: Extract<OfferEffect, { kind: 'combo' }>, sets: number, left: number): number {
  if (effect.bundlePrice !== null) return Math.max(0, left - sets * effect.bundlePrice);
  if (effect.bundleBasisPoints !== null) return percentOf(left, effect.bundleBasisPoints);
  // Sets × amount can pass what the sets cost; unitsClaim caps the discount at `left`.
  return Math.min(left, sets * effect.bundleAmountOff!);
}

/**
 * What one effect claims from the cart as it stands. Pure: the caller applies budgets and caps,
 * then takes the granted discount out of `state`.
 */
export function claimOf(effect: OfferEffect, state: CartState, card: StampCardState): EffectClaim | Refusal {
  switch (effect.kind) {
    case 'percent_off':
    case 'amount_off': {
      const lines = effect.items ? matchingLines(state, effect.items) : state.lines;
      if ('reason' in lines) return lines;
      const rate = rateOf(effect, effect.items ? lines.reduce((total, line) => total + line.quantity * line.unitPrice, 0) : state.total);
      if ('reason' in rate) return rate;
      const buckets = bucketsOf(state, lines, effect.items === null);
      const base = sum(buckets);
      const discount = effect.kind === 'percent_off' ? percentOf(base, rate.value) : Math.min(rate.value, base);
      return { discount, buckets, ...(rate.nextStep !== undefined ? { nextStep: rate.nextStep } : {}) };
    }
    case 'combo': {
      const bySku = effect.skus.map((sku) => state.lines.filter((line) => line.sku === sku));
      const sets = Math.min(...bySku.map((lines) => lines.reduce((units, line) => units + line.quantity, 0)));
      if (sets === 0) return refuse('no_matching_items');
      const taken = bySku.flatMap((lines) => cheapestUnits(lines, sets));
      return unitsClaim(state, taken, (left) => comboDiscount(effect, sets, left));
    }
    case 'gift': {
      if (effect.minimumAmount !== null) {
        if (state.total < effect.minimumAmount) return belowThreshold(effect.minimumAmount, state.total);
      } else {
        const weight = state.lines.reduce((total, line) => total + line.quantity * numeric(line.attributes[effect.weightAttribute!]), 0);
        if (weight < effect.minimumWeight!) return belowThreshold(effect.minimumWeight!, weight);
      }
      return { discount: 0, buckets: [], gift: { sku: effect.sku, quantity: effect.quantity } };
    }
    case 'partner_voucher':
      return { discount: 0, buckets: [], partnerVoucher: { campaignId: effect.campaignId } };
    case 'bonus_points':
      return {
        discount: 0,
        buckets: [],
        bonus: effect.points !== null ? { points: effect.points } : { multiplierPermille: effect.multiplierPermille! },
      };
    case 'stamp_card': {
      const lines = matchingLines(state, effect.items);
      if ('reason' in lines) return lines;
      const stamps = lines.reduce((units, line) => units + line.quantity, 0);
      // Free units due (a refund or a cap may have left some for later), at most the matching units bought.
      const freeUnits = Math.min(stamps, Math.max(0, Math.floor((card.stamps + stamps) / effect.stampsRequired) - card.rewards));
      return {
        ...unitsClaim(state, cheapestUnits(lines, freeUnits), (left) => left),
        stamps,
        stampedLines: lines.map((line) => line.lineNo),
        freeUnits,
      };
    }
  }
}

/**
 * The stamps a partial refund takes back: every returned unit of a line that stamped a card took a
 * stamp, up to the stamps the order still holds on it.
 */
export function stampsReturnedBy<
  Application extends { id: string; offerId: string; memberId: string; stamps: number; stampsReturned: number; stampedLines: number[] },
>(applications: Application[], returnedUnits: Map<number, number>) {
  return applications.flatMap((application) => {
    const units = application.stampedLines.reduce((sum, lineNo) => sum + (returnedUnits.get(lineNo) ?? 0), 0);
    const stamps = Math.min(units, application.stamps - application.stampsReturned);
    return stamps > 0 ? [{ applicationId: application.id, offerId: application.offerId, memberId: application.memberId, stamps }] : [];
  });
}

function numeric(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
