import { z } from 'zod';
import { whole } from '../../platform/validation';

/** The reminder types the jobs emit, and the default order in which the frequency cap keeps them. */
export const reminderTypes = [
  'cart.abandoned',
  'points.expiring',
  'tier.downgrade_warning',
  'member.birthday_upcoming',
  'member.lapsed',
] as const;
export type ReminderType = (typeof reminderTypes)[number];

const MAX_LEAD_DAYS = 366;
const MAX_LAPSE_DAYS = 3660;
/** A cart idle for longer than 30 days is not "left behind" any more, it is gone. */
const MAX_CART_IDLE_HOURS = 720;

/** Distinct values, stored sorted: [30, 7] and [7, 30] are the same setting. */
const thresholdList = (max: number) =>
  z
    .array(whole(1, max))
    .max(5, 'must list at most 5 values')
    .refine((days) => new Set(days).size === days.length, 'must not repeat a value')
    .transform((days) => [...days].sort((a, b) => a - b));

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24 h)');

export const quietHoursSchema = z
  .object({ start: clockTime, end: clockTime })
  .refine((hours) => hours.start !== hours.end, { message: 'must differ from start', path: ['end'] });

/**
 * A program's reminder settings. An empty list turns that reminder off. The frequency cap counts
 * every reminder that went (or is held to go) out to a member in the last `perDays` days; when
 * several compete, `priorities` decides which go first (earlier in the list wins).
 */
export const reminderSettingsSchema = z.object({
  pointsExpiringLeadDays: thresholdList(MAX_LEAD_DAYS),
  lapsedAfterDays: thresholdList(MAX_LAPSE_DAYS),
  birthdayLeadDays: thresholdList(MAX_LEAD_DAYS),
  /** Hours a tracked cart idles before `cart.abandoned` (each value once per idle period). */
  cartAbandonedAfterHours: thresholdList(MAX_CART_IDLE_HOURS),
  /** Days before a tier downgrade (at the recalculation that would make it) to warn. */
  tierDowngradeLeadDays: thresholdList(MAX_LEAD_DAYS),
  frequencyCap: z.object({ maxReminders: whole(1, 100), perDays: whole(1, 365) }),
  priorities: z
    .array(z.enum(reminderTypes))
    .refine((types) => new Set(types).size === types.length, 'must not repeat a type')
    .transform((types) => [...types, ...reminderTypes.filter((type) => !types.includes(type))]),
  quietHours: quietHoursSchema.nullable(),
  /** An existing offer: a lapsed member gets a personal single-use code of it with the reminder. */
  lapsedOfferId: z.string().nullable(),
  /** An existing offer: a birthday reminder comes with a personal single-use code of it. */
  birthdayOfferId: z.string().nullable(),
  /** Days a personal code issued with a reminder stays valid. */
  offerCodeValidDays: whole(1, 366),
  /** An experiment: while it runs, its control members get no reminder (recorded as suppressed, `holdout`). */
  experimentId: z.string().nullable(),
});

export type ReminderSettings = z.output<typeof reminderSettingsSchema>;

export const defaultReminderSettings: ReminderSettings = {
  pointsExpiringLeadDays: [7, 30],
  lapsedAfterDays: [45, 90],
  birthdayLeadDays: [7],
  cartAbandonedAfterHours: [4],
  tierDowngradeLeadDays: [14],
  frequencyCap: { maxReminders: 2, perDays: 7 },
  priorities: [...reminderTypes],
  quietHours: { start: '21:00', end: '08:00' },
  lapsedOfferId: null,
  birthdayOfferId: null,
  offerCodeValidDays: 30,
  experimentId: null,
};

/** An update: omitted settings stay as they are; `quietHours: null` turns quiet hours off. */
export const reminderSettingsUpdateSchema = reminderSettingsSchema.partial();
export type ReminderSettingsUpdate = z.output<typeof reminderSettingsUpdateSchema>;

/** The settings a program runs with: its stored ones over the defaults (a stored value was validated when saved). */
export function effectiveSettings(stored: Record<string, unknown> | null | undefined): ReminderSettings {
  const settings = { ...defaultReminderSettings, ...(stored as Partial<ReminderSettings> | undefined) };
  // Settings saved before a reminder type existed rank it after the ones they list.
  return { ...settings, priorities: [...settings.priorities, ...reminderTypes.filter((type) => !settings.priorities.includes(type))] };
}

/** Lower runs first: the index of the type in the program's priority list. */
export function priorityOf(settings: ReminderSettings, type: ReminderType): number {
  return settings.priorities.indexOf(type);
}
