import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { inFreshApp, setRules } from '../../support/ledger';
import { createOffer, quote, recordOrder } from '../../support/offers';
import { runJob, setUpTiers, tierOf } from '../../support/tiers';
import { assertProperty, propertySettings } from '../../support/property';

/**
 * `quote` against a reference evaluator written here from the README ("How a cart is evaluated",
 * "Rounding"), sharing no code with src/: percentage and amount discounts (order-wide or on
 * matching lines), combos (bundle price or percentage), priorities, exclusive offers, budgets and
 * redemption limits used up by recorded orders, the program's discount cap and the tier's standing
 * discount and earn multiplier, on random carts.
 */

const SKUS = ['A', 'B', 'C', 'D'] as const;
const CATEGORY: Record<string, string | null> = { A: 'drinks', B: 'drinks', C: 'food', D: null };
const REST = 'rest';

type Items = { skus: string[] } | { categories: string[] } | null;
type Effect =
  | { percentOff: { basisPoints: number; items: Items } }
  | { amountOff: { amount: number; items: Items } }
  | { combo: { skus: string[]; bundlePrice?: number; bundleBasisPoints?: number } };
interface OfferSpec {
  effect: Effect;
  priority: number;
  exclusive: boolean;
  budget: number | null;
  maxRedemptions: number | null;
}
interface Line {
  sku: string;
  quantity: number;
  unitPrice: number;
}
interface Program {
  capBasisPoints: number | null;
  tier: { discountBasisPoints: number; earnMultiplierPermille: number } | null;
}
interface Cart {
  lines: Line[];
  shipping: number;
  record: boolean;
}

// ——— The reference ———

/** Half-up percentage of minor units, exactly (BigInt: amounts times basis points can pass 2^53). */
const percent = (amount: number, basisPoints: number) => Number((BigInt(amount) * BigInt(basisPoints) * 2n + 10_000n) / 20_000n);

const matches = (items: Items, line: Line) =>
  items === null ||
  ('skus' in items ? items.skus.includes(line.sku) : CATEGORY[line.sku] !== null && items.categories.includes(CATEGORY[line.sku]!));

/** Splits `amount` over parts in proportion to their weights; the largest remainders (then the earlier part) get the leftover units. */
function split(amount: number, parts: Array<{ key: number | typeof REST; weight: number }>): Map<number | typeof REST, number> {
  const total = parts.reduce((sum, part) => sum + part.weight, 0);
  const shares = parts.map((part, index) => {
    const exact = BigInt(amount) * BigInt(part.weight);
    return { ...part, index, share: Number(exact / BigInt(total)), remainder: exact % BigInt(total) };
  });
  let left = amount - shares.reduce((sum, part) => sum + part.share, 0);
  for (const part of [...shares].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))) {
    if (left-- <= 0) break;
    part.share++;
  }
  return new Map(shares.map((part) => [part.key, part.share]));
}

interface OfferCounters {
  redemptions: number;
  discountGiven: number;
}

