import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  beforeCheckout,
  benchTokens,
  enrollMembers,
  freshDataDir,
  graphql,
  ledgerAudit,
  loadAverages,
  measure,
  post,
  printResults,
  ratios,
  startApp,
  startServer,
  writeResults,
  type MeasureOptions,
  type Server,
} from './lib';

export const MEMBERS = 1000;
const OFFERS = 200;
/** Every how many offers one needs a code (25 of 200); each gets one reusable code. */
const CODE_EVERY = 8;

const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;
const CREATE_OFFER = `mutation($input: CreateOfferInput!) { createOffer(input: $input) { __typename ${errorFields} ... on OfferPayload { offer { id } } } }`;
const CREATE_CODE = `mutation($input: CreatePromoCodeInput!) { createPromoCode(input: $input) { __typename ${errorFields} ... on PromoCodePayload { promoCode { code } } } }`;
const CONFIGURE_TIERS = `mutation($input: ConfigureTiersInput!) { configureTiers(input: $input) { __typename ${errorFields} } }`;
const CREATE_TIER = `mutation($input: CreateTierInput!) { createTier(input: $input) { __typename ${errorFields} ... on TierPayload { tier { id } } } }`;
const SEED_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ${errorFields} } }`;
/** What a storefront shows at checkout: the money, the offers that applied (with names) and why the others did not. */
export const QUOTE = `query($cart: QuoteCartInput!) { quote(cart: $cart) { __typename ${errorFields}
  ... on Quote { total { amount } discount { amount } totalAfterDiscount { amount } amountPaid { amount } pointsEarned pointsRedeemable
    appliedOffers { offer { id name } tier { id name } effect code discount gift { sku quantity } bonusPoints stamps freeUnits }
    notApplied { offerId tierId code reason threshold } gifts { sku quantity } lines { lineNo discount total } } } }`;
export const RECORD_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ${errorFields}
  ... on RecordOrderPayload { orderId discount { amount } amountPaid { amount } pointsEarned pointsBalance
    appliedOffers { offer { id } effect code discount gift { sku quantity } bonusPoints } gifts { sku quantity } } } }`;

const CATEGORIES = ['coffee', 'tea', 'pastry', 'sandwich', 'beans', 'merch', 'juice', 'snack'];
/** 96 SKUs, 12 per category in a row, so a cart's lines fall in 2 or 3 categories. */
const CATALOGUE = Array.from({ length: 96 }, (_, n) => ({
  sku: `SKU-${n}`,
  category: CATEGORIES[Math.floor(n / 12)]!,
  unitPrice: 250 + ((n * 613) % 2400),
}));
const skuOf = (n: number) => CATALOGUE[n % CATALOGUE.length]!;
const codeOf = (n: number) => `BENCH-${n}`;
const CODES = Array.from({ length: OFFERS }, (_, n) => n)
  .filter((n) => n % CODE_EVERY === 3)
  .map(codeOf);

/** A well-mixed 32-bit hash: request i always gets the same cart, on every path. */
function mix(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
const pick = (index: number, salt: number, count: number) => mix(index * 16 + salt) % count;

/**
 * Cart `index`, normalized as checkout sees it: a random member, 5 distinct lines (quantities 1–3,
 * beans carry a weight), order attributes, one of the promo codes, shipping on top of the lines.
 */
export function cartOf(index: number) {
  const first = pick(index, 1, CATALOGUE.length);
  const lines = Array.from({ length: 5 }, (_, k) => {
    const { sku, category, unitPrice } = skuOf(first + k * 7);
    return { sku, category, quantity: 1 + pick(index, 2 + k, 3), unitPrice, attributes: category === 'beans' ? { grams: 250 } : {} };
  });
  return {
    member: pick(index, 0, MEMBERS),
    currency: 'EUR',
    total: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) + 495,
    lines,
    codes: [CODES[pick(index, 8, CODES.length)]!],
    attributes: { channel: ['app', 'web', 'kiosk'][pick(index, 9, 3)]!, ownCup: pick(index, 10, 2) === 0 },
    redeemPoints: 0,
  };
}

