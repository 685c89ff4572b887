/** A part of the cart a discount can fall on: an order line (by line number) or the rest of the order. */
export interface Bucket {
  key: number;
  remaining: number;
}

/** Key of the part of the order total that no line covers (shipping, fees …). */
export const REST_OF_ORDER = -1;

/**
 * Splits `amount` over `buckets` in proportion to what each has left, by the largest-remainder
 * method (ties go to the earlier bucket), so the shares add up exactly and none exceeds its
 * bucket. `amount` must not exceed the buckets' total. BigInt, because amount × remaining can pass 2^53.
 */
export function allocate(amount: number, buckets: Bucket[]): Map<number, number> {
  const shares = new Map<number, number>();
  const total = buckets.reduce((sum, bucket) => sum + bucket.remaining, 0);
  if (amount <= 0 || total <= 0) return shares;
  if (amount > total) throw new RangeError(`cannot allocate ${amount} over ${total}`);
  const exact = buckets.map((bucket, index) => {
    const product = BigInt(amount) * BigInt(bucket.remaining);
    return { index, bucket, floor: Number(product / BigInt(total)), remainder: product % BigInt(total) };
  });
  let left = amount - exact.reduce((sum, share) => sum + share.floor, 0);
  for (const share of [...exact].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))) {
    if (left === 0) break;
    share.floor += 1;
    left -= 1;
  }
  for (const share of exact) if (share.floor > 0) shares.set(share.bucket.key, (shares.get(share.bucket.key) ?? 0) + share.floor);
  return shares;
}
