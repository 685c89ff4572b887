import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { members, type MemberRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { constraintViolation } from '../../platform/db/constraint-errors';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { DuplicateMemberError, MemberErasedError, MemberNotFoundError } from './errors';
import { likePattern, type MemberFilter } from './domain';

/** Member rows of one program; every query is scoped by `programId`. */
export async function findMember(db: Database, programId: string, memberId: string): Promise<MemberRow | undefined> {
  const [member] = await db.select().from(members).where(and(eq(members.programId, programId), eq(members.id, memberId)));
  return member;
}

export interface MemberRef {
  programId: string;
  memberId: string;
}

/** Throws unless the member exists in the program and is not erased; other modules' commands use it too. */
export async function requireActiveMember(db: Database, { programId, memberId }: MemberRef): Promise<void> {
  const [member] = await db
    .select({ status: members.status })
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.id, memberId)));
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') throw new MemberErasedError(memberId);
}

export async function findMembersByIds(db: Database, programId: string, memberIds: readonly string[]) {
  if (memberIds.length === 0) return [];
  return db.select().from(members).where(and(eq(members.programId, programId), inArray(members.id, [...memberIds])));
}

export async function findMemberByExternalId(db: Database, programId: string, externalId: string) {
  const [member] = await db.select().from(members).where(and(eq(members.programId, programId), eq(members.externalId, externalId)));
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
  if (violation.targets.includes('members.email')) return new DuplicateMemberError('email');
  if (violation.targets.includes('members.external_id')) return new DuplicateMemberError('externalId');
  return null;
}

/** Ids of the program's active members after `cursor`, in id order; for jobs. */
export async function activeMemberIds(db: Database, programId: string, cursor: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.status, 'active'), cursor ? sql`${members.id} > ${cursor}` : undefined))
    .orderBy(members.id)
    .limit(limit);
  return rows.map((row) => row.id);
}
