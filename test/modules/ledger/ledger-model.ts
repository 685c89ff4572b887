/**
 * An independent model of one program's ledger, written from the README and DESIGN.md §4 rather
 * than from src/ (nothing here imports the product): what every member's points, lots and wallets
 * must be after each command, and what each command must answer. The ledger property test runs the
 * same commands against the app and the model and compares them after every step.
 */

export type Rounding = 'DOWN' | 'HALF_UP' | 'UP';

export interface ModelRules {
  earnPoints: number;
  earnPerAmount: number;
  earnRounding: Rounding;
  pointsLifetimeMonths: number | null;
  minimumRedemption: number;
  walletBonusThreshold: number;
  walletBonusBasisPoints: number;
  /** The program's currency: only top-ups in it earn the bonus. */
  currency: 'EUR';
}

export interface ModelLot {
  /** Creation order: the tie-break between lots of the same expiry and earn time. */
  seq: number;
  amount: number;
  remaining: number;
  earnedAt: number;
  expiresAt: number | null;
  /** Points the expiry job took from it. */
  expired: number;
}

interface ModelOrder {
  member: number;
  net: number;
  refunded: number;
  pointsEarned: number;
  pointsRedeemed: number;
  /** What the refunds so far should have clawed back and returned (on the running total). */
  clawbackDue: number;
  returnDue: number;
  /** What they actually clawed back. */
  clawedBack: number;
  earnLot: ModelLot | null;
  /** Points the payment drew and refunds have not yet put back, per lot. */
  outstanding: Map<ModelLot, number>;
}

export type Reversible =
  | { id: string; member: number; kind: 'points'; deltas: Array<{ lot: ModelLot; delta: number }>; reversed: boolean }
  | { id: string; member: number; kind: 'wallet'; currency: string; bucket: 'cash' | 'bonus'; amount: number; reversed: boolean };

export type Outcome = Record<string, unknown> & { __typename: string };

/** `a × b / c` rounded as the rule says, exact for any safe integers. */
export function mulDiv(a: number, b: number, c: number, rounding: Rounding): number {
  const product = BigInt(a) * BigInt(b);
  const quotient = product / BigInt(c);
  const remainder = product % BigInt(c);
  if (remainder === 0n || rounding === 'DOWN') return Number(quotient);
  if (rounding === 'UP') return Number(quotient + 1n);
  return Number(remainder * 2n >= BigInt(c) ? quotient + 1n : quotient);
}

/** The same instant `months` later; the month's last day when it is shorter. */
export function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

const expiryOf = (lot: ModelLot) => lot.expiresAt ?? Number.POSITIVE_INFINITY;
/** Earliest expiry first, never-expiring last; then the older; then the one created first. */
const fifo = (a: ModelLot, b: ModelLot) => expiryOf(a) - expiryOf(b) || a.earnedAt - b.earnedAt || a.seq - b.seq;

export class LedgerModel {
  now: number;
  private lotSeq = 0;
  readonly lots: ModelLot[][];
  readonly wallets: Array<Map<string, { cash: number; bonus: number }>>;
  private readonly orders = new Map<string, ModelOrder>();
  readonly reversible: Reversible[] = [];
  private readonly expiryKeys = new Set<string>();

  constructor(
    readonly rules: ModelRules,
    members: number,
    now: number,
  ) {
    this.now = now;
    this.lots = Array.from({ length: members }, () => []);
    this.wallets = Array.from({ length: members }, () => new Map());
  }

  balance(member: number): number {
    return this.lots[member]!.reduce((sum, lot) => sum + lot.remaining, 0);
  }

  private isExpired(lot: ModelLot): boolean {
    return lot.expiresAt !== null && lot.expiresAt <= this.now;
  }

  private spendable(member: number): number {
    return this.lots[member]!.filter((lot) => !this.isExpired(lot)).reduce((sum, lot) => sum + lot.remaining, 0);
  }

  private newLot(member: number, amount: number): ModelLot {
    const lot = {
      seq: ++this.lotSeq,
      amount,
      remaining: amount,
      earnedAt: this.now,
      expiresAt: this.rules.pointsLifetimeMonths === null ? null : addMonths(this.now, this.rules.pointsLifetimeMonths),
      expired: 0,
    };
    this.lots[member]!.push(lot);
    return lot;
  }

