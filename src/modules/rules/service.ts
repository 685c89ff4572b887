import { eq } from 'drizzle-orm';
import { programRules } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { applyRulesUpdate, defaultRules, type ProgramRules, type RulesUpdate } from './domain';

/** The program's rules row, as a query another module can put in its read batch; `rulesOf` reads the result. */
export function rulesQuery(db: Database, programId: string) {
  return db.select().from(programRules).where(eq(programRules.programId, programId));
}

/** The rules in the rows of `rulesQuery`: the defaults while the program has none. */
export function rulesOf(rows: Array<typeof programRules.$inferSelect>): ProgramRules {
  const [row] = rows;
  if (!row) return defaultRules;
  const { programId: _programId, updatedAt: _updatedAt, ...rules } = row;
  return rules;
}

export async function loadRules(db: Database, programId: string): Promise<ProgramRules> {
  return rulesOf(await rulesQuery(db, programId));
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
