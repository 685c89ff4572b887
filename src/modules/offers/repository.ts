import { and, eq, gt, gte, inArray, isNull, lt, or, sql, type Column, type SQL } from 'drizzle-orm';
import { offerApplications, offers, promoCodes, stampCards, checks } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import type { Application } from './domain/evaluate';
import { stampsReturnedBy, type StampCardState } from './domain/effects';
import { matchesItems } from './domain/offer';

/** An application as recorded: with the bonus points it came to once the order was priced. */
export type RecordedApplication = Application & { bonusPoints: number };

/** A program's codes that meet `condition`, each with its offer. */
function codesWithOffers(db: Database, programId: string, condition: SQL) {
  return db
    .select({ promoCode: promoCodes, offer: offers })
    .from(promoCodes)
    .innerJoin(offers, eq(offers.id, promoCodes.offerId))
    .where(and(eq(promoCodes.programId, programId), condition));
}

/** A member's auto-applying codes that are still usable at `at`: unused, not void, not expired. */
const usableAutoCodes = (memberId: string, at: Date) =>
  and(
    eq(promoCodes.assignedMemberId, memberId),
    eq(promoCodes.autoApply, true),
    isNull(promoCodes.voidedAt),
    or(isNull(promoCodes.maxUses), lt(promoCodes.uses, promoCodes.maxUses)),
    or(isNull(promoCodes.expiresAt), gt(promoCodes.expiresAt, at)),
  );

/**
 * Entered codes (normalized) with the stored code and offer each matches, in the order entered;
 * then, for a member, the usable codes that apply themselves (their partner vouchers), as if entered.
 * One query either way.
 */
export async function matchCodes(db: Database, programId: string, codes: string[], member?: { memberId: string | null; at: Date }) {
  const condition = codesInPlay(codes, member);
  if (!condition) return [];
  const rows = await codesWithOffers(db, programId, condition);
  const auto = rows.filter(
    (row) => row.promoCode.autoApply && row.promoCode.assignedMemberId === member?.memberId && !codes.includes(row.promoCode.code),
  );
  return [
    ...codes.map((code) => ({ code, match: rows.find((row) => row.promoCode.code === code) ?? null })),
    ...auto.sort((a, b) => a.promoCode.id.localeCompare(b.promoCode.id)).map((row) => ({ code: row.promoCode.code, match: row })),
  ];
}

/** Which codes a checkout uses: those entered, and the member's vouchers that apply themselves (as `matchCodes` finds them). */
function codesInPlay(codes: readonly string[], member?: { memberId: string | null; at: Date }) {
  const held = member?.memberId ? usableAutoCodes(member.memberId, member.at) : undefined;
  const entered = codes.length > 0 ? inArray(promoCodes.code, [...codes]) : undefined;
  return entered && held ? or(entered, held) : (entered ?? held);
}

/**
 * The offers of the codes a checkout uses (`matchCodes`' codes), as a subquery another module's read
 * can filter by (checkout's partner funders); null when there are none.
 */
export function offerIdsOfCodes(db: Database, programId: string, codes: readonly string[], member?: { memberId: string | null; at: Date }) {
  const condition = codesInPlay(codes, member);
  if (!condition) return null;
  return db
    .select({ offerId: promoCodes.offerId })
    .from(promoCodes)
    .where(and(eq(promoCodes.programId, programId), condition));
}

/** Codes given to a member, with their offers. */
export function heldCodes(db: Database, programId: string, memberId: string) {
  return codesWithOffers(db, programId, eq(promoCodes.assignedMemberId, memberId));
}

/**
 * How often a member has redeemed each offer, and used each code (an order a code was applied to
 * uses it, even when it only stamped a card); full refunds give uses back. An offer in `since`
 * counts only the redemptions from that instant (its per-member limit counts per period).
 */
