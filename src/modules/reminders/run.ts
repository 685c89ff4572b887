import type { CartRow } from '../../../schema';
import { cartsByIds, idleCarts, quoteCarts } from '../checkout';
import { lastOrderDates } from '../orders';
import { openLotsExpiringWithin } from '../ledger';
import { activeMembersChunk, activeMembersChunkEnd, membersByIds } from '../members';
import { upcomingDowngrades } from '../tiers';
import { drawPersonalCode, type PersonalCode } from '../offers';
import type { Database } from '../../platform/db/database';
import { audienceHoldouts, exposureStatements, type Exposure } from '../experiments';
import { newId } from '../../platform/ids';
import { DAY_MS } from '../../platform/time';
import {
  abandonedCartReminders,
  allowedChannels,
  birthdayReminders,
  downgradeWarnings,
  lapsedReminders,
  pointsExpiringReminders,
  sendableAt,
  type ReminderCandidate,
} from './domain';
import { decideReminders, heldRemindersDue, releaseHeldReminders, storedSettings, undecided, type ReminderDecision } from './repository';
import { effectiveSettings, priorityOf, type ReminderSettings, type ReminderType } from './settings';

/** One chunk of the reminder job: where it got to and how many members or held reminders it handled. */
export interface ReminderStep {
  processed: number;
  cursor: string | null;
}

const HELD = 'held:';
const MEMBERS = 'members:';

/**
 * One chunk of a program's reminder run for `now`. First the held reminders whose quiet hours are
 * over go out; then the members, a chunk at a time in id order: their candidates are found with
 * set-based reads, pressure control decides, and one batch records them and writes the events.
 * Rerunning for the same `now` emits nothing new (every reminder is deduped by its reason).
 */
export async function runReminderStep(
  db: Database,
  programId: string,
  now: Date,
  cursor: string | null,
  chunkSize: number,
): Promise<ReminderStep> {
  if (cursor === null || cursor.startsWith(HELD))
    return releaseStep(db, programId, now, cursor ? cursor.slice(HELD.length) || null : null, chunkSize);
  return membersStep(db, programId, now, cursor.slice(MEMBERS.length) || null, chunkSize);
}

async function releaseStep(db: Database, programId: string, now: Date, after: string | null, chunkSize: number): Promise<ReminderStep> {
  const due = await heldRemindersDue(db, programId, now, after, chunkSize);
  const cartIds = due.flatMap((reminder) => (reminder.cartId ? [reminder.cartId] : []));
  const [members, carts] =
    due.length === 0
      ? [[], []]
      : await Promise.all([
          membersByIds(db, programId, [...new Set(due.map((reminder) => reminder.memberId))]),
          cartIds.length > 0 ? cartsByIds(db, programId, cartIds) : [],
        ]);
  const consents = new Map(members.map((member) => [member.id, member]));
  const idleSince = new Map(carts.map((cart) => [cart.cartId, cart.updatedAt.toISOString()]));
  await releaseHeldReminders(
    db,
    programId,
    due.map(({ id, memberId, cartId, lastActivityAt }) => {
      // A cart ordered, emptied or changed while its reminder waited is not abandoned (any more).
      if (cartId && idleSince.get(cartId) !== lastActivityAt) return { id, channels: [], suppressedBecause: 'cart_ended' };
      const member = consents.get(memberId);
      return { id, channels: member && member.status === 'active' ? allowedChannels(member) : [] };
    }),
    now,
  );
  const done = due.length < chunkSize;
  return { processed: due.length, cursor: done ? MEMBERS : HELD + due.at(-1)!.id };
}

/** The longest lead time a setting allows: the chunk's one read covers any program's settings. */
const MAX_LEAD_MS = 366 * DAY_MS;
/** The shortest idle time a setting allows: carts idle less than this are never candidates. */
const MIN_CART_IDLE_MS = 3_600_000;

