import { and, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import { emailFingerprints } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { knownKeyIds, type FingerprintKeys } from '../../platform/fingerprints';
import { emailFingerprint, legacyEmailFingerprint, recognisedEmailFingerprints } from './fingerprints';
import { activeMemberEmails } from '../members';

/**
 * One chunk of re-keying a program's email fingerprints: for each active member's address, a
 * fingerprint under an earlier key or the unkeyed SHA-256 of before migration 0005 is replaced by
 * one under the current key (keeping when it was first seen). An address no member has any more
 * (erased members, changed addresses) cannot be re-keyed, since only its hash is left: after the
 * last chunk, rows under a key that is no longer configured, and unkeyed rows, are deleted. Rows
 * under a key still listed in FINGERPRINT_PREVIOUS_SECRETS stay until that key is removed.
 */
export async function rekeyFingerprints(db: Database, keys: FingerprintKeys, programId: string, cursor: string | null, limit: number) {
  const page = await activeMemberEmails(db, programId, cursor, limit);

  const addresses = page.map(({ email }) => {
    const current = emailFingerprint(keys, programId, email!);
    const older = [legacyEmailFingerprint(programId, email!), ...recognisedEmailFingerprints(keys, programId, email!)].filter(
      (hash) => hash !== current.hash,
    );
    return { current, older };
  });
  // One read for the chunk: every older fingerprint of its addresses.
  const found =
    addresses.length === 0
      ? []
      : await db
          .select({ hash: emailFingerprints.hash, createdAt: emailFingerprints.createdAt })
          .from(emailFingerprints)
          .where(
            and(
              eq(emailFingerprints.programId, programId),
              inArray(
                emailFingerprints.hash,
                addresses.flatMap(({ older }) => older),
              ),
            ),
          );
  const firstSeenByHash = new Map(found.map((row) => [row.hash, row.createdAt.getTime()]));

  const statements: Statement[] = [];
  for (const { current, older } of addresses) {
    const seen = older.flatMap((hash) => firstSeenByHash.get(hash) ?? []);
    if (seen.length === 0) continue;
    const firstSeen = new Date(Math.min(...seen));
    const whereOlder = and(eq(emailFingerprints.programId, programId), inArray(emailFingerprints.hash, older));
    statements.push(
      db
        .insert(emailFingerprints)
        .values({ programId, ...current, createdAt: firstSeen })
        .onConflictDoUpdate({
          target: [emailFingerprints.programId, emailFingerprints.hash],
          set: { createdAt: sql`min(${emailFingerprints.createdAt}, ${firstSeen.getTime()})` },
        }),
      db.delete(emailFingerprints).where(whereOlder),
    );
  }
  const done = page.length < limit;
  if (done) {
    statements.push(
      db
        .delete(emailFingerprints)
        .where(
          and(
            eq(emailFingerprints.programId, programId),
            or(isNull(emailFingerprints.keyId), notInArray(emailFingerprints.keyId, knownKeyIds(keys))),
          ),
        ),
    );
  }
  const [head, ...rest] = statements;
  if (head) await db.batch([head, ...rest]);
  return { processed: page.length, cursor: done ? null : page.at(-1)!.id };
}
