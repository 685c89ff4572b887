import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { events, reminders, reminderSettings, type ReminderRow, type ReminderStatus } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { valuesList } from '../../platform/db/values-list';
import { eventCatalog } from '../../platform/outbox';
import { DAY_MS } from '../../platform/time';
import { reminderTypes, type ReminderSettings } from './settings';
import { personalCodesStatement, type PersonalCode } from '../offers';

export function storedSettings(db: Database, programId: string) {
  return db.select({ settings: reminderSettings.settings }).from(reminderSettings).where(eq(reminderSettings.programId, programId));
}

export function saveSettings(db: Database, programId: string, settings: ReminderSettings, now: Date) {
  return db
    .insert(reminderSettings)
    .values({ programId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: reminderSettings.programId, set: { settings, updatedAt: now } });
}

/** A decided reminder as the job hands it to the database: `blocked` says why it may not go out at all. */
export interface ReminderDecision {
  id: string;
  eventId: string;
  memberId: string;
  type: string;
  reason: string;
  priority: number;
  data: Record<string, unknown>;
  dueAt: Date;
  blocked: string | null;
}

/** Every reminder type's payload version, for events written by SQL from reminder rows. */
const versionOfType = sql.raw(`case r.type ${reminderTypes.map((type) => `when '${type}' then ${eventCatalog[type]}`).join(' ')} end`);

/**
 * The outbox rows of the given reminders that are (still) in `status`, in member and priority order.
 * Driven from the id list by primary key (`cross join` fixes the join order, `+status` keeps the
 * planner off the status index, which would scan every reminder of the program).
 */
function eventsOfReminders(db: Database, programId: string, ids: string[], status: ReminderStatus, at: Date) {
  return db.run(sql`
    insert into ${events} (id, program_id, type, version, member_id, data, occurred_at)
    select r.event_id, r.program_id, r.type, ${versionOfType}, r.member_id, r.data, ${at.getTime()}
    from json_each(${JSON.stringify(ids)}) j cross join ${reminders} r on r.id = j.value
    where r.program_id = ${programId} and +r.status = ${status}
    order by r.member_id, r.priority, r.reason`);
}

/**
 * Records a chunk's reminders and writes the events of those that go out now, as one batch of two
 * set-based statements. Pressure control lives in the first, so it holds however many jobs run at
 * once (the batch is one transaction on the single writer):
 * - dedupe: a reminder whose (member, type, reason) is already recorded is skipped;
 * - frequency cap: per member, candidates ranked by priority, plus the reminders that went out or
 *   are held to go out in the last `perDays` days, beyond `maxReminders` are suppressed (`frequency_cap`);
 * - a blocked candidate (no consented channel) is recorded as suppressed with its reason;
 * - one due later (quiet hours) is `held` with its `dueAt`.
 * A personal offer code goes with a reminder that is sent or held, never with a suppressed one.
 * `alsoWrite` joins the same batch (the experiment exposures of the chunk).
 */
export async function decideReminders(
  db: Database,
  programId: string,
  decisions: ReminderDecision[],
  codes: PersonalCode[],
  cap: ReminderSettings['frequencyCap'],
  now: Date,
  alsoWrite: readonly Statement[] = [],
) {
  if (decisions.length === 0) return;
  const candidates = JSON.stringify(decisions.map((decision) => ({ ...decision, dueAt: decision.dueAt.getTime() })));
  const windowStart = now.getTime() - cap.perDays * DAY_MS;
  const field = (name: string) => sql.raw(`json_extract(j.value, '$.${name}')`);
  await db.batch([
    db.run(sql`
      with candidate as (
        select ${field('id')} as id, ${field('eventId')} as event_id, ${field('memberId')} as member_id, ${field('type')} as type,
          ${field('reason')} as reason, ${field('priority')} as priority, json_extract(j.value, '$.data') as data,
          ${field('dueAt')} as due_at, ${field('blocked')} as blocked,
          row_number() over (partition by ${field('memberId')}, ${field('blocked')} is null order by ${field('priority')}, ${field('reason')}) as rank
        from json_each(${candidates}) j
        where not exists (select 1 from ${reminders} d where d.program_id = ${programId} and d.member_id = ${field('memberId')} and d.type = ${field('type')} and d.reason = ${field('reason')})
      ),
      decided as (
        select c.*, case
          when c.blocked is not null then c.blocked
          when c.rank + (select count(*) from ${reminders} r where r.program_id = ${programId} and r.member_id = c.member_id and r.status <> 'suppressed' and r.due_at > ${windowStart}) > ${cap.maxReminders} then 'frequency_cap'
        end as suppressed_because
        from candidate c
      )
      insert into ${reminders} (id, program_id, member_id, type, reason, status, suppressed_because, priority, event_id, data, decided_at, due_at)
      select id, ${programId}, member_id, type, reason,
        case when suppressed_because is not null then 'suppressed' when due_at > ${now.getTime()} then 'held' else 'sent' end,
        suppressed_because, priority, event_id, case when suppressed_because is null then data else json_remove(data, '$.offer') end,
        ${now.getTime()}, case when suppressed_because is null then due_at end
      from decided where true
      on conflict do nothing`),
    ...(codes.length > 0
      ? [
          personalCodesStatement(
            db,
            programId,
            codes,
            sql`exists (select 1 from ${reminders} r where r.id = c.key and r.status <> 'suppressed')`,
            now,
          ),
        ]
      : []),
    eventsOfReminders(
      db,
      programId,
      decisions.map((decision) => decision.id),
      'sent',
      now,
    ),
    ...alsoWrite,
  ]);
}

