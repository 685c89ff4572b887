import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { members, type MemberRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { constraintViolation } from '../../platform/db/constraint-errors';
import { DuplicateMemberError } from './errors';
import { likePattern } from './domain';

/** Member rows of one program; every query is scoped by `programId`. */
export function findMember(db: Database, programId: string, memberId: string): Promise<MemberRow | undefined> {
  return db.query.members.findFirst({ where: and(eq(members.programId, programId), eq(members.id, memberId)) });
}

export async function findMembersByIds(db: Database, programId: string, memberIds: readonly string[]) {
  if (memberIds.length === 0) return [];
  return db.query.members.findMany({
    where: and(eq(members.programId, programId), sql`${members.id} in ${memberIds}`),
  });
}

export function findMemberByExternalId(db: Database, programId: string, externalId: string) {
  return db.query.members.findFirst({
    where: and(eq(members.programId, programId), eq(members.externalId, externalId)),
  });
}

export interface MemberPage {
  search?: string | null;
  after?: string;
  before?: string;
  limit: number;
  /** Newest first when false (the default listing order is by id, which is by enrollment time). */
  inverted: boolean;
}

export function listMembers(db: Database, programId: string, page: MemberPage): Promise<MemberRow[]> {
  const conditions: SQL[] = [eq(members.programId, programId)];
  if (page.after) conditions.push(gt(members.id, page.after));
  if (page.before) conditions.push(lt(members.id, page.before));
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
  return db
    .select()
    .from(members)
    .where(and(...conditions))
    .orderBy(page.inverted ? desc(members.id) : asc(members.id))
    .limit(page.limit);
}

/** Maps the UNIQUE indexes on (program, externalId) and (program, email) to a typed error. */
export function asDuplicateMemberError(error: unknown): DuplicateMemberError | null {
  const violation = constraintViolation(error);
  if (violation?.kind !== 'unique') return null;
  if (violation.targets.includes('members.email')) return new DuplicateMemberError('email');
  if (violation.targets.includes('members.external_id')) return new DuplicateMemberError('externalId');
  return null;
}
