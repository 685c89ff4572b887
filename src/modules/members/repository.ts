import { and, asc, eq, gt, inArray, isNotNull, or, sql, type Column, type SQL } from 'drizzle-orm';
import { members, type MemberRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { constraintViolation, columnTarget } from '../../platform/db/constraint-errors';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { DuplicateMemberError, MemberErasedError, MemberNotFoundError } from './errors';
import { likePattern, type MemberFilter } from './domain';
import { escapeLike } from '../../platform/like';

/** Member rows of one program; every query is scoped by `programId`. */
export async function findMember(db: Database, programId: string, memberId: string): Promise<MemberRow | undefined> {
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.id, memberId)));
  return member;
}

/** The member's status (null for no such member) as a scalar subquery, for another module's read of rows that name a member (`memberId`: their column). */
export function memberStatusSql(memberId: SQL | Column): SQL<MemberRow['status'] | null> {
  return sql<MemberRow['status'] | null>`(select ${members.status} from ${members} where ${members.id} = ${memberId})`;
}

export interface MemberRef {
  programId: string;
  memberId: string;
}

/** The member's status, as a query another module can put in its read batch; `checkActive` reads the result. */
export function memberStatusQuery(db: Database, { programId, memberId }: MemberRef) {
  return db
    .select({ status: members.status })
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.id, memberId)));
}

/** Throws unless the rows of `memberStatusQuery` show a member that exists and is not erased. */
export function checkActive(memberId: string, rows: Array<{ status: MemberRow['status'] }>): void {
  const [member] = rows;
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') throw new MemberErasedError(memberId);
}

/** Throws unless the member exists in the program and is not erased; other modules' commands use it too. */
export async function requireActiveMember(db: Database, member: MemberRef): Promise<void> {
  checkActive(member.memberId, await memberStatusQuery(db, member));
}

export async function findMembersByIds(db: Database, programId: string, memberIds: readonly string[]) {
  if (memberIds.length === 0) return [];
  return membersByIds(db, programId, memberIds);
}

/** The program's members among `memberIds`, as a query another module can put in its read batch. */
export function membersByIds(db: Database, programId: string, memberIds: readonly string[]) {
  return db
    .select()
    .from(members)
    .where(and(eq(members.programId, programId), inArray(members.id, [...memberIds])));
}

/** Ids of the program's members among `externalIds` (with their external id), as a query another module can put in its read batch. */
export function memberIdsByExternalIds(db: Database, programId: string, externalIds: readonly string[]) {
  return db
    .select({ id: members.id, externalId: members.externalId })
    .from(members)
    .where(and(eq(members.programId, programId), inArray(members.externalId, [...externalIds])));
}

export async function findMemberByExternalId(db: Database, programId: string, externalId: string) {
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.externalId, externalId)));
  return member;
}

export interface MemberPage extends KeysetPage, MemberFilter {
  search?: string | null;
}

/** Members in enrollment order (ids are time-ordered). */
export function listMembers(db: Database, programId: string, page: MemberPage): Promise<MemberRow[]> {
  const { conditions: position, orderBy, limit } = keyset(members.id, page);
  const conditions: SQL[] = [eq(members.programId, programId), ...position];
  if (page.search?.trim()) {
    const pattern = likePattern(page.search);
    conditions.push(
      or(
        sql`lower(${members.email}) like ${pattern} escape '\\'`,
        sql`lower(${members.name}) like ${pattern} escape '\\'`,
        sql`lower(${members.externalId}) like ${pattern} escape '\\'`,
      )!,
    );
  }
  for (const tag of page.tags ?? []) conditions.push(sql`exists (select 1 from json_each(${members.tags}) where value = ${tag})`);
  for (const [key, value] of Object.entries(page.attributes ?? {})) {
    conditions.push(sql`exists (select 1 from json_each(${members.attributes}) where key = ${key} and ${attributeMatch(value)})`);
  }
  return db
    .select()
    .from(members)
    .where(and(...conditions))
    .orderBy(orderBy)
    .limit(limit);
}

/** A json_each row holding exactly this scalar (JSON's own types: 1 is not true, "1" is not 1). */
export function attributeMatch(value: string | number | boolean): SQL {
  if (typeof value === 'boolean') return sql`type = ${value ? 'true' : 'false'}`;
  return typeof value === 'number' ? sql`type = 'integer' and value = ${value}` : sql`type = 'text' and value = ${value}`;
}