async function membersStep(db: Database, programId: string, now: Date, after: string | null, chunkSize: number): Promise<ReminderStep> {
  // One round trip reads the chunk and everything its candidates come from, the chunk's member
  // range given by a subquery; the tier forecast's own round trip runs alongside it.
  const last = activeMembersChunkEnd(programId, after, chunkSize);
  const [[[stored], chunk, lots, lastOrders, carts], downgrades] = await Promise.all([
    db.batch([
      storedSettings(db, programId),
      activeMembersChunk(db, programId, after, chunkSize),
      openLotsExpiringWithin(db, programId, after, last, now, new Date(now.getTime() + MAX_LEAD_MS)),
      lastOrderDates(db, programId, after, last),
      idleCarts(db, programId, after, last, new Date(now.getTime() - MIN_CART_IDLE_MS)),
    ]),
    upcomingDowngrades(db, programId, after, last, now, new Date(now.getTime() + MAX_LEAD_MS)),
  ]);
  if (chunk.length === 0) return { processed: 0, cursor: null };
  const settings = effectiveSettings(stored?.settings);
  const candidates: ReminderCandidate[] = [
    ...(await withCartQuotes(db, programId, abandonedCartReminders(carts, now, settings.cartAbandonedAfterHours), carts, now)),
    ...pointsExpiringReminders(lots, now, settings.pointsExpiringLeadDays),
    ...downgradeWarnings(downgrades, now, settings.tierDowngradeLeadDays),
    ...lapsedReminders(lastOrders, now, settings.lapsedAfterDays),
    ...birthdayReminders(
      chunk.flatMap((member) => (member.birthday ? [{ memberId: member.id, birthday: member.birthday, timeZone: member.timeZone }] : [])),
      now,
      settings.birthdayLeadDays,
    ),
  ];
  const members = new Map(chunk.map((member) => [member.id, member]));
  // The global control group gets no reminder, nor the control group of the experiment the reminders name:
  // each is recorded as suppressed (`holdout`), and every member of the experiment due one as exposed.
  const holdouts = await audienceHoldouts(db, programId, settings.experimentId, [...new Set(candidates.map((c) => c.memberId))], now);
  const exposures: Exposure[] = [];
  const codes: PersonalCode[] = [];
  const decisions = candidates.flatMap((candidate): ReminderDecision[] => {
    const member = members.get(candidate.memberId);
    if (!member) return [];
    const arm = holdouts.armOf(candidate.memberId);
    if (arm && settings.experimentId)
      exposures.push({
        experimentId: settings.experimentId,
        memberId: candidate.memberId,
        arm,
        subjectKind: 'reminder',
        subjectId: candidate.type,
        at: now,
      });
    const heldOut = holdouts.heldOut(candidate.memberId);
    const channels = allowedChannels(member);
    const id = newId();
    const code = heldOut ? null : offerCodeFor(settings, candidate.type, id, candidate.memberId, now);
    if (code) codes.push(code);
    return [
      {
        id,
        eventId: newId(),
        memberId: candidate.memberId,
        type: candidate.type,
        reason: candidate.reason,
        priority: priorityOf(settings, candidate.type),
        data: {
          ...candidate.data,
          channels,
          ...(code && { offer: { offerId: code.offerId, code: code.code, expiresAt: code.expiresAt.toISOString() } }),
        },
        dueAt: sendableAt(now, member.timeZone, settings.quietHours),
        blocked: heldOut ? 'holdout' : channels.length === 0 ? 'no_consent' : null,
      },
    ];
  });
  await decideReminders(db, programId, decisions, codes, settings.frequencyCap, now, exposureStatements(db, exposures));
  return { processed: chunk.length, cursor: chunk.length < chunkSize ? null : MEMBERS + chunk.at(-1)!.id };
}

/**
 * The abandoned-cart candidates not decided yet, each with its cart's quote as the `quote` query
 * answers now: only those are quoted (quoting costs reads), and a cart that no longer quotes is
 * left out.
 */
async function withCartQuotes(
  db: Database,
  programId: string,
  candidates: ReminderCandidate[],
  carts: CartRow[],
  now: Date,
): Promise<ReminderCandidate[]> {
  if (candidates.length === 0) return [];
  const fresh = await undecided(db, programId, candidates);
  const cartById = new Map(carts.map((cart) => [cart.cartId, cart]));
  const quotes = await quoteCarts(
    db,
    programId,
    fresh.map((candidate) => cartById.get(candidate.data.cartId as string)!),
    now,
  );
  return fresh.flatMap((candidate) => {
    const quote = quotes.get(candidate.data.cartId as string);
    return quote ? [{ ...candidate, data: { ...candidate.data, quote } }] : [];
  });
}

const codePrefixes: Partial<Record<ReminderType, { setting: 'lapsedOfferId' | 'birthdayOfferId'; prefix: string }>> = {
  'member.lapsed': { setting: 'lapsedOfferId', prefix: 'WINBACK-' },
  'member.birthday_upcoming': { setting: 'birthdayOfferId', prefix: 'BIRTHDAY-' },
};

/** The personal code of the program's win-back or birthday offer that goes with a reminder, if one is set. */
function offerCodeFor(
  settings: ReminderSettings,
  type: ReminderType,
  reminderId: string,
  memberId: string,
  now: Date,
): PersonalCode | null {
  const offer = codePrefixes[type];
  const offerId = offer && settings[offer.setting];
  if (!offer || !offerId) return null;
  return drawPersonalCode(offer.prefix, reminderId, offerId, memberId, new Date(now.getTime() + settings.offerCodeValidDays * DAY_MS));
}