  /** Takes `amount` from `lots` in the order given; returns what it took from each. */
  private take(lots: ModelLot[], amount: number): Array<{ lot: ModelLot; delta: number }> {
    const taken: Array<{ lot: ModelLot; delta: number }> = [];
    let left = amount;
    for (const lot of lots) {
      const share = Math.min(lot.remaining, left);
      if (share <= 0) continue;
      lot.remaining -= share;
      left -= share;
      taken.push({ lot, delta: -share });
    }
    return taken;
  }

  /** Spends from unexpired lots, earliest expiry first, or says why not. */
  private spend(member: number, points: number): Outcome | Array<{ lot: ModelLot; delta: number }> {
    const available = this.spendable(member);
    if (points > available) return { __typename: 'InsufficientPointsError', requested: points, available };
    return this.take(this.lots[member]!.filter((lot) => !this.isExpired(lot)).sort(fifo), points);
  }

  order(member: number, orderId: string, total: number, redeem: number): Outcome {
    if (redeem > 0 && redeem < this.rules.minimumRedemption)
      return { __typename: 'BelowMinimumRedemptionError', minimum: this.rules.minimumRedemption };
    // Default redemption rate: 100 points pay 1.00, so a point pays one minor unit.
    const payment = redeem;
    if (payment > total) return { __typename: 'RedemptionExceedsTotalError', maximum: total };
    const before = this.balance(member);
    const drawn = this.spend(member, redeem);
    if (!Array.isArray(drawn)) return drawn;
    const earned = mulDiv(total - payment, this.rules.earnPoints, this.rules.earnPerAmount, this.rules.earnRounding);
    const earnLot = earned > 0 ? this.newLot(member, earned) : null;
    this.orders.set(orderId, {
      member,
      net: total,
      refunded: 0,
      pointsEarned: earned,
      pointsRedeemed: redeem,
      clawbackDue: 0,
      returnDue: 0,
      clawedBack: 0,
      earnLot,
      outstanding: new Map(drawn.map(({ lot, delta }) => [lot, -delta])),
    });
    return {
      __typename: 'RecordOrderPayload',
      orderId,
      pointsRedeemed: redeem,
      pointsEarned: earned,
      pointsBalance: before - redeem + earned,
      pointsPayment: { amount: payment },
      amountPaid: { amount: total - payment },
    };
  }

  memberOfOrder(orderId: string): number | null {
    return this.orders.get(orderId)?.member ?? null;
  }

  /**
   * A refund takes back the points earned on the refunded part and returns the points that paid for
   * it, both as shares of the running refunded total (half-up), so partial refunds add up exactly.
   */
  refund(orderId: string, amount: number): Outcome {
    const order = this.orders.get(orderId)!;
    const refundable = order.net - order.refunded;
    if (amount > refundable) return { __typename: 'RefundExceedsOrderError', refundable };
    const refundedAfter = order.refunded + amount;
    const share = (points: number) => (order.net === 0 ? 0 : mulDiv(points, refundedAfter, order.net, 'HALF_UP'));
    const toClawBack = share(order.pointsEarned) - order.clawbackDue;
    const toReturn = share(order.pointsRedeemed) - order.returnDue;
    const before = this.balance(order.member);

    // Paid points go back first, to the lots they came from, latest expiry first.
    let returned = 0;
    for (const lot of [...order.outstanding.keys()].sort(fifo).reverse()) {
      const put = Math.min(order.outstanding.get(lot)!, toReturn - returned);
      if (put <= 0) continue;
      lot.remaining += put;
      order.outstanding.set(lot, order.outstanding.get(lot)! - put);
      returned += put;
    }
    // Earned points come back from the order's own lot first; what expired is not taken twice.
    const expired = order.earnLot?.expired ?? 0;
    const clawable = Math.max(0, Math.min(toClawBack, order.clawbackDue + toClawBack - expired - order.clawedBack));
    const candidates = this.lots[order.member]!.filter((lot) => lot.remaining > 0).sort(fifo);
    const own = candidates.indexOf(order.earnLot!);
    if (own > 0) candidates.unshift(...candidates.splice(own, 1));
    const clawedBack = this.take(candidates, clawable).reduce((sum, { delta }) => sum - delta, 0);

    order.refunded = refundedAfter;
    order.clawbackDue += toClawBack;
    order.returnDue += toReturn;
    order.clawedBack += clawedBack;
    return {
      __typename: 'RefundOrderPayload',
      orderId,
      amount,
      totalRefunded: refundedAfter,
      pointsClawedBack: clawedBack,
      pointsNotRecovered: toClawBack - clawedBack,
      pointsReturned: returned,
      pointsBalance: before - clawedBack + returned,
    };
  }

