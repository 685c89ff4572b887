/**
 * The largest value every input, setting and stored amount may take: one place, so that the proof
 * below covers all of them. Money is in minor units, points are whole points, rates are integer pairs.
 *
 * Why nothing can pass Number.MAX_SAFE_INTEGER (2^53 − 1 ≈ 9.007e15):
 *
 * Inputs and settings (checked by zod before anything is read or written):
 *   money:     an order total, a line's quantity × unit price, a top-up, an offer amount  ≤ A = 1e11
 *   points:    points named in one request (redeem, adjust, cart redemption, fixed bonus,
 *              referral reward)                                                         ≤ P = 1e9
 *   earn rate: earnPoints ≤ 1e6, earnPerAmount ≤ 1e9, and earnPoints ≤ earnPerAmount
 *              (at most R = 1 point per minor unit)
 *   redeem:    redeemPoints ≤ 1e9, redeemValue ≤ 1e9, and redeemValue ≤ 10 × redeemPoints
 *              (a point is worth at most V = 10 minor units)
 *   multipliers (tier earn, bonus-point offers): ≤ M = 100,000 permille (×100)
 *   basis points (wallet bonus, discounts, discount cap): ≤ 10,000
 *
 * Computed quantities (every product before a division is taken in BigInt by `mulDivRounded`,
 * so only its result has to be safe):
 *   base points of an order   = paid × earnPoints × tier / (earnPerAmount × 1000)
 *                             ≤ A × R × 100 = 1e13
 *   one multiplier bonus      = base × (M − 1000) / 1000 ≤ 1e13 × 99 < 1e15
 *   one fixed bonus           ≤ P = 1e9
 *   points earned by an order: the bonuses are added one by one and the sum is refused (typed
 *              error) as soon as it passes B (below); a partial sum is therefore < B + 1e15 < 1.2e15
 *   points payment value      = points × redeemValue / redeemPoints ≤ P × V = 1e10
 *   most points an order can take: clamped to B
 *   wallet bonus              = amount × basis points / 10,000 ≤ A = 1e11
 *   a percentage discount     = amount × basis points / 10,000 ≤ A; allocations split ≤ A
 *   sum of an order's lines   ≤ 500 lines × 1e6 × 1e11 = 5e19 before it is compared with A: a float
 *              that large is imprecise but still far above A, so the comparison refuses it exactly
 *
 * Stored amounts (CHECK constraints in the database refuse anything else, and anything that is not
 * an integer, as the last guard; the ledger checks planned transfers before it writes them):
 *   every transfer amount, lot and lot movement                        ≤ B = 1e14
 *   every account balance (member or program, any unit)            |b| ≤ B = 1e14
 *     A transfer that would take a member's balance past B is refused with a typed error, so a
 *     balance accumulated over any number of orders stays ≤ B; so do the program's accounts
 *     (points issued, redeemed, expired …), whose totals over all members are therefore bounded too.
 *   liability (Σ of members' points): members' points only come from the program's points-issued
 *     and adjustments accounts, so (the ledger balancing) it is at most 2 × B = 2e14, and its value
 *     at the redemption rate at most 2e14 × V = 2e15.
 *   Σ of all balances of a unit: each of K accounts per member or program is ≤ B; the audit sums
 *     them in SQL (below), and JavaScript only sees a non-zero sum, itself ≤ 2 × B for a sound ledger.
 *   audit sums (Σ credits − Σ debits of an account, Σ of balances) run in SQLite's 64-bit integers,
 *     which are exact to 9.2e18 and raise an error rather than round; what reaches JavaScript is a
 *     difference bounded by B (or a violation, itself a sum of bounded balances).
 *   offer counters (discount given, bonus points given) ≤ B; a tier's qualifying metric is clamped
 *     to MAX_SAFE_INTEGER in SQL (it only decides which threshold, ≤ 1e12, is reached).
 */

/** Money: an order total, a line's price × quantity, a top-up, an offer's amount, in minor units. */
export const MAX_AMOUNT = 100_000_000_000;
/** Units of one order line. */
export const MAX_QUANTITY = 1_000_000;
/** Points named in one request: a redemption, an adjustment, a cart's points payment, a fixed bonus. */
export const MAX_POINTS = 1_000_000_000;
/** `earnPoints` (points per `earnPerAmount` minor units). */
export const MAX_EARN_POINTS = 1_000_000;
/** Either side of a rate: `earnPerAmount`, `redeemPoints`, `redeemValue`. */
export const MAX_RATE_TERM = 1_000_000_000;
/** At most this many points per minor unit paid, before tier and offers: `earnPoints ≤ earnPerAmount`. */
export const MAX_EARN_POINTS_PER_MINOR_UNIT = 1;
/** At most this many minor units per point redeemed: `redeemValue ≤ 10 × redeemPoints`. */
export const MAX_REDEEM_VALUE_PER_POINT = 10;
/** Tier earn multipliers and bonus-point multipliers, in permille (100,000 = ×100). */
export const MAX_MULTIPLIER_PERMILLE = 100_000;
export const MAX_BASIS_POINTS = 10_000;
/** The largest balance of any account, transfer, lot or points earned by one order. */
export const MAX_BALANCE = 100_000_000_000_000;

/** True for a whole number in [min, max] (rejects NaN, fractions and unsafe integers). */
export function isWholeWithin(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}