/** The candidates whose (member, type, reason) is not recorded yet: one probe of the dedupe index each. */
export async function undecided<Candidate extends { memberId: string; type: string; reason: string }>(
  db: Database,
  programId: string,
  candidates: Candidate[],
): Promise<Candidate[]> {
  const keys = JSON.stringify(candidates.map(({ memberId, type, reason }) => [memberId, type, reason]));
  const decided = await db.all<{ key: number }>(sql`
    select j.key as key from json_each(${keys}) j
    where exists (select 1 from ${reminders} r where r.program_id = ${programId} and r.member_id = j.value ->> 0
      and r.type = j.value ->> 1 and r.reason = j.value ->> 2)`);
  const known = new Set(decided.map((row) => Number(row.key)));
  return candidates.filter((_candidate, index) => !known.has(index));
}

/** Held reminders whose time has come, a chunk at a time (id order). */
export function heldRemindersDue(db: Database, programId: string, now: Date, cursor: string | null, limit: number) {
  return db
    .select({
      id: reminders.id,
      memberId: reminders.memberId,
      type: reminders.type,
      cartId: sql<string | null>`case when ${reminders.type} = 'cart.abandoned' then json_extract(${reminders.data}, '$.cartId') end`,
      lastActivityAt: sql<
        string | null
      >`case when ${reminders.type} = 'cart.abandoned' then json_extract(${reminders.data}, '$.lastActivityAt') end`,
    })
    .from(reminders)
    .where(
      and(
        eq(reminders.programId, programId),
        eq(reminders.status, 'held'),
        lte(reminders.dueAt, now),
        cursor ? sql`${reminders.id} > ${cursor}` : undefined,
      ),
    )
    .orderBy(asc(reminders.id))
    .limit(limit);
}

/**
 * Lets held reminders out with the channels their members allow now (consent may have changed
 * while they waited; none left suppresses them, as `no_consent` or the `suppressedBecause` given):
 * one batch, and a reminder another run already let out is no longer `held`, so it is written once.
 */
export async function releaseHeldReminders(
  db: Database,
  programId: string,
  released: { id: string; channels: string[]; suppressedBecause?: string }[],
  now: Date,
) {
  if (released.length === 0) return;
  const ids = released.map((reminder) => reminder.id);
  await db.batch([
    db.run(sql`
      update ${reminders} set
        data = json_set(data, '$.channels', json(v.column2)),
        status = case when v.column2 = '[]' then 'suppressed' else status end,
        suppressed_because = case when v.column2 = '[]' then coalesce(v.column3, 'no_consent') end,
        due_at = case when v.column2 = '[]' then null else due_at end
      from (values ${valuesList(released.map((reminder) => [reminder.id, JSON.stringify(reminder.channels), reminder.suppressedBecause ?? null]))}) as v
      where ${reminders.id} = v.column1 and +${reminders.status} = 'held'`),
    eventsOfReminders(db, programId, ids, 'held', now),
    db
      .update(reminders)
      .set({ status: 'sent' })
      .where(and(inArray(reminders.id, ids), sql`+${reminders.status} = 'held'`)),
  ]);
}

export interface ReminderFilter {
  status: ReminderStatus | null;
  type: string | null;
  memberId: string | null;
}

/** The recorded reminders of a program, newest decisions last (id order), for the admin's `reminders` query. */
export function listReminders(db: Database, programId: string, filter: ReminderFilter, page: KeysetPage): Promise<ReminderRow[]> {
  const { conditions, orderBy, limit } = keyset(reminders.id, page);
  return db
    .select()
    .from(reminders)
    .where(
      and(
        eq(reminders.programId, programId),
        filter.status ? eq(reminders.status, filter.status) : undefined,
        filter.type ? eq(reminders.type, filter.type) : undefined,
        filter.memberId ? eq(reminders.memberId, filter.memberId) : undefined,
        ...conditions,
      ),
    )
    .orderBy(orderBy)
    .limit(limit);
}