/** What the README says the cart gets: the applied discounts in order, per line, and the points earned. */
function referenceQuote(offers: OfferSpec[], counters: OfferCounters[], cart: Cart, program: Program) {
  const total = cart.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) + cart.shipping;
  const left = new Map<number | typeof REST, number>([
    ...cart.lines.map((line, lineNo) => [lineNo, line.quantity * line.unitPrice] as const),
    [REST, cart.shipping],
  ]);
  const cap = program.capBasisPoints === null ? Number.POSITIVE_INFINITY : Math.floor((total * program.capBasisPoints) / 10_000);
  let discount = 0;
  let stopped = false;
  const applied: Array<{ offer: number | 'tier'; discount: number }> = [];

  /** Gives up to `wanted` over `parts` within the cap and `limit`; false when nothing is given. */
  const give = (wanted: number, parts: Array<{ key: number | typeof REST; weight: number }>, limit: number) => {
    const amount = Math.min(wanted, limit, cap - discount);
    if (wanted === 0 || amount <= 0) return 0;
    for (const [key, share] of split(amount, parts)) left.set(key, left.get(key)! - share);
    discount += amount;
    return amount;
  };
  const partsOf = (keys: Array<number | typeof REST>) =>
    keys.map((key) => ({ key, weight: left.get(key)! })).filter((part) => part.weight > 0);

  // Highest priority first; equal priorities in the order the offers were created.
  const order = offers.map((offer, index) => ({ offer, index })).sort((a, b) => b.offer.priority - a.offer.priority || a.index - b.index);
  for (const { offer, index } of order) {
    if (stopped) break;
    const { redemptions, discountGiven } = counters[index]!;
    if (offer.maxRedemptions !== null && redemptions >= offer.maxRedemptions) continue;
    const budgetLeft = offer.budget === null ? Number.POSITIVE_INFINITY : offer.budget - discountGiven;
    let given = 0;
    if ('combo' in offer.effect) {
      const combo = offer.effect.combo;
      const sets = Math.min(
        ...combo.skus.map((sku) => cart.lines.filter((line) => line.sku === sku).reduce((sum, line) => sum + line.quantity, 0)),
      );
      if (sets === 0) continue;
      // The cheapest units of each SKU make the sets; each takes what those units have left.
      const parts: Array<{ key: number; weight: number }> = [];
      for (const sku of combo.skus) {
        let units = sets;
        const lines = cart.lines
          .map((line, lineNo) => ({ line, lineNo }))
          .filter(({ line }) => line.sku === sku)
          .sort((a, b) => a.line.unitPrice - b.line.unitPrice || a.lineNo - b.lineNo);
        for (const { line, lineNo } of lines) {
          const taken = Math.min(units, line.quantity);
          units -= taken;
          if (taken > 0) parts.push({ key: lineNo, weight: Math.min(taken * line.unitPrice, left.get(lineNo)!) });
        }
      }
      const nonEmpty = parts.filter((part) => part.weight > 0);
      const setsLeft = nonEmpty.reduce((sum, part) => sum + part.weight, 0);
      const wanted =
        combo.bundlePrice !== undefined ? Math.max(0, setsLeft - sets * combo.bundlePrice) : percent(setsLeft, combo.bundleBasisPoints!);
      given = give(Math.min(wanted, setsLeft), nonEmpty, budgetLeft);
    } else {
      const { items } = 'percentOff' in offer.effect ? offer.effect.percentOff : offer.effect.amountOff;
      const lineNos = cart.lines.flatMap((line, lineNo) => (matches(items, line) ? [lineNo] : []));
      if (items !== null && lineNos.length === 0) continue;
      const parts = partsOf(items === null ? [...lineNos, REST] : lineNos);
      const base = parts.reduce((sum, part) => sum + part.weight, 0);
      const wanted =
        'percentOff' in offer.effect ? percent(base, offer.effect.percentOff.basisPoints) : Math.min(offer.effect.amountOff.amount, base);
      given = give(wanted, parts, budgetLeft);
    }
    if (given === 0) continue;
    applied.push({ offer: index, discount: given });
    if (offer.exclusive) stopped = true;
  }
  if (!stopped && program.tier && program.tier.discountBasisPoints > 0) {
    const parts = partsOf([...cart.lines.map((_, lineNo) => lineNo), REST]);
    const given = give(
      percent(
        parts.reduce((sum, part) => sum + part.weight, 0),
        program.tier.discountBasisPoints,
      ),
      parts,
      Number.POSITIVE_INFINITY,
    );
    if (given > 0) applied.push({ offer: 'tier', discount: given });
  }
  const multiplier = program.tier?.earnMultiplierPermille ?? 1000;
  return {
    total,
    discount,
    applied,
    lineDiscounts: cart.lines.map((line, lineNo) => line.quantity * line.unitPrice - left.get(lineNo)!),
    restOfOrderDiscount: cart.shipping - left.get(REST)!,
    // The default rules: 1 point per 1.00 paid, rounded down, at the tier's multiplier.
    pointsEarned: Math.floor(((total - discount) * multiplier) / 100_000),
  };
}

