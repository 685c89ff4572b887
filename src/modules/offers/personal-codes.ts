import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { promoCodes } from '../../../schema';
import { columnTarget, type ConstraintViolation } from '../../platform/db/constraint-errors';
import type { Database } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { generateCodes } from './domain/codes';

/** A single-use code of an existing offer, for one member only; `key` ties it to what issues it. */
export interface PersonalCode {
  key: string;
  offerId: string;
  memberId: string;
  code: string;
  expiresAt: Date;
}

/** Draws a personal code (e.g. `WINBACK-7KQ2M9XA`) for another module to issue in its own batch. */
export function drawPersonalCode(prefix: string, key: string, offerId: string, memberId: string, expiresAt: Date): PersonalCode {
  return { key, offerId, memberId, code: generateCodes(prefix, 8, 1)[0]!, expiresAt };
}

/**
 * Issues personal codes as one multi-row statement for another module's batch, only those whose
 * row `c` (with `c.key`) passes `issuedIf`: so a reminder suppressed in the same batch issues none.
 */
export function personalCodesStatement(db: Database, programId: string, codes: PersonalCode[], issuedIf: SQL, now: Date) {
  const rows = JSON.stringify(codes.map((code) => ({ id: newId(), ...code, expiresAt: code.expiresAt.getTime() })));
  return db.run(sql`
    insert into ${promoCodes} (id, program_id, offer_id, code, max_uses, expires_at, assigned_member_id, uses, created_at)
    select c.id, ${programId}, c.offer_id, c.code, 1, c.expires_at, c.member_id, 0, ${now.getTime()}
    from (select json_extract(j.value, '$.id') as id, json_extract(j.value, '$.key') as key, json_extract(j.value, '$.offerId') as offer_id,
            json_extract(j.value, '$.code') as code, json_extract(j.value, '$.memberId') as member_id, json_extract(j.value, '$.expiresAt') as expires_at
          from json_each(${rows}) j) c
    where ${issuedIf}`);
}

/** A personal code that applies itself at its member's checkout, single-use (a partner voucher). */
export interface AutoApplyCode {
  id: string;
  offerId: string;
  memberId: string;
  code: string;
  expiresAt: Date | null;
}

/** Draws `count` codes of `length` characters for another module's batch (the promo-code alphabet). */
export const drawCodes = (length: number, count: number) => generateCodes('', length, count);

/** Writes auto-applying personal codes, as one multi-row statement for another module's batch. */
export function autoApplyCodesStatement(db: Database, programId: string, codes: readonly AutoApplyCode[], now: Date) {
  return db
    .insert(promoCodes)
    .values(codes.map((code) => ({ ...code, programId, maxUses: 1, assignedMemberId: code.memberId, autoApply: true, createdAt: now })));
}

/** Voids the codes `codeIds` selects that are still unused, for another module's batch. */
export function voidUnusedCodesStatement(db: Database, codeIds: SQL, at: Date) {
  return db
    .update(promoCodes)
    .set({ voidedAt: at })
    .where(and(inArray(promoCodes.id, codeIds), eq(promoCodes.uses, 0), isNull(promoCodes.voidedAt)));
}

/** SQL: the code `codeId` (a column or value of the caller's query) is unused and not void. */
export const unusedCodeSql = (codeId: SQL) =>
  sql`exists (select 1 from ${promoCodes} where ${promoCodes.id} = ${codeId} and ${promoCodes.uses} = 0 and ${promoCodes.voidedAt} is null)`;

/** A tripped UNIQUE index on a code: the code drawn exists already in the program (draw again). */
export const codeTaken = (violation: ConstraintViolation) =>
  violation.kind === 'unique' && violation.targets.includes(columnTarget(promoCodes.code));
