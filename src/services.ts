import type { Clock } from './platform/clock';
import type { Database } from './platform/db/database';
import type { Serializer } from './platform/serializer/serializer';
import { createProgramsService, type ProgramsService } from './modules/programs/service';
import { createMembersService, type MembersService } from './modules/members/service';

/** What the app runs on; only `node.ts` and `worker.ts` know where each piece comes from. */
export interface ServiceDeps {
  db: Database;
  serializer: Serializer;
  clock: Clock;
}

export interface Services {
  programs: ProgramsService;
  members: MembersService;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    programs: createProgramsService(deps),
    members: createMembersService(deps),
  };
}
