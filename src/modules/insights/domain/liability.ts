/** Money value of points at the program's redemption rate (`redeemPoints` points pay `redeemValue` minor units), rounded down. */
export function pointsValue(points: number, rate: { redeemPoints: number; redeemValue: number }): number {
  return Math.floor((points * rate.redeemValue) / rate.redeemPoints);
}

export interface ExpiryBucket {
  /** `2027-03`; null for points that never expire. */
  month: string | null;
  points: number;
  value: number;
}

export interface EarnCohort {
  month: string;
  earned: number;
  expired: number;
  outstanding: number;
  /** expired / earned × 100: the share of the month's points that expired unused (breakage so far). */
  breakageRate: number | null;
}

export const share = (part: number, whole: number) => (whole === 0 ? null : (part / whole) * 100);

export function earnCohort(month: string, earned: number, expired: number, outstanding: number): EarnCohort {
  return { month, earned, expired, outstanding, breakageRate: share(expired, earned) };
}