/**
 * Offer `n` of 200, all active: the effect cycles through the kinds (on the order, on SKUs or
 * categories), the conditions through minimum spend, attributes, tiers, order number, recency,
 * audience and birthday; priorities vary; every 8th needs a code; some have budgets, caps, member
 * limits and windows, all far from running out; four exclusive ones come last.
 */
function offerInput(n: number, tierIds: [string, string]) {
  const skus = (...ks: number[]) => ks.map((k) => skuOf(n * 5 + k * 11).sku);
  const categories = (...ks: number[]) => ks.map((k) => CATEGORIES[(n + k) % CATEGORIES.length]!);
  const items = n % 3 === 0 ? { categories: categories(0) } : { skus: skus(0, 1) };
  // Carts take every 7th SKU, so a combo of SKUs 7 apart can be completed.
  const combo = [skuOf(n * 5).sku, skuOf(n * 5 + 7).sku, skuOf(n * 5 + 14).sku];
  const effects = [
    { percentOff: { basisPoints: 100 + (n % 5) * 100, items: n % 3 === 0 ? null : items } },
    { percentOff: { basisPoints: 500 + (n % 4) * 250, items } },
    { amountOff: { amount: 50 + (n % 6) * 25, items: n % 3 === 1 ? null : items } },
    { amountOff: { amount: 100 + (n % 3) * 50, items } },
    {
      combo:
        n % 4 < 2
          ? { skus: combo.slice(0, 2), bundleBasisPoints: 1500 }
          : {
              skus: combo,
              bundlePrice: Math.floor(combo.reduce((sum, sku) => sum + CATALOGUE.find((item) => item.sku === sku)!.unitPrice, 0) * 0.8),
            },
    },
    {
      gift:
        n % 4 < 2
          ? { sku: 'GIFT-MUG', minimumAmount: 15_000 + (n % 3) * 5000 }
          : { sku: 'GIFT-SAMPLE', minimumWeight: 500, weightAttribute: 'grams' },
    },
    Math.floor(n / 10) % 3 === 0
      ? { bonusPoints: n % 4 === 0 ? { points: 10 + n } : { multiplierPermille: 1100 + (n % 5) * 100 } }
      : { percentOff: { basisPoints: 1000, items: { skus: skus(4) } } },
    { stampCard: { stampsRequired: 5 + (n % 6), items: { categories: categories(0) } } },
    { percentOff: { basisPoints: 200, items: { categories: categories(1) } } },
    { amountOff: { amount: 75, items: { skus: skus(3) } } },
  ];
  const conditions = [
    {},
    { minimumSpend: 12_000 + (n % 4) * 4000 },
    { attributes: n % 2 === 0 ? { channel: 'app' } : { ownCup: true } },
    { tierIds: [tierIds[n % 2]] },
    { orderNumber: 2 + (n % 4) },
    { withinDaysOfLastOrder: 30, attributes: { channel: 'kiosk' } },
    { audience: n % 2 === 0 ? 'MEMBERS' : 'MEMBER_ONLY_TIERS', minimumSpend: 15_000 },
    { birthdayWindowDays: 7 },
  ];
  const exclusive = n % 50 === 7;
  const now = Date.now();
  return {
    name: `Offer ${n}`,
    description: `Bench offer ${n}`,
    codeRequired: n % CODE_EVERY === 3,
    priority: exclusive ? -1000 + n : ((n * 37) % 101) - 50,
    exclusive,
    startsAt: n % 13 === 6 ? new Date(now - 86_400_000).toISOString() : null,
    endsAt: n % 11 === 5 ? new Date(now + 365 * 86_400_000).toISOString() : null,
    budget: n % 4 === 1 ? 10_000_000_000 : null,
    maxRedemptions: n % 6 === 2 ? 100_000_000 : null,
    perMemberLimit: n % 9 === 4 ? 100_000 : null,
    conditions: conditions[Math.floor(n / CODE_EVERY) % conditions.length],
    effect: effects[n % effects.length],
  };
}

