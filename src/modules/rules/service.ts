import { eq } from 'drizzle-orm';
import { programRules } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { applyRulesUpdate, defaultRules, type ProgramRules, type RulesUpdate } from './domain';

export async function loadRules(db: Database, programId: string): Promise<ProgramRules> {
  const [row] = await db.select().from(programRules).where(eq(programRules.programId, programId));
  if (!row) return defaultRules;
  const { programId: _programId, updatedAt: _updatedAt, ...rules } = row;
  return rules;
}

export interface RulesService {
  get(programId: string): Promise<ProgramRules>;
  update(programId: string, update: RulesUpdate): Promise<ProgramRules>;
}

export function createRulesService({ db, clock }: { db: Database; clock: Clock }): RulesService {
  return {
    get: (programId) => loadRules(db, programId),
    async update(programId, update) {
      const rules = applyRulesUpdate(await loadRules(db, programId), update);
      const row = { programId, ...rules, updatedAt: clock.now() };
      await db.insert(programRules).values(row).onConflictDoUpdate({ target: programRules.programId, set: row });
      return rules;
    },
  };
}