// ——— Generators ———

const items: fc.Arbitrary<Items> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ skus: fc.subarray([...SKUS], { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ categories: fc.constantFrom<string[]>(['drinks'], ['food'], ['drinks', 'food']) }) },
);
const basisPoints = fc.oneof(fc.constantFrom(500, 1000, 2500, 3333, 5000, 10_000), fc.integer({ min: 1, max: 10_000 }));
const effect: fc.Arbitrary<Effect> = fc.oneof(
  fc.record({ percentOff: fc.record({ basisPoints, items }) }),
  fc.record({ amountOff: fc.record({ amount: fc.integer({ min: 1, max: 2_500 }), items }) }),
  fc.record({
    combo: fc
      .tuple(fc.subarray([...SKUS], { minLength: 2, maxLength: 3 }), fc.boolean(), fc.integer({ min: 0, max: 1_500 }), basisPoints)
      .map(([skus, byPrice, price, bp]) => (byPrice ? { skus, bundlePrice: price } : { skus, bundleBasisPoints: bp })),
  }),
);
const offer: fc.Arbitrary<OfferSpec> = fc.record({
  effect,
  priority: fc.integer({ min: -2, max: 2 }),
  exclusive: fc.constantFrom(false, false, false, true),
  budget: fc.option(fc.integer({ min: 1, max: 3_000 }), { freq: 2 }),
  maxRedemptions: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
});
const program: fc.Arbitrary<Program> = fc.record({
  capBasisPoints: fc.option(fc.constantFrom(0, 1_500, 5_000, 9_999), { freq: 3 }),
  tier: fc.option(
    fc.record({
      discountBasisPoints: fc.constantFrom(0, 500, 1_234, 10_000),
      earnMultiplierPermille: fc.constantFrom(1_000, 1_500, 2_000),
    }),
    { freq: 2 },
  ),
});
const cart: fc.Arbitrary<Cart> = fc.record({
  lines: fc.array(
    fc.record({
      sku: fc.constantFrom(...SKUS),
      quantity: fc.integer({ min: 1, max: 4 }),
      unitPrice: fc.oneof(fc.constantFrom(0, 100, 333, 999), fc.integer({ min: 0, max: 1_500 })),
    }),
    { maxLength: 4 },
  ),
  shipping: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 800 })),
  record: fc.boolean(),
});

// ——— Running it ———

async function play(app: TestApp, offers: OfferSpec[], setup: Program, carts: Cart[]) {
  await setRules(app, { maxDiscountBasisPoints: setup.capBasisPoints });
  const { globalId } = await enroll(app, { email: 'shopper@example.com' });
  if (setup.tier) {
    await setUpTiers(app, { metric: 'SPEND' }, [{ name: 'Everyone', threshold: 0, ...setup.tier }]);
    await runJob(app, 'RECALCULATE_TIERS');
    expect(await tierOf(app, globalId)).toBe('Everyone');
  }
  const ids: string[] = [];
  for (const [index, spec] of offers.entries()) {
    ids.push(
      (
        await createOffer(app, {
          name: `Offer ${index}`,
          effect: spec.effect,
          priority: spec.priority,
          exclusive: spec.exclusive,
          budget: spec.budget,
          maxRedemptions: spec.maxRedemptions,
        })
      ).id,
    );
  }
  const counters: OfferCounters[] = offers.map(() => ({ redemptions: 0, discountGiven: 0 }));

  for (const current of carts) {
    const lines = current.lines.map((line) => ({ ...line, category: CATEGORY[line.sku] }));
    const input = {
      memberId: globalId,
      total: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) + current.shipping,
      lines,
    };
    const expected = referenceQuote(offers, counters, current, setup);
    const quoted = await quote(app, input);
    const context = JSON.stringify({ cart: current, expected, counters });
    expect(quoted.__typename, context).toBe('Quote');
    expect(
      {
        total: quoted.total.amount,
        discount: quoted.discount.amount,
        applied: (quoted.appliedOffers as Array<Record<string, any>>).map((applied) => ({
          offer: applied.tier ? 'tier' : ids.indexOf(applied.offer.id),
          discount: applied.discount,
        })),
        lineDiscounts: (quoted.lines as Array<{ discount: number }>).map((line) => line.discount),
        restOfOrderDiscount: quoted.restOfOrderDiscount,
        pointsEarned: quoted.pointsEarned,
      },
      context,
    ).toEqual(expected);
    if (!current.record) continue;
    const recorded = await recordOrder(app, input);
    expect(recorded.__typename, JSON.stringify(recorded)).toBe('RecordOrderPayload');
    for (const { offer: index, discount } of expected.applied) {
      if (index === 'tier') continue;
      counters[index]!.redemptions++;
      counters[index]!.discountGiven += discount;
    }
  }
}

