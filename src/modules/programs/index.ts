// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { ProgramType } from './schema';
export { allProgramIds, createProgramsService, type ProgramsService } from './service';
