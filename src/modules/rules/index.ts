export { currencySchema, mulDivRounded, type ProgramRules } from './domain';
export { createRulesService, loadRules, type RulesService } from './service';
