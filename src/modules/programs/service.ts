import { eq } from 'drizzle-orm';
import { programs } from '../../../schema';
import type { Database } from '../../platform/db/database';
import type { Clock } from '../../platform/clock';

export type Program = typeof programs.$inferSelect;

export interface ProgramsService {
  get(programId: string): Promise<Program | undefined>;
  /** Whether the program exists; programs are never deleted, so a yes is remembered. */
  exists(programId: string): Promise<boolean>;
  /** Creates the program if it does not exist yet; used to bootstrap the local default program. */
  ensure(program: { id: string; name: string }): Promise<Program>;
}

export function createProgramsService(deps: { db: Database; clock: Clock }): ProgramsService {
  const { db, clock } = deps;
  const get = (programId: string) => db.query.programs.findFirst({ where: eq(programs.id, programId) });
  const known = new Set<string>();
  return {
    get,
    async exists(programId) {
      if (!known.has(programId) && (await get(programId))) known.add(programId);
      return known.has(programId);
    },
    async ensure({ id, name }) {
      await db.insert(programs).values({ id, name, createdAt: clock.now() }).onConflictDoNothing();
      const program = await get(id);
      if (!program) throw new Error(`Program ${id} could not be created`);
      return program;
    },
  };
}

/** Every program's id, in id order (the jobs runner runs a program job for each). */
export async function allProgramIds(db: Database): Promise<string[]> {
  return (await db.select({ id: programs.id }).from(programs).orderBy(programs.id)).map((program) => program.id);
}
