import { InsufficientPointsError } from '../errors';

/** The part of a lot that spending and expiry look at. */
export interface LotState {
  id: string;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date | null;
  /** Pending (not spendable) before this instant; null or absent: vested. */
  vestsAt?: Date | null;
}

/** How much a transfer takes from (negative) or puts back into (positive) one lot. */
export interface LotDelta {
  lotId: string;
  delta: number;
}

export function isExpired(lot: Pick<LotState, 'expiresAt'>, now: Date): boolean {
  return lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();
}

/** Earliest expiry first (never-expiring last), then oldest, then by id: the FIFO spending order. */
export function byExpiryOrder(a: LotState, b: LotState): number {
  const expiryA = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const expiryB = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return expiryA - expiryB || a.earnedAt.getTime() - b.earnedAt.getTime() || a.id.localeCompare(b.id);
}

export function isPending(lot: Pick<LotState, 'vestsAt'>, now: Date): boolean {
  return lot.vestsAt != null && lot.vestsAt.getTime() > now.getTime();
}

const isSpendable = (lot: LotState, now: Date) => !isExpired(lot, now) && !isPending(lot, now);

export function spendablePoints(lots: LotState[], now: Date): number {
  return lots.filter((lot) => isSpendable(lot, now)).reduce((sum, lot) => sum + lot.remaining, 0);
}

function takeInOrder(lots: LotState[], amount: number): LotDelta[] {
  const draws: LotDelta[] = [];
  let left = amount;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    if (take > 0) draws.push({ lotId: lot.id, delta: -take });
    left -= take;
  }
  return draws;
}

/** Draws `amount` from unexpired, vested lots, earliest expiry first; all or nothing. */
export function planSpend(lots: LotState[], amount: number, now: Date): LotDelta[] {
  const available = spendablePoints(lots, now);
  if (amount > available) throw new InsufficientPointsError(amount, available);
  return takeInOrder(lots.filter((lot) => isSpendable(lot, now)).sort(byExpiryOrder), amount);
}

/**
 * Takes back up to `amount` earned points: first from `preferredLotId` (the lot the points came
 * from), then earliest expiry first. Points already spent cannot be taken back: the result may
 * draw less than `amount`, never more than there is.
 */
export function planClawback(lots: LotState[], amount: number, preferredLotId: string | null): LotDelta[] {
  const ordered = [...lots].sort(byExpiryOrder);
  const preferred = ordered.findIndex((lot) => lot.id === preferredLotId);
  if (preferred > 0) ordered.unshift(...ordered.splice(preferred, 1));
  return takeInOrder(ordered, amount);
}

/**
 * Puts up to `amount` points back into the lots a spend drew them from (`drawn`: lot → points still
 * out), latest expiry first, so the customer gets the longest-lived points back.
 */
export function planReturn(drawn: Array<LotState & { outstanding: number }>, amount: number): LotDelta[] {
  const returns: LotDelta[] = [];
  let left = amount;
  for (const lot of [...drawn].sort(byExpiryOrder).reverse()) {
    if (left === 0) break;
    const put = Math.min(lot.outstanding, left);
    if (put > 0) returns.push({ lotId: lot.id, delta: put });
    left -= put;
  }
  return returns;
}

/** Expires what is left of every lot whose expiry has come. */
export function planExpiry(lots: LotState[], now: Date): LotDelta[] {
  return lots.filter((lot) => lot.remaining > 0 && isExpired(lot, now)).map((lot) => ({ lotId: lot.id, delta: -lot.remaining }));
}

export const sumDeltas = (deltas: LotDelta[]) => deltas.reduce((sum, { delta }) => sum + delta, 0);
