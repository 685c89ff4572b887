export { ProgramType } from './schema';
export { createProgramsService, type ProgramsService } from './service';
