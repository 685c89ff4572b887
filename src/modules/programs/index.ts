// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { ProgramType } from './schema';
export { createProgramsService, type ProgramsService } from './service';
