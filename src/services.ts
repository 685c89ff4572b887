import type { Clock } from './platform/clock';
import type { Database } from './platform/db/database';
import type { FingerprintKeys } from './platform/fingerprints';
import type { Serializer } from './platform/serializer/serializer';
import type { AppCommands } from './commands';
import { createProgramsService, type ProgramsService } from './modules/programs';
import { createMembersService, type MembersService } from './modules/members';
import { createMemberLifecycle, createOrderWorkflows, type MemberLifecycle, type OrderWorkflows } from './use-cases';
import { createRulesService, type RulesService } from './modules/rules';
import { createLedgerService, type LedgerService } from './modules/ledger';
import { createTiersService, type TiersService } from './modules/tiers';
import { createJobsService, type JobsService } from './jobs/service';
import { applicationsOfOrders, createOffersService, type OffersService } from './modules/offers';
import { createCheckoutService, type CheckoutService } from './modules/checkout';
import { createReferralsService, type ReferralsService } from './modules/referrals';
import { createHistoryService, type HistoryService } from './modules/history';
import { createImportsService, type ImportsService } from './modules/imports';
import { createSegmentsService, type SegmentsService } from './modules/segments';
import { createPartnersService, type PartnersService } from './modules/partners';
import { createEventsService, type EventsOptions, type EventsService } from './modules/events';
import { createRemindersService, type RemindersService } from './modules/reminders';
import { createExperimentsService, type ExperimentsService } from './modules/experiments';
import { createInsightsService, type InsightsService } from './modules/insights';

/** What the app runs on; only `node.ts` and `worker.ts` know where each piece comes from. */
export interface ServiceDeps {
  db: Database;
  serializer: Serializer<AppCommands>;
  clock: Clock;
  fingerprints: FingerprintKeys;
  /** The embedded database (Node) checkpoints its WAL after an erasure, so no old page of the row is left in it. */
  afterErasure?: () => Promise<void>;
  /** Webhook fetch, URL policy and event retention; the strict production policy when absent. */
  events?: EventsOptions;
}

export interface Services {
  programs: ProgramsService;
  /** The members module's reads, with the cross-module lifecycle (enroll, update, erase). */
  members: MembersService & MemberLifecycle;
  rules: RulesService;
  ledger: LedgerService;
  tiers: TiersService;
  jobs: JobsService;
  offers: OffersService;
  /** Checkout's quotes and claims, with the cross-module order workflows (record, refund). */
  checkout: CheckoutService & OrderWorkflows;
  referrals: ReferralsService;
  history: HistoryService;
  imports: ImportsService;
  segments: SegmentsService;
  partners: PartnersService;
  events: EventsService;
  reminders: RemindersService;
  experiments: ExperimentsService;
  insights: InsightsService;
}

export function createServices(deps: ServiceDeps): Services {
  const memberLifecycle = createMemberLifecycle(deps);
  const partners = createPartnersService(deps);
  return {
    programs: createProgramsService(deps),
    members: { ...createMembersService(deps), ...memberLifecycle },
    rules: createRulesService(deps),
    ledger: createLedgerService(deps),
    tiers: createTiersService(deps),
    jobs: createJobsService(deps),
    offers: createOffersService({ ...deps, voucherCampaigns: partners.voucherCampaignStatus }),
    checkout: { ...createCheckoutService(deps), ...createOrderWorkflows(deps) },
    referrals: createReferralsService(deps),
    history: createHistoryService({ ...deps, applicationsOfOrders }),
    imports: createImportsService({ ...deps, memberWrites: memberLifecycle }),
    segments: createSegmentsService(deps),
    partners,
    events: createEventsService(deps),
    reminders: createRemindersService(deps),
    experiments: createExperimentsService(deps),
    insights: createInsightsService(deps),
  };
}
