import { and, eq, isNotNull, or, sql } from 'drizzle-orm';
import { offerRevisions, offers } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import type { Offer } from './domain/offer';

interface Cached {
  revision: number;
  offers: Offer[];
}

/** Per database (tests open many) and program, in this isolate or process. */
const cache = new WeakMap<Database, Map<string, Cached>>();

/** Part of every batch that changes a program's offers. */
export function bumpRevision(db: Database, programId: string): Statement {
  return db
    .insert(offerRevisions)
    .values({ programId, revision: 1 })
    .onConflictDoUpdate({ target: offerRevisions.programId, set: { revision: sql`${offerRevisions.revision} + 1` } });
}

const automatic = (programId: string) => and(eq(offers.programId, programId), eq(offers.status, 'active'), eq(offers.codeRequired, false));

/**
 * The offers checkout considers without a code. Quotes and orders need them every time, and
 * building a few hundred wide rows is most of a quote's cost, so they are kept in memory and read
 * again only when the program's offer revision moved. What does change with every order, the
 * counters of offers with a cap or a budget, is read fresh in the same round trip.
 */
export async function activeAutomaticOffers(db: Database, programId: string): Promise<Offer[]> {
  const [revisionRows, counters] = await db.batch([
    db.select({ revision: offerRevisions.revision }).from(offerRevisions).where(eq(offerRevisions.programId, programId)),
    db
      .select({ id: offers.id, redemptions: offers.redemptions, discountGiven: offers.discountGiven })
      .from(offers)
      .where(and(automatic(programId), or(isNotNull(offers.maxRedemptions), isNotNull(offers.budget)))),
  ]);
  const revision = revisionRows[0]?.revision ?? 0;
  const programs = cache.get(db) ?? cache.set(db, new Map()).get(db)!;
  let cached = programs.get(programId);
  if (cached?.revision !== revision) {
    cached = { revision, offers: await db.select().from(offers).where(automatic(programId)) };
    programs.set(programId, cached);
  }
  const fresh = new Map(counters.map((counter) => [counter.id, counter]));
  return cached.offers.map((offer) => {
    const counter = fresh.get(offer.id);
    return counter ? { ...offer, redemptions: counter.redemptions, discountGiven: counter.discountGiven } : offer;
  });
}
