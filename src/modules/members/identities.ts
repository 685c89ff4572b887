import { and, eq, sql } from 'drizzle-orm';
import { emailFingerprints, members } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { emailFingerprint, emailIdentity } from '../../platform/email-identity';
import { escapeLike } from '../../platform/like';

/**
 * The email identities a program has seen (members own the `email_fingerprints` table): one-way
 * fingerprints written whenever an address is enrolled or set, kept after erasure, so that whether
 * someone is "new to the program" never depends on the addresses still on file.
 */

/** Remembers an email for good (one-way), so its owner is never "new" again; part of the batch that sets it. */
export function fingerprintStatement(db: Database, programId: string, email: string, at: Date): Statement {
  return db.insert(emailFingerprints).values({ programId, hash: emailFingerprint(programId, email), createdAt: at }).onConflictDoNothing();
}

/**
 * A SQL condition, true when the program has seen this email identity: a fingerprint (every address
 * since fingerprints exist, erased members' included), or a member other than `newMemberId` enrolled
 * before fingerprints whose address is the same once its `+tag` is dropped (emails are stored
 * lower-cased). Evaluated inside the caller's batch, so two sign-ups at one instant see each other.
 */
export function emailSeenBefore(programId: string, email: string, newMemberId: string) {
  const identity = emailIdentity(email);
  const [local, domain] = identity.split('@') as [string, string];
  const tagged = `${escapeLike(local)}+%@${escapeLike(domain)}`;
  return sql`(exists (select 1 from ${emailFingerprints} where program_id = ${programId} and hash = ${emailFingerprint(programId, email)})
    or exists (select 1 from ${members} where program_id = ${programId} and id <> ${newMemberId} and (email = ${identity} or email like ${tagged} escape '\\')))`;
}

/** When the program first fingerprinted this email identity, or null when it never saw it. */
export async function fingerprintedSince(db: Database, programId: string, email: string): Promise<Date | null> {
  const [fingerprint] = await db
    .select({ createdAt: emailFingerprints.createdAt })
    .from(emailFingerprints)
    .where(and(eq(emailFingerprints.programId, programId), eq(emailFingerprints.hash, emailFingerprint(programId, email))));
  return fingerprint?.createdAt ?? null;
}
