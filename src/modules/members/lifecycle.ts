import { and, eq } from 'drizzle-orm';
import { members, type MemberRow } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { insertRows, updateRows } from '../../platform/db/insert-rows';
import { columnTarget, constraintViolation } from '../../platform/db/constraint-errors';
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
import { checkActive, findMember, findMembersByIds, requireActiveMember, type MemberRef } from './repository';

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

/** The columns an update sets on this member; refuses one that leaves no identifier. */
function checkedProfileColumns(current: MemberRow, update: ProfileUpdate) {
  const columns = profileUpdateColumns(update);
  if (!keepsAnIdentifier({ ...current, ...columns })) {
    throw new InvalidInputError([{ path: ['input', 'externalId'], message: 'a member keeps an externalId or an email' }]);
  }
  return columns;
}

/** The `member.updated` event of a change: the member as it is after it, and the fields changed. */
const profileUpdatedEvent = (current: MemberRow, columns: Partial<MemberRow>) => ({
  type: 'member.updated' as const,
  memberId: current.id,
  data: memberEventData({ ...current, ...columns }, { changed: Object.keys(columns).sort() }),
});

/**
 * The statement that changes an active member's profile, and the email it sets (if any), for the
 * other modules to react to; refuses an update that leaves no identifier.
 */
export async function profileUpdateStatement(db: Database, ref: MemberRef, update: ProfileUpdate, at: Date) {
  await requireActiveMember(db, ref);
  const current = (await findMember(db, ref.programId, ref.memberId))!;
  const columns = checkedProfileColumns(current, update);
  const statement = db
    .update(members)
    .set({ ...columns, updatedAt: at })
    .where(and(eq(members.programId, ref.programId), eq(members.id, ref.memberId)));
  const event = eventStatement(db, ref.programId, at, profileUpdatedEvent(current, columns));
  return { statements: [statement, event], email: columns.email ?? null };
}

/**
 * Many members' profile changes (an import), as `profileUpdateStatement` makes one, from one read:
 * multi-row updates and their `member.updated` events for the members that may take them, the
 * emails they set, and the error of each that may not (by position). What the checks and the
 * events read (status, externalId, email, consents) is guarded: if another write changed it before
 * the batch, the batch fails as `profileChangedSinceRead` tells, and nothing is written.
 */
export async function profileUpdatesStatements(
  db: Database,
  programId: string,
  updates: ReadonlyArray<{ memberId: string; update: ProfileUpdate }>,
  at: Date,
) {
  const current = new Map(
    (await findMembersByIds(db, programId, [...new Set(updates.map(({ memberId }) => memberId))])).map((row) => [row.id, row]),
  );
  const refused: Array<{ position: number; error: unknown }> = [];
  const changes: Array<{ member: MemberRow; columns: Partial<MemberRow> }> = [];
  updates.forEach(({ memberId, update }, position) => {
    const member = current.get(memberId);
    try {
      checkActive(memberId, member ? [member] : []);
      changes.push({ member: member!, columns: checkedProfileColumns(member!, update) });
    } catch (error) {
      refused.push({ position, error });
    }
  });
  const statements = [
    ...updateRows(
      db,
      members,
      members.id,
      members.updatedAt,
      changes.map(({ member, columns }) => ({
        key: member.id,
        set: { ...columns, updatedAt: at },
        expects: {
          programId,
          status: member.status,
          externalId: member.externalId,
          email: member.email,
          consentEmail: member.consentEmail,
          consentSms: member.consentSms,
          consentPush: member.consentPush,
        },
      })),
    ),
    ...eventStatements(
      db,
      programId,
      at,
      changes.map(({ member, columns }) => profileUpdatedEvent(member, columns)),
    ),
  ];
  const emails = changes.flatMap(({ columns }) => (columns.email ? [columns.email] : []));
  return { statements, emails, refused };
}

/** The batch of `profileUpdatesStatements` failed because a member it changes was changed since the read. */
export const profileChangedSinceRead = (error: unknown) => {
  const violation = constraintViolation(error);
  return violation?.kind === 'not_null' && violation.targets.includes(columnTarget(members.updatedAt));
};

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