/** Maps the UNIQUE indexes on (program, externalId) and (program, email) to a typed error. */
export function asDuplicateMemberError(error: unknown): DuplicateMemberError | null {
  const violation = constraintViolation(error);
  if (violation?.kind !== 'unique') return null;
  if (violation.targets.includes(columnTarget(members.email))) return new DuplicateMemberError('email');
  if (violation.targets.includes(columnTarget(members.externalId))) return new DuplicateMemberError('externalId');
  return null;
}

/** Ids of the program's active members after `cursor`, in id order; for jobs. */
export async function activeMemberIds(
  db: Database,
  programId: string,
  cursor: string | null,
  limit: number,
  /** A further condition over the member's id column (e.g. a tier or segment subquery). */
  where?: (memberId: Column) => SQL | undefined,
): Promise<string[]> {
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.programId, programId),
        eq(members.status, 'active'),
        cursor ? sql`${members.id} > ${cursor}` : undefined,
        where?.(members.id),
      ),
    )
    .orderBy(members.id)
    .limit(limit);
  return rows.map((row) => row.id);
}

/** A chunk of a program's active members after `cursor` (id order), with what reminders need of them; a query builder to batch. */
export function activeMembersChunk(db: Database, programId: string, cursor: string | null, limit: number) {
  return db
    .select({
      id: members.id,
      birthday: members.birthday,
      timeZone: members.timeZone,
      consentEmail: members.consentEmail,
      consentSms: members.consentSms,
      consentPush: members.consentPush,
    })
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.status, 'active'), cursor ? gt(members.id, cursor) : undefined))
    .orderBy(asc(members.id))
    .limit(limit);
}

/**
 * The last member id of `activeMembersChunk` with the same arguments, as a scalar subquery: the
 * chunk's other reads take their member range from it, so they all go in one round trip.
 */
export function activeMembersChunkEnd(programId: string, cursor: string | null, limit: number): SQL<string> {
  return sql<string>`(select max(chunk.id) from (select ${members.id} as id from ${members}
    where ${members.programId} = ${programId} and ${members.status} = 'active' ${cursor ? sql`and ${members.id} > ${cursor}` : sql``}
    order by ${members.id} limit ${limit}) as chunk)`;
}

/** A page of the program's active members that have an email, in id order after `cursor`; for jobs. */
export function activeMemberEmails(
  db: Database,
  programId: string,
  cursor: string | null,
  limit: number,
): Promise<Array<{ id: string; email: string }>> {
  return db
    .select({ id: members.id, email: sql<string>`${members.email}` })
    .from(members)
    .where(
      and(
        eq(members.programId, programId),
        eq(members.status, 'active'),
        isNotNull(members.email),
        cursor ? gt(members.id, cursor) : undefined,
      ),
    )
    .orderBy(asc(members.id))
    .limit(limit);
}

/**
 * A SQL condition another module can put in its batch: a member of the program other than
 * `exceptMemberId` has this email identity (`local@domain`), or the same address with a `+tag`
 * (emails are stored lower-cased). Evaluated inside the batch, so it sees a sign-up of the same instant.
 */
export function otherMemberWithEmailIdentity(programId: string, identity: string, exceptMemberId: string): SQL {
  const [local = '', domain = ''] = identity.split('@');
  const tagged = `${escapeLike(local)}+%@${escapeLike(domain)}`;
  return sql`exists (select 1 from ${members} where program_id = ${programId} and id <> ${exceptMemberId} and (email = ${identity} or email like ${tagged} escape '\\'))`;
}

/** SQL: ids (`member_id`) of the program's members enrolled before `before` (erased ones too: their orders stay), optionally only those in `within` (a subquery of member ids). */
export function memberIdsEnrolledBeforeSql(programId: string, before: Date, within: SQL | null): SQL {
  return enrolledSql(programId, sql`${members.createdAt} < ${before.getTime()}`, within);
}

/** SQL: ids (`member_id`) of the program's members enrolled at or after `since`, optionally only those in `within`. */
export function memberIdsEnrolledSinceSql(programId: string, since: Date, within: SQL | null): SQL {
  return enrolledSql(programId, sql`${members.createdAt} >= ${since.getTime()}`, within);
}

const enrolledSql = (programId: string, when: SQL, within: SQL | null) =>
  sql`select ${members.id} as member_id from ${members} where ${members.programId} = ${programId} and ${when}${
    within ? sql` and ${members.id} in (${within})` : sql``
  }`;
