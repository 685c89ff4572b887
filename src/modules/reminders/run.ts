import { lastOrderDates } from '../orders';
import { openLotsExpiringWithin } from '../ledger';
import { activeMembersChunk, membersByIds } from '../members';
import { drawPersonalCode, type PersonalCode } from '../offers';
import type { Database } from '../../platform/db/database';
import { audienceHoldouts, exposureStatements, type Exposure } from '../experiments';
import { newId } from '../../platform/ids';
import { DAY_MS } from '../../platform/time';
import { allowedChannels, birthdayReminders, lapsedReminders, pointsExpiringReminders, sendableAt, type ReminderCandidate } from './domain';
import { decideReminders, heldRemindersDue, releaseHeldReminders, storedSettings, type ReminderDecision } from './repository';
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
  const consents = new Map(
    (due.length === 0 ? [] : await membersByIds(db, programId, [...new Set(due.map((reminder) => reminder.memberId))])).map((member) => [
      member.id,
      member,
    ]),
  );
  await releaseHeldReminders(
    db,
    programId,
    due.map(({ id, memberId }) => {
      const member = consents.get(memberId);
      return { id, channels: member && member.status === 'active' ? allowedChannels(member) : [] };
    }),
    now,
  );
  const done = due.length < chunkSize;
  return { processed: due.length, cursor: done ? MEMBERS : HELD + due.at(-1)!.id };
}

async function membersStep(db: Database, programId: string, now: Date, after: string | null, chunkSize: number): Promise<ReminderStep> {
  const [[stored], chunk] = await db.batch([storedSettings(db, programId), activeMembersChunk(db, programId, after, chunkSize)]);
  if (chunk.length === 0) return { processed: 0, cursor: null };
  const settings = effectiveSettings(stored?.settings);
  const last = chunk.at(-1)!.id;
  const longestLead = Math.max(0, ...settings.pointsExpiringLeadDays);
  const [lots, lastOrders] = await db.batch([
    openLotsExpiringWithin(db, programId, after, last, now, new Date(now.getTime() + longestLead * DAY_MS)),
    lastOrderDates(db, programId, after, last),
  ]);
  const candidates: ReminderCandidate[] = [
    ...pointsExpiringReminders(lots, now, settings.pointsExpiringLeadDays),
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
  return { processed: chunk.length, cursor: chunk.length < chunkSize ? null : MEMBERS + last };
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