const plain = (effect: Effect, extra: Partial<OfferSpec> = {}): OfferSpec => ({
  effect,
  priority: 0,
  exclusive: false,
  budget: null,
  maxRedemptions: null,
  ...extra,
});
const noProgram: Program = { capBasisPoints: null, tier: null };

/**
 * Run first: 33.33 % of 0.01 … rounds half-up per offer on what the earlier one left; two offers of
 * different priorities in the opposite order of creation; a budget used up across orders; a
 * combo after a percentage; the tier's discount after an offer, under a cap.
 */
const examples: Array<[OfferSpec[], Program, Cart[]]> = [
  [
    [plain({ percentOff: { basisPoints: 3_333, items: null } }), plain({ percentOff: { basisPoints: 1_500, items: { skus: ['A'] } } })],
    noProgram,
    [
      {
        lines: [
          { sku: 'A', quantity: 3, unitPrice: 333 },
          { sku: 'C', quantity: 1, unitPrice: 155 },
        ],
        shipping: 15,
        record: false,
      },
    ],
  ],
  [
    [plain({ amountOff: { amount: 500, items: null } }), plain({ percentOff: { basisPoints: 5_000, items: null } }, { priority: 1 })],
    noProgram,
    [{ lines: [{ sku: 'B', quantity: 1, unitPrice: 1_999 }], shipping: 0, record: false }],
  ],
  [
    [plain({ amountOff: { amount: 700, items: null } }, { budget: 1_000 })],
    noProgram,
    Array.from({ length: 3 }, () => ({ lines: [{ sku: 'D', quantity: 1, unitPrice: 1_000 }], shipping: 0, record: true })),
  ],
  [
    [plain({ percentOff: { basisPoints: 1_000, items: null } }, { priority: 1 }), plain({ combo: { skus: ['A', 'C'], bundlePrice: 500 } })],
    noProgram,
    [
      {
        lines: [
          { sku: 'A', quantity: 2, unitPrice: 350 },
          { sku: 'C', quantity: 1, unitPrice: 420 },
        ],
        shipping: 0,
        record: false,
      },
    ],
  ],
  [
    [plain({ percentOff: { basisPoints: 1_000, items: { categories: ['drinks'] } } })],
    { capBasisPoints: 1_500, tier: { discountBasisPoints: 1_234, earnMultiplierPermille: 1_500 } },
    [
      {
        lines: [
          { sku: 'A', quantity: 2, unitPrice: 999 },
          { sku: 'C', quantity: 1, unitPrice: 1_234 },
        ],
        shipping: 99,
        record: false,
      },
    ],
  ],
];

const settings = propertySettings(25, 90);

describe('quote against a reference evaluator', () => {
  it(
    'gives every random cart the discounts, line shares and points the README describes',
    async () => {
      await assertProperty(
        fc.asyncProperty(
          fc.array(offer, { minLength: 1, maxLength: 4 }),
          program,
          fc.array(cart, { minLength: 1, maxLength: 8 }),
          (offers, setup, carts) => inFreshApp((app) => play(app, offers, setup, carts)),
        ),
        settings,
        examples,
      );
    },
    settings.testTimeoutMs,
  );
});
