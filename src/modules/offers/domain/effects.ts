import { mulDivRounded } from '../../rules/domain';
import { REST_OF_ORDER, type Bucket } from './allocation';
import { matchesItems, type ItemMatch, type OfferEffect } from './offer';
import { refuse, type Refusal } from './reasons';

export interface CartLine {
  lineNo: number;
  sku: string;
  category: string | null;
  quantity: number;
  unitPrice: number;
  attributes: Record<string, unknown>;
}

/** A member's stamp card for an offer: matching units bought and free units given so far. */
export interface StampCardState {
  stamps: number;
  rewards: number;
}

export const EMPTY_CARD: StampCardState = { stamps: 0, rewards: 0 };

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
  stamps?: number;
  freeUnits?: number;
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
 * What one effect claims from the cart as it stands. Pure: the caller applies budgets and caps,
 * then takes the granted discount out of `state`.
 */
export function claimOf(effect: OfferEffect, state: CartState, card: StampCardState): EffectClaim | Refusal {
  switch (effect.kind) {
    case 'percent_off':
    case 'amount_off': {
      const lines = effect.items ? matchingLines(state, effect.items) : state.lines;
      if ('reason' in lines) return lines;
      const buckets = bucketsOf(state, lines, effect.items === null);
      const base = sum(buckets);
      const discount = effect.kind === 'percent_off' ? percentOf(base, effect.basisPoints) : Math.min(effect.amount, base);
      return { discount, buckets };
    }
    case 'combo': {
      const bySku = effect.skus.map((sku) => state.lines.filter((line) => line.sku === sku));
      const sets = Math.min(...bySku.map((lines) => lines.reduce((units, line) => units + line.quantity, 0)));
      if (sets === 0) return refuse('no_matching_items');
      const taken = bySku.flatMap((lines) => cheapestUnits(lines, sets));
      return unitsClaim(state, taken, (left) => (effect.bundlePrice !== null ? Math.max(0, left - sets * effect.bundlePrice) : percentOf(left, effect.bundleBasisPoints!)));
    }
    case 'gift': {
      if (effect.minimumAmount !== null) {
        if (state.total < effect.minimumAmount) return refuse('below_threshold', effect.minimumAmount);
      } else {
        const weight = state.lines.reduce((total, line) => total + line.quantity * numeric(line.attributes[effect.weightAttribute!]), 0);
        if (weight < effect.minimumWeight!) return refuse('below_threshold', effect.minimumWeight!);
      }
      return { discount: 0, buckets: [], gift: { sku: effect.sku, quantity: effect.quantity } };
    }
    case 'bonus_points':
      return { discount: 0, buckets: [], bonus: effect.points !== null ? { points: effect.points } : { multiplierPermille: effect.multiplierPermille! } };
    case 'stamp_card': {
      const lines = matchingLines(state, effect.items);
      if ('reason' in lines) return lines;
      const stamps = lines.reduce((units, line) => units + line.quantity, 0);
      // Free units due (a refund or a cap may have left some for later), at most the matching units bought.
      const freeUnits = Math.min(stamps, Math.max(0, Math.floor((card.stamps + stamps) / effect.stampsRequired) - card.rewards));
      return { ...unitsClaim(state, cheapestUnits(lines, freeUnits), (left) => left), stamps, freeUnits };
    }
  }
}

function numeric(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
