import { and, eq } from 'drizzle-orm';
import { members } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { enrollmentColumns, erasureColumns, type Enrollment } from './domain';
import { MemberNotFoundError } from './errors';
import { fingerprintStatement } from './identities';
import { findMember, type MemberRef } from './repository';

/**
 * What members contribute to the enroll and erase use cases (src/use-cases), which add the other
 * modules' statements to the same batch.
 */

/** A new member's row (not yet written) and the statements that write it and fingerprint its email. */
export function enrollmentStatements(db: Database, programId: string, enrollment: Enrollment, at: Date) {
  const row = { id: newId(), programId, ...enrollmentColumns(enrollment), createdAt: at, updatedAt: at };
  return {
    member: row,
    /** Insert first: other modules' rows refer to it. */
    insert: db.insert(members).values(row) as Statement,
    /** Last in the batch: checks of "seen before" made earlier in the batch must not see this address yet. */
    fingerprint: row.email ? [fingerprintStatement(db, programId, row.email, at)] : [],
  };
}

/**
 * The member to erase, or null when it is erased already (erasing twice is not an error), with the
 * statement that drops its personal data and consents; the row stays as the anonymous owner of its
 * ledger history.
 */
export async function erasureStatements(db: Database, { programId, memberId }: MemberRef, at: Date): Promise<Statement[] | null> {
  const member = await findMember(db, programId, memberId);
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') return null;
  return [
    db
      .update(members)
      .set(erasureColumns(at))
      .where(and(eq(members.programId, programId), eq(members.id, memberId))),
  ];
}