export async function memberUsage(db: Database, programId: string, memberId: string, since: ReadonlyMap<string, Date> = new Map()) {
  const from =
    since.size === 0
      ? sql`0`
      : sql`case ${offerApplications.offerId} ${sql.join(
          [...since].map(([offerId, at]) => sql`when ${offerId} then ${at.getTime()}`),
          sql` `,
        )} else 0 end`;
  const rows = await db
    .select({
      offerId: offerApplications.offerId,
      codeId: offerApplications.codeId,
      redemptions:
        sql<number>`count(*) filter (where ${offerApplications.countsAsRedemption} and ${offerApplications.createdAt} >= ${from})`.mapWith(
          Number,
        ),
      uses: sql<number>`count(*)`.mapWith(Number),
    })
    .from(offerApplications)
    .where(and(eq(offerApplications.programId, programId), eq(offerApplications.memberId, memberId), isNull(offerApplications.releasedAt)))
    .groupBy(offerApplications.offerId, offerApplications.codeId);
  const offerUses = new Map<string, number>();
  const codeUses = new Map<string, number>();
  for (const { offerId, codeId, redemptions, uses } of rows) {
    offerUses.set(offerId, (offerUses.get(offerId) ?? 0) + redemptions);
    if (codeId) codeUses.set(codeId, (codeUses.get(codeId) ?? 0) + uses);
  }
  return { offerUses, codeUses };
}

export async function memberStamps(db: Database, programId: string, memberId: string): Promise<Map<string, StampCardState>> {
  const rows = await db
    .select({ offerId: stampCards.offerId, stamps: stampCards.stamps, rewards: stampCards.rewards })
    .from(stampCards)
    .where(and(eq(stampCards.programId, programId), eq(stampCards.memberId, memberId)));
  return new Map(rows.map(({ offerId, ...card }) => [offerId, card]));
}

/**
 * Statements that record what the offers did on an order, for the order's own batch. The counter
 * updates are the cross-member guards: past a cap, budget or a code's uses, the CHECK trips.
 */
export function applicationStatements(
  db: Database,
  order: { programId: string; memberId: string | null; orderPk: string; at: Date },
  applied: RecordedApplication[],
): Statement[] {
  const fromOffers = applied.filter((application) => application.offerId !== null);
  if (fromOffers.length === 0) return [];
  const statements: Statement[] = [
    db.insert(offerApplications).values(
      fromOffers.map((application) => ({
        id: newId(),
        programId: order.programId,
        orderPk: order.orderPk,
        offerId: application.offerId!,
        codeId: application.codeId,
        memberId: order.memberId,
        discount: application.discount,
        bonusPoints: application.bonusPoints,
        giftSku: application.gift?.sku ?? null,
        giftQuantity: application.gift?.quantity ?? 0,
        stamps: application.stamps,
        stampedLines: application.stampedLines,
        freeUnits: application.freeUnits,
        countsAsRedemption: application.countsAsRedemption,
        createdAt: order.at,
      })),
    ),
  ];
  for (const application of fromOffers) {
    statements.push(...counterStatements(db, { ...application, offerId: application.offerId! }, +1));
    // Only a member has a stamp card (a guest's cart is refused stamp-card offers).
    if (application.stamps > 0 && order.memberId) {
      statements.push(
        db
          .insert(stampCards)
          .values({
            offerId: application.offerId!,
            memberId: order.memberId,
            programId: order.programId,
            stamps: application.stamps,
            rewards: application.freeUnits,
            updatedAt: order.at,
          })
          .onConflictDoUpdate({
            target: [stampCards.offerId, stampCards.memberId],
            set: {
              stamps: sql`${stampCards.stamps} + ${application.stamps}`,
              rewards: sql`${stampCards.rewards} + ${application.freeUnits}`,
              updatedAt: order.at,
            },
          }),
      );
    }
  }
  return statements;
}

interface Counted {
  offerId: string;
  codeId: string | null;
  discount: number;
  bonusPoints: number;
  countsAsRedemption: boolean;
}

