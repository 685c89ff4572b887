import type { Clock } from './platform/clock';
import type { Database } from './platform/db/database';
import type { FingerprintKeys } from './platform/fingerprints';
import type { Serializer } from './platform/serializer/serializer';
import { createProgramsService, type ProgramsService } from './modules/programs/service';
import { createMembersService, type MembersService } from './modules/members/service';
import { createRulesService, type RulesService } from './modules/rules/service';
import { createLedgerService, type LedgerService } from './modules/ledger/service';
import { createTiersService, type TiersService } from './modules/tiers/service';
import { createJobsService, type JobsService } from './jobs/service';
import { createOffersService, type OffersService } from './modules/offers/service';
import { createCheckoutService, type CheckoutService } from './modules/checkout/service';
import { createReferralsService, type ReferralsService } from './modules/referrals/service';
import { createHistoryService, type HistoryService } from './modules/history/service';
import { createImportsService, type ImportsService } from './modules/imports';
import { createSegmentsService, type SegmentsService } from './modules/segments/service';
import { createEventsService, type EventsOptions, type EventsService } from './modules/events';

/** What the app runs on; only `node.ts` and `worker.ts` know where each piece comes from. */
export interface ServiceDeps {
  db: Database;
  serializer: Serializer;
  clock: Clock;
  fingerprints: FingerprintKeys;
  /** The embedded database (Node) checkpoints its WAL after an erasure, so no old page of the row is left in it. */
  afterErasure?: () => Promise<void>;
  /** Webhook fetch, URL policy and event retention; the strict production policy when absent. */
  events?: EventsOptions;
}

export interface Services {
  programs: ProgramsService;
  members: MembersService;
  rules: RulesService;
  ledger: LedgerService;
  tiers: TiersService;
  jobs: JobsService;
  offers: OffersService;
  checkout: CheckoutService;
  referrals: ReferralsService;
  history: HistoryService;
  imports: ImportsService;
  segments: SegmentsService;
  events: EventsService;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    programs: createProgramsService(deps),
    members: createMembersService(deps),
    rules: createRulesService(deps),
    ledger: createLedgerService(deps),
    tiers: createTiersService(deps),
    jobs: createJobsService(deps),
    offers: createOffersService(deps),
    checkout: createCheckoutService(deps),
    referrals: createReferralsService(deps),
    history: createHistoryService(deps),
    imports: createImportsService(deps),
    segments: createSegmentsService(deps),
    events: createEventsService(deps),
  };
}
