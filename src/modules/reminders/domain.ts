import type { ReminderSettings, ReminderType } from './settings';

const DAY_MS = 86_400_000;

/** A reminder a job would emit, before pressure control: what for, why (its dedupe key) and what it says. */
export interface ReminderCandidate {
  memberId: string;
  type: ReminderType;
  /** Unique per member and type: the same reason never reminds twice. */
  reason: string;
  data: Record<string, unknown>;
}

export interface OpenLot {
  memberId: string;
  lotId: string;
  points: number;
  expiresAt: Date;
}

/**
 * The lead time that applies to a lot expiring at `expiresAt`: the shortest one it is already
 * within (so a lot first seen 5 days out gets the 7-day reminder, not the 30-day one as well).
 */
export function leadTimeFor(expiresAt: Date, now: Date, leadDays: readonly number[]): number | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  return [...leadDays].sort((a, b) => a - b).find((days) => left <= days * DAY_MS) ?? null;
}

/**
 * `points.expiring` per member: the lots the next expiring lot's lead time covers, with exact
 * points and dates. Keyed by that lead time and the next lot, so each lead time reminds once per
 * lot that comes up next (a lot spent or expired meanwhile lets the following one remind).
 */
export function pointsExpiringReminders(lots: OpenLot[], now: Date, leadDays: readonly number[]): ReminderCandidate[] {
  const byMember = new Map<string, OpenLot[]>();
  for (const lot of lots) {
    const memberLots = byMember.get(lot.memberId) ?? [];
    memberLots.push(lot);
    byMember.set(lot.memberId, memberLots);
  }
  const candidates: ReminderCandidate[] = [];
  for (const [memberId, memberLots] of byMember) {
    const ordered = memberLots
      .filter((lot) => lot.expiresAt.getTime() > now.getTime())
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.lotId.localeCompare(b.lotId));
    const next = ordered[0];
    const days = next && leadTimeFor(next.expiresAt, now, leadDays);
    if (!next || !days) continue;
    const within = ordered.filter((lot) => lot.expiresAt.getTime() - now.getTime() <= days * DAY_MS);
    candidates.push({
      memberId,
      type: 'points.expiring',
      reason: `${days}d:${next.lotId}`,
      data: {
        memberId,
        leadDays: days,
        points: within.reduce((sum, lot) => sum + lot.points, 0),
        firstExpiresAt: next.expiresAt.toISOString(),
        lots: within.map((lot) => ({ lotId: lot.lotId, points: lot.points, expiresAt: lot.expiresAt.toISOString() })),
      },
    });
  }
  return candidates;
}

const HOUR_MS = 3_600_000;

/** The longest threshold (in `unitMs`) the time since `since` has reached, or null below all of them. */
function longestReached(since: Date, now: Date, thresholds: readonly number[], unitMs: number): number | null {
  const elapsed = now.getTime() - since.getTime();
  return [...thresholds].sort((a, b) => b - a).find((threshold) => elapsed >= threshold * unitMs) ?? null;
}

/** The longest lapse a member has reached: days since their last order, floored to a configured threshold. */
export function lapseThresholdFor(lastOrderAt: Date, now: Date, afterDays: readonly number[]): number | null {
  return longestReached(lastOrderAt, now, afterDays, DAY_MS);
}

/** `member.lapsed`: no order for N days. Keyed by N and the last order, so a new order starts over. */
export function lapsedReminders(
  lastOrders: { memberId: string; lastOrderAt: Date }[],
  now: Date,
  afterDays: readonly number[],
): ReminderCandidate[] {
  return lastOrders.flatMap(({ memberId, lastOrderAt }) => {
    const days = lapseThresholdFor(lastOrderAt, now, afterDays);
    if (!days) return [];
    const daysSince = Math.floor((now.getTime() - lastOrderAt.getTime()) / DAY_MS);
    return [
      {
        memberId,
        type: 'member.lapsed' as const,
        reason: `${days}d:${lastOrderAt.getTime()}`,
        data: { memberId, afterDays: days, daysSinceLastOrder: daysSince, lastOrderAt: lastOrderAt.toISOString() },
      },
    ];
  });
}

export interface IdleCart {
  memberId: string;
  cartId: string;
  updatedAt: Date;
}

/**
 * `cart.abandoned`: a tracked cart idle for N hours (the longest threshold it has reached). Keyed
 * by N, the cart and its last update, so an idle period reminds once per threshold, and a cart
 * updated since starts over. The quote is added by the caller, for the candidates that survive.
 */
export function abandonedCartReminders(carts: IdleCart[], now: Date, afterHours: readonly number[]): ReminderCandidate[] {
  return carts.flatMap(({ memberId, cartId, updatedAt }) => {
    const hours = longestReached(updatedAt, now, afterHours, HOUR_MS);
    if (!hours) return [];
    return [
      {
        memberId,
        type: 'cart.abandoned' as const,
        reason: `${hours}h:${cartId}:${updatedAt.getTime()}`,
        data: { memberId, cartId, idleHours: hours, lastActivityAt: updatedAt.toISOString() },
      },
    ];
  });
}