/** The offer's counters move with a redemption; a code's uses with every order it was applied to. */
export function counterStatements(db: Database, application: Counted, sign: 1 | -1): Statement[] {
  const statements: Statement[] = [];
  if (application.countsAsRedemption) {
    statements.push(
      db
        .update(offers)
        .set({
          redemptions: sql`${offers.redemptions} + ${sign}`,
          discountGiven: sql`${offers.discountGiven} + ${sign * application.discount}`,
          bonusPointsGiven: sql`${offers.bonusPointsGiven} + ${sign * application.bonusPoints}`,
        })
        .where(eq(offers.id, application.offerId)),
    );
  }
  if (application.codeId)
    statements.push(
      db
        .update(promoCodes)
        .set({ uses: sql`${promoCodes.uses} + ${sign}` })
        .where(eq(promoCodes.id, application.codeId)),
    );
  return statements;
}

/**
 * Undoes what an order's offers counted, when the order is refunded in full: uses of offers and
 * codes come back (a single-use code can be used again), and the stamps it earned and the free
 * units it got are taken off the member's card.
 */
export async function releaseStatements(
  db: Database,
  orderPk: string,
  at: Date,
): Promise<{ statements: Statement[]; stampsReturned: number }> {
  const rows = await db
    .select()
    .from(offerApplications)
    .where(and(eq(offerApplications.orderPk, orderPk), isNull(offerApplications.releasedAt)));
  if (rows.length === 0) return { statements: [], stampsReturned: 0 };
  let stampsReturned = 0;
  const statements: Statement[] = [
    db
      .update(offerApplications)
      .set({ releasedAt: at })
      .where(and(eq(offerApplications.orderPk, orderPk), isNull(offerApplications.releasedAt))),
  ];
  for (const row of rows) {
    statements.push(...counterStatements(db, row, -1));
    const stampsLeft = row.stamps - row.stampsReturned;
    stampsReturned += stampsLeft;
    if (row.memberId && (stampsLeft > 0 || row.freeUnits > 0)) {
      statements.push(
        db
          .update(stampCards)
          .set({ stamps: sql`${stampCards.stamps} - ${stampsLeft}`, rewards: sql`${stampCards.rewards} - ${row.freeUnits}`, updatedAt: at })
          .where(and(eq(stampCards.offerId, row.offerId), eq(stampCards.memberId, row.memberId))),
      );
    }
  }
  return { statements, stampsReturned };
}

/**
 * Statements that take back the stamps of units a partial refund returns (`returnedUnits`: order
 * line number → units), from each stamp card those lines stamped. Free units already given stay
 * given: the card goes into debt, and the next stamps repay it before another unit is free.
 * Returns how many stamps it takes back too.
 */
export async function stampReturnStatements(
  db: Database,
  order: { orderPk: string; lines: Array<{ lineNo: number; sku: string; category: string | null }> },
  returnedUnits: Map<number, number>,
  at: Date,
) {
  if (returnedUnits.size === 0) return { statements: [], stampsReturned: 0 };
  const rows = await db
    .select({ application: offerApplications, effect: offers.effect })
    .from(offerApplications)
    .innerJoin(offers, eq(offers.id, offerApplications.offerId))
    .where(
      and(
        eq(offerApplications.orderPk, order.orderPk),
        isNull(offerApplications.releasedAt),
        sql`${offerApplications.stamps} > ${offerApplications.stampsReturned}`,
      ),
    );
  const returned = stampsReturnedBy(
    rows.flatMap(({ application, effect }) => {
      if (!application.memberId) return [];
      // Orders recorded before stamped lines were kept: the lines the card's items match.
      const stampedLines =
        application.stampedLines.length > 0 || effect.kind !== 'stamp_card'
          ? application.stampedLines
          : order.lines.filter((line) => matchesItems(effect.items, line)).map((line) => line.lineNo);
      return [{ ...application, memberId: application.memberId, stampedLines }];
    }),
    returnedUnits,
  );
  const statements: Statement[] = returned.flatMap(({ applicationId, offerId, memberId, stamps }) => [
    db
      .update(offerApplications)
      .set({ stampsReturned: sql`${offerApplications.stampsReturned} + ${stamps}` })
      .where(eq(offerApplications.id, applicationId)),
    db
      .update(stampCards)
      .set({ stamps: sql`${stampCards.stamps} - ${stamps}`, updatedAt: at })
      .where(and(eq(stampCards.offerId, offerId), eq(stampCards.memberId, memberId))),
  ]);
  return { statements, stampsReturned: returned.reduce((sum, { stamps }) => sum + stamps, 0) };
}