  redeem(member: number, points: number): Outcome {
    if (points < this.rules.minimumRedemption) return { __typename: 'BelowMinimumRedemptionError', minimum: this.rules.minimumRedemption };
    const before = this.balance(member);
    const drawn = this.spend(member, points);
    if (!Array.isArray(drawn)) return drawn;
    return { __typename: 'PointsPayload', points, pointsBalance: before - points, deltas: drawn };
  }

  adjust(member: number, points: number): Outcome {
    const before = this.balance(member);
    if (points > 0) {
      const lot = this.newLot(member, points);
      return { __typename: 'PointsPayload', points, pointsBalance: before + points, deltas: [{ lot, delta: points }] };
    }
    const drawn = this.spend(member, -points);
    if (!Array.isArray(drawn)) return drawn;
    return { __typename: 'PointsPayload', points, pointsBalance: before + points, deltas: drawn };
  }

  private wallet(member: number, currency: string) {
    const wallets = this.wallets[member]!;
    if (!wallets.has(currency)) wallets.set(currency, { cash: 0, bonus: 0 });
    return wallets.get(currency)!;
  }

  topUp(member: number, currency: string, amount: number): Outcome {
    const bonus =
      currency === this.rules.currency && amount >= this.rules.walletBonusThreshold
        ? mulDiv(amount, this.rules.walletBonusBasisPoints, 10_000, 'DOWN')
        : 0;
    const wallet = this.wallet(member, currency);
    wallet.cash += amount;
    wallet.bonus += bonus;
    return { __typename: 'WalletPayload', amount, bonus, fromBonus: 0, fromCash: 0 };
  }

  /** Bonus credit first (it cannot be withdrawn), then cash; all or nothing. */
  spendWallet(member: number, currency: string, amount: number): Outcome {
    const wallet = this.wallets[member]!.get(currency) ?? { cash: 0, bonus: 0 };
    if (amount > wallet.cash + wallet.bonus)
      return { __typename: 'InsufficientWalletBalanceError', currency, available: wallet.cash + wallet.bonus };
    const fromBonus = Math.min(wallet.bonus, amount);
    wallet.bonus -= fromBonus;
    wallet.cash -= amount - fromBonus;
    return { __typename: 'WalletPayload', amount, bonus: 0, fromBonus, fromCash: amount - fromBonus };
  }

  /** Undoes a redemption, an adjustment or a wallet spend, once, unless what it credited is spent. */
  reverse(transfer: Reversible): Outcome {
    if (transfer.reversed) return { __typename: 'TransferNotReversibleError', reason: 'it is already reversed' };
    if (transfer.kind === 'points') {
      if (transfer.deltas.some(({ lot, delta }) => delta > lot.remaining))
        return { __typename: 'TransferNotReversibleError', reason: 'the points it credited have been spent' };
      for (const { lot, delta } of transfer.deltas) lot.remaining -= delta;
    } else {
      this.wallet(transfer.member, transfer.currency)[transfer.bucket] += transfer.amount;
    }
    transfer.reversed = true;
    return { __typename: 'ReverseTransferPayload' };
  }

  /** The expiry job for one member at `now`; the same key at the same instant moves nothing again. */
  expire(member: number, key: string): { points: number; replayed: boolean } {
    if (this.expiryKeys.has(key)) return { points: -1, replayed: true };
    this.expiryKeys.add(key);
    let points = 0;
    for (const lot of this.lots[member]!) {
      if (lot.remaining === 0 || !this.isExpired(lot)) continue;
      points += lot.remaining;
      lot.expired += lot.remaining;
      lot.remaining = 0;
    }
    return { points, replayed: false };
  }

  /** What the API shows of a member: balance, wallets (currencies in use), lots newest first. */
  view(member: number) {
    return {
      pointsBalance: this.balance(member),
      walletBalances: [...this.wallets[member]!]
        .map(([currency, { cash, bonus }]) => ({ currency, cash, bonus, total: cash + bonus }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      lots: [...this.lots[member]!]
        .sort((a, b) => b.seq - a.seq)
        .map((lot) => ({
          amount: lot.amount,
          remaining: lot.remaining,
          earnedAt: new Date(lot.earnedAt).toISOString(),
          expiresAt: lot.expiresAt === null ? null : new Date(lot.expiresAt).toISOString(),
        })),
    };
  }
}