export interface UpcomingDowngrade {
  memberId: string;
  tier: { id: string; name: string; threshold: number };
  to: { id: string; name: string } | null;
  downgradeAt: Date;
  /** What the tier counts: net spend (minor units) or net points earned. */
  metric: string;
  metricAtDowngrade: number;
  missing: number;
}

/**
 * `tier.downgrade_warning`: the downgrade recalculation would make is within a lead time. Keyed by
 * the shortest lead time it is within, the tier and the downgrade's instant, so each lead time warns
 * once per forecast (an order that moves the downgrade later makes a new forecast).
 */
export function downgradeWarnings(downgrades: UpcomingDowngrade[], now: Date, leadDays: readonly number[]): ReminderCandidate[] {
  return downgrades.flatMap(({ memberId, tier, to, downgradeAt, metric, metricAtDowngrade, missing }) => {
    const days = leadTimeFor(downgradeAt, now, leadDays);
    if (!days) return [];
    return [
      {
        memberId,
        type: 'tier.downgrade_warning' as const,
        reason: `${days}d:${tier.id}:${downgradeAt.getTime()}`,
        data: {
          memberId,
          leadDays: days,
          tierId: tier.id,
          tierName: tier.name,
          toTierId: to?.id ?? null,
          toTierName: to?.name ?? null,
          downgradeAt: downgradeAt.toISOString(),
          metric,
          threshold: tier.threshold,
          metricAtDowngrade,
          missing,
        },
      },
    ];
  });
}

/** The next occurrence of a YYYY-MM-DD birthday on or after `today` (YYYY-MM-DD); 29 February falls on 28 February in other years. */
export function nextBirthday(birthday: string, today: string): string {
  const [, month, day] = birthday.split('-');
  const year = Number(today.slice(0, 4));
  const inYear = (y: number) => {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return `${y}-${month}-${month === '02' && day === '29' && !leap ? '28' : day}`;
  };
  return inYear(year) >= today ? inYear(year) : inYear(year + 1);
}

/**
 * `member.birthday_upcoming`: the birthday is at most the lead time away in the member's own
 * calendar (today's date in their time zone). The shortest lead time that applies wins; keyed by
 * it and the birthday's date, so each year reminds once per lead time.
 */
export function birthdayReminders(
  birthdays: { memberId: string; birthday: string; timeZone: string | null }[],
  now: Date,
  leadDays: readonly number[],
): ReminderCandidate[] {
  return birthdays.flatMap(({ memberId, birthday, timeZone }) => {
    const today = localDate(now, timeZone);
    const upcoming = nextBirthday(birthday, today);
    const daysUntil = Math.round((Date.parse(upcoming) - Date.parse(today)) / DAY_MS);
    const days = [...leadDays].sort((a, b) => a - b).find((lead) => daysUntil <= lead);
    if (days === undefined) return [];
    return [
      {
        memberId,
        type: 'member.birthday_upcoming' as const,
        reason: `${days}d:${upcoming}`,
        data: { memberId, leadDays: days, birthdayOn: upcoming, daysUntil },
      },
    ];
  });
}

/** YYYY-MM-DD of `at` in a time zone (UTC when none). */
export function localDate(at: Date, timeZone: string | null): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function localMinuteOfDay(at: Date, timeZone: string | null): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timeZone ?? 'UTC',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const value = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  return value('hour') * 60 + value('minute');
}

const minuteOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * When a reminder may go out: `now`, or the end of quiet hours in the member's time zone when
 * `now` falls inside them (a window may wrap midnight, e.g. 21:00–08:00).
 */
export function sendableAt(now: Date, timeZone: string | null, quietHours: ReminderSettings['quietHours']): Date {
  if (!quietHours) return now;
  const start = minuteOf(quietHours.start);
  const end = minuteOf(quietHours.end);
  const minute = localMinuteOfDay(now, timeZone);
  const quiet = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!quiet) return now;
  const minutesLeft = (end - minute + 1440) % 1440;
  const startOfMinute = now.getTime() - (now.getTime() % 60_000);
  return new Date(startOfMinute + minutesLeft * 60_000);
}

export const channels = ['email', 'sms', 'push'] as const;
export type Channel = (typeof channels)[number];

/** The channels a member allows; a reminder goes only where it may. */
export function allowedChannels(member: { consentEmail: boolean; consentSms: boolean; consentPush: boolean }): Channel[] {
  return channels.filter((channel) => member[`consent${channel[0]!.toUpperCase()}${channel.slice(1)}` as 'consentEmail']);
}