function expectType(result: Record<string, any>, typename: string) {
  if (result.__typename !== typename) throw new Error(`expected ${typename}: ${JSON.stringify(result)}`);
  return result;
}

/**
 * The same program in any app: 1,000 members (a third with a birthday), two tiers with standing
 * discounts, and one order per member (so order numbers, recency and tiers vary), before any offer.
 */
export async function seedProgram(url: string, admin: Record<string, string>) {
  const send = async (document: string, input: unknown) =>
    Object.values(await graphql(url, document, { input }, admin))[0] as Record<string, any>;
  const memberIds = await enrollMembers(url, admin, MEMBERS, (n) => ({
    email: `m${n}@bench.test`,
    ...(n % 3 === 0
      ? { birthday: `19${70 + (n % 30)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}` }
      : {}),
  }));
  expectType(
    await send(CONFIGURE_TIERS, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 12, downgradeGraceDays: 30 }),
    'TierSettingsPayload',
  );
  const silver = expectType(
    await send(CREATE_TIER, {
      name: 'Silver',
      threshold: 20_000,
      earnMultiplierPermille: 1250,
      discountBasisPoints: 200,
      memberOnlyOffers: false,
    }),
    'TierPayload',
  );
  const gold = expectType(
    await send(CREATE_TIER, {
      name: 'Gold',
      threshold: 60_000,
      earnMultiplierPermille: 1500,
      discountBasisPoints: 500,
      memberOnlyOffers: true,
    }),
    'TierPayload',
  );
  for (let offset = 0; offset < MEMBERS; offset += 50) {
    await Promise.all(
      memberIds.slice(offset, offset + 50).map(async (memberId, index) => {
        const n = offset + index;
        const input = {
          memberId,
          orderId: `seed-${n}`,
          currency: 'EUR',
          total: 2_000 + ((n * 7919) % 80_000),
          idempotencyKey: `seed-${n}`,
        };
        expectType(await send(SEED_ORDER, input), 'RecordOrderPayload');
      }),
    );
  }
  return { memberIds, tierIds: [silver.tier.id, gold.tier.id] as [string, string] };
}

/** The 200 offers, and one reusable code (no limit on uses) for each offer that needs one. */
export async function seedOffers(url: string, admin: Record<string, string>, tierIds: [string, string]) {
  for (let offset = 0; offset < OFFERS; offset += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, OFFERS - offset) }, async (_, index) => {
        const n = offset + index;
        const input = offerInput(n, tierIds);
        const { createOffer } = await graphql(url, CREATE_OFFER, { input }, admin);
        const { offer } = expectType(createOffer, 'OfferPayload');
        if (!input.codeRequired) return;
        const code = {
          offerId: offer.id,
          code: codeOf(n),
          ...(n % 3 === 0 ? { minimumSpend: 1500 } : {}),
          ...(n % 5 === 0 ? { perMemberLimit: 100_000 } : {}),
        };
        expectType((await graphql(url, CREATE_CODE, { input: code }, admin)).createPromoCode, 'PromoCodePayload');
      }),
    );
  }
}

/**
 * `npm run bench -- checkout`: `quote` and `recordOrder` of a realistic cart (5 lines, a promo code,
 * attributes) over 1,000 members, through GraphQL against `npm start` (production mode), on a program
 * with 200 active offers of every kind and on the same program with no offer (the ratio is what
 * evaluating 200 offers costs), in the same run. The quote also goes through a bare Hono route
 * calling checkout's `checkoutCart` on each database (bench/baseline-server.ts: what GraphQL costs).
 */