/** CHECKs that guard limits shared by all members: a batch that trips one lost a race. */
export const crossMemberGuards: string[] = [checks.offersRedemptionCap, checks.offersBudget, checks.promoCodesUses];

/** A claimed guest order's offer applications now count for the member who claimed it; part of the claim's batch. */
export function claimApplicationsStatement(db: Database, orderPk: string, memberId: string): Statement {
  return db.update(offerApplications).set({ memberId }).where(eq(offerApplications.orderPk, orderPk));
}

/** The offers applied to many orders, with the promo code entered for each, by order; a query builder to batch. */
export function applicationsOfOrders(db: Database, orderPks: string[]) {
  return db
    .select({ application: offerApplications, code: promoCodes.code })
    .from(offerApplications)
    .leftJoin(promoCodes, eq(promoCodes.id, offerApplications.codeId))
    .where(inArray(offerApplications.orderPk, orderPks))
    .orderBy(offerApplications.orderPk, offerApplications.id);
}

/** Codes by id, in no particular order. */
export function codesByIds(db: Database, ids: readonly string[]) {
  return ids.length === 0
    ? Promise.resolve([])
    : db
        .select()
        .from(promoCodes)
        .where(inArray(promoCodes.id, [...ids]));
}

/** Offers by id, in no particular order. */
export function offersByIds(db: Database, ids: readonly string[]) {
  return ids.length === 0
    ? Promise.resolve([])
    : db
        .select()
        .from(offers)
        .where(inArray(offers.id, [...ids]));
}

const utcDay = (column: Column) => sql<number>`cast(${column} / 86400000 as integer)`.mapWith(Number);

/** How many codes of these offers were made per UTC day number in [from, until). */
export function codesIssuedByDay(db: Database, offerIds: readonly string[], from: Date, until: Date) {
  if (offerIds.length === 0) return Promise.resolve([]);
  return db
    .select({ day: utcDay(promoCodes.createdAt), count: sql<number>`count(*)`.mapWith(Number) })
    .from(promoCodes)
    .where(and(inArray(promoCodes.offerId, [...offerIds]), gte(promoCodes.createdAt, from), lt(promoCodes.createdAt, until)))
    .groupBy(utcDay(promoCodes.createdAt));
}

/**
 * The standing redemptions of these offers (a full refund releases one) per UTC day number of the
 * order in [from, until), with the sum of `orderValue` over their orders (a subquery over the order's row id).
 */
export function redemptionsByDay(
  db: Database,
  offerIds: readonly string[],
  from: Date,
  until: Date,
  orderValue: (orderPk: Column) => SQL<number>,
) {
  if (offerIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      day: utcDay(offerApplications.createdAt),
      count: sql<number>`count(*)`.mapWith(Number),
      value: sql<number>`coalesce(sum(${orderValue(offerApplications.orderPk)}), 0)`.mapWith(Number),
    })
    .from(offerApplications)
    .where(
      and(
        inArray(offerApplications.offerId, [...offerIds]),
        eq(offerApplications.countsAsRedemption, true),
        isNull(offerApplications.releasedAt),
        gte(offerApplications.createdAt, from),
        lt(offerApplications.createdAt, until),
      ),
    )
    .groupBy(utcDay(offerApplications.createdAt));
}
