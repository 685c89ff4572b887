import { and, eq } from 'drizzle-orm';
import { members } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { insertRows } from '../../platform/db/insert-rows';
import { eventStatement, eventStatements, forgetMemberInEvents } from '../../platform/outbox';
import {
  enrollmentColumns,
  erasureColumns,
  keepsAnIdentifier,
  memberEventData,
  profileUpdateColumns,
  type Enrollment,
  type ProfileUpdate,
} from './domain';
import { MemberNotFoundError } from './errors';
import { findMember, requireActiveMember, type MemberRef } from './repository';

/**
 * What members contribute to the enroll, update and erase use cases (src/use-cases), which add the
 * other modules' statements to the same batch.
 */

/** A new member's row (not yet written) and the statement that writes it (first in the batch: others refer to it). */
export function enrollmentStatement(db: Database, programId: string, enrollment: Enrollment, at: Date) {
  const member = { id: newId(), programId, ...enrollmentColumns(enrollment), createdAt: at, updatedAt: at };
  return {
    member,
    insert: db.insert(members).values(member) as Statement,
    /** The outbox event, last in the batch. */
    event: eventStatement(db, programId, at, {
      type: 'member.enrolled',
      memberId: member.id,
      data: memberEventData({ ...member, status: 'active' }),
    }),
  };
}

/**
 * Many new members at once (an import), as `enrollmentStatement` makes one: their rows, the
 * multi-row inserts writing them (first in the batch) and their `member.enrolled` events (last).
 */
export function enrollmentsStatements(db: Database, programId: string, enrollments: Enrollment[], at: Date) {
  const rows = enrollments.map((enrollment) => ({
    id: newId(),
    programId,
    ...enrollmentColumns(enrollment),
    createdAt: at,
    updatedAt: at,
  }));
  return {
    members: rows,
    inserts: insertRows(db, members, rows),
    events: eventStatements(
      db,
      programId,
      at,
      rows.map((member) => ({
        type: 'member.enrolled' as const,
        memberId: member.id,
        data: memberEventData({ ...member, status: 'active' }),
      })),
    ),
  };
}

/**
 * The statement that changes an active member's profile, and the email it sets (if any), for the
 * other modules to react to; refuses an update that leaves no identifier.
 */
export async function profileUpdateStatement(db: Database, ref: MemberRef, update: ProfileUpdate, at: Date) {
  await requireActiveMember(db, ref);
  const columns = profileUpdateColumns(update);
  const current = (await findMember(db, ref.programId, ref.memberId))!;
  if (!keepsAnIdentifier({ ...current, ...columns })) {
    throw new InvalidInputError([{ path: ['input', 'externalId'], message: 'a member keeps an externalId or an email' }]);
  }
  const statement = db
    .update(members)
    .set({ ...columns, updatedAt: at })
    .where(and(eq(members.programId, ref.programId), eq(members.id, ref.memberId)));
  const event = eventStatement(db, ref.programId, at, {
    type: 'member.updated',
    memberId: ref.memberId,
    data: memberEventData({ ...current, ...columns }, { changed: Object.keys(columns).sort() }),
  });
  return { statements: [statement, event], email: columns.email ?? null };
}

/**
 * The statements that drop a member's personal data and consents (the row stays as the anonymous
 * owner of its ledger history), or null when the member is erased already: erasing twice is not an
 * error. (A list, not a bare query: an async function would run a returned query.)
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
    forgetMemberInEvents(db, programId, memberId),
    eventStatement(db, programId, at, { type: 'member.erased', memberId, data: { memberId } }),
  ];
}