export async function checkoutBenchmark(options: MeasureOptions) {
  const dir = freshDataDir();
  const servers: Server[] = [];
  const start = async (server: Promise<Server>) => {
    servers.push(await server);
    return servers.at(-1)!;
  };
  try {
    const files = { 0: join(dir, 'no-offers.db'), 200: join(dir, 'offers.db') };
    const apps = { 0: await start(startApp(18789, files[0])), 200: await start(startApp(18787, files[200])) };
    // The 200-offer app again on its database, with graphql-jit off: what the compiled execution saves, side by side.
    const interpreted = await start(startApp(18785, files[200], { GRAPHQL_JIT: 'false' }));
    // `--before <checkout>`: that checkout's app too, on the 200-offer database: before and after in one run.
    const beforeDir = beforeCheckout();
    const before = beforeDir ? await start(startApp(18784, files[200], {}, { cwd: beforeDir })) : undefined;
    const { storefront, admin } = await benchTokens();

    const started = performance.now();
    const [seeded0, seeded200] = await Promise.all([seedProgram(apps[0].url, admin), seedProgram(apps[200].url, admin)]);
    await seedOffers(apps[200].url, admin, seeded200.tierIds);
    console.log(
      `seeded ${MEMBERS} members with an order each in both apps, and ${OFFERS} offers with ${CODES.length} codes, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const bare = {
      0: await start(startServer('bench/baseline-server.ts', { PORT: '18788', LIBSQL_URL: `file:${files[0]}` }, /baseline listening/)),
      200: await start(startServer('bench/baseline-server.ts', { PORT: '18786', LIBSQL_URL: `file:${files[200]}` }, /baseline listening/)),
    };

    // Cart i goes to the same member n in both programs (both enrolled the same members in the same order).
    const memberIds = { 0: seeded0.memberIds, 200: seeded200.memberIds };
    const rawIds = { 0: memberIds[0].map((id) => decodeGlobalID(id).id), 200: memberIds[200].map((id) => decodeGlobalID(id).id) };
    type Offers = 0 | 200;
    const quoteBody = (offers: Offers) => () => (index: number) => {
      const { member, ...cart } = cartOf(index);
      return { query: QUOTE, variables: { cart: { ...cart, memberId: memberIds[offers][member] } } };
    };
    const bareQuoteBody = (offers: Offers) => () => (index: number) => {
      const { member, ...cart } = cartOf(index);
      // Normalized as the GraphQL layer hands it to checkout: no backdating, no wallet payment.
      return { ...cart, memberId: rawIds[offers][member], placedAt: null, walletPayment: null };
    };
    const orderBody = (offers: Offers) => (run: string) => (index: number) => {
      const { member, ...cart } = cartOf(index);
      return {
        query: RECORD_ORDER,
        variables: {
          input: { ...cart, memberId: memberIds[offers][member], orderId: `${run}-${index}`, idempotencyKey: `${run}-${index}` },
        },
      };
    };
    const isA = (typename: string) => (body: string) => body.includes(`"__typename":"${typename}"`);
    const graphqlQuote = (offers: Offers) => ({
      url: `${apps[offers].url}/graphql`,
      server: apps[offers],
      headers: storefront,
      body: quoteBody(offers),
      check: isA('Quote'),
    });
    const bareQuote = (offers: Offers) => ({
      url: `${bare[offers].url}/quote`,
      server: bare[offers],
      body: bareQuoteBody(offers),
      check: (body: string) => body.includes('"applied"'),
    });
    const graphqlOrder = (offers: Offers) => ({
      url: `${apps[offers].url}/graphql`,
      server: apps[offers],
      headers: storefront,
      body: orderBody(offers),
      check: isA('RecordOrderPayload'),
    });

    // What the carts get; the bare routes must price them exactly as GraphQL does.
    const probe: Array<Record<'total' | 'discount' | 'applied' | 'notApplied' | 'discountWithoutOffers', number>> = [];
    for (let index = 0; index < 50; index++) {
      const [quotes, bareQuotes] = await Promise.all([
        Promise.all(
          ([0, 200] as const).map(async (offers) =>
            expectType((await post(`${apps[offers].url}/graphql`, quoteBody(offers)()(index), storefront)).data?.quote ?? {}, 'Quote'),
          ),
        ),
        Promise.all(([0, 200] as const).map((offers) => post(`${bare[offers].url}/quote`, bareQuoteBody(offers)()(index)))),
      ]);
      quotes.forEach((quote, at) => {
        if (bareQuotes[at].discount !== quote.discount.amount)
          throw new Error(`cart ${index}: GraphQL discounts ${quote.discount.amount}, the bare route ${bareQuotes[at].discount}`);
      });
      const [without, withOffers] = quotes as [Record<string, any>, Record<string, any>];
      probe.push({
        total: withOffers.total.amount,
        discount: withOffers.discount.amount,
        applied: withOffers.appliedOffers.length,
        notApplied: withOffers.notApplied.length,
        discountWithoutOffers: without.discount.amount,
      });
    }
    const average = (field: keyof (typeof probe)[number]) => probe.reduce((sum, cart) => sum + cart[field], 0) / probe.length;
    const carts = {
      total: average('total'),
      discount: average('discount'),
      applied: average('applied'),
      notApplied: average('notApplied'),
      discountWithoutOffers: average('discountWithoutOffers'),
    };
    console.log(
      `a cart (average of ${probe.length}): total ${carts.total.toFixed(0)}, ${carts.applied.toFixed(1)} offers applied (the tier discount included) and ${carts.notApplied.toFixed(1)} listed as not applied, ` +
        `discount ${carts.discount.toFixed(0)} (${carts.discountWithoutOffers.toFixed(0)} without offers: the tier discount alone)`,
    );

    const loadAtStart = loadAverages();
    const quote = await measure(
      'quote',
      {
        // Each GraphQL path next to its bare route, in both orders of the rounds.
        'bare-200': bareQuote(200),
        'graphql-200': graphqlQuote(200),
        'bare-0': bareQuote(0),
        'graphql-0': graphqlQuote(0),
        'graphql-200-no-jit': { ...graphqlQuote(200), url: `${interpreted.url}/graphql`, server: interpreted },
        ...(before ? { 'graphql-200-before': { ...graphqlQuote(200), url: `${before.url}/graphql`, server: before } } : {}),
      },
      options,
    );
    const recordOrder = await measure('recordOrder', { 'graphql-0': graphqlOrder(0), 'graphql-200': graphqlOrder(200) }, options);
    const loadAtEnd = loadAverages();
    const throughput = (measured: typeof quote, of: string, to: string) => ratios(measured, of, to, { byCpu: false });
    const results = {
      quote: {
        paths: quote.paths,
        ratios: {
          ...throughput(quote, 'graphql-200', 'graphql-0'),
          ...throughput(quote, 'bare-200', 'bare-0'),
          ...ratios(quote, 'graphql-200', 'bare-200'),
          ...ratios(quote, 'graphql-0', 'bare-0'),
          ...ratios(quote, 'graphql-200-no-jit', 'bare-200'),
          ...(before ? ratios(quote, 'graphql-200-before', 'bare-200') : {}),
        },
        rounds: quote.rounds,
      },
      recordOrder: {
        paths: recordOrder.paths,
        ratios: throughput(recordOrder, 'graphql-200', 'graphql-0'),
        rounds: recordOrder.rounds,
      },
    };

    const audits = { 'no offers': await ledgerAudit(apps[0].url, admin), '200 offers': await ledgerAudit(apps[200].url, admin) };
    const report = {
      scenario: 'checkout',
      at: new Date().toISOString(),
      ...options,
      loadAverages: { start: loadAtStart, end: loadAtEnd },
      members: MEMBERS,
      offers: OFFERS,
      codes: CODES.length,
      carts,
      results,
      ledgerAudit: audits,
    };
    printResults(results);
    console.log(`load average (1, 5, 15 min) at the start ${loadAtStart.join(' ')}, at the end ${loadAtEnd.join(' ')}`);
    console.log(
      `(bare: checkoutCart behind a bare Hono route; graphql: \`npm start\` with SCHEDULED_JOBS=false; -0 / -200: the program with no offer / with 200 offers; no-jit: GRAPHQL_JIT=false${before ? `; before: the app of ${beforeDir}` : ''})`,
    );
    for (const [app, audit] of Object.entries(audits))
      console.log(`ledger audit after the run (${app}): ${audit.sound ? 'sound' : `VIOLATIONS ${audit.violations.join(', ')}`}`);
    console.log(`results: ${writeResults('checkout', report)}`);
    return report;
  } finally {
    for (const server of servers) server.stop();
  }
}
