// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { currencySchema, mulDivRounded, type ProgramRules } from './domain';
export { createRulesService, loadRules, rulesOf, rulesQuery, type RulesService } from './service';
