import { expect } from 'vitest';
import { runJobNow } from '../../src/jobs/runner';
import { sendReminders } from '../../src/jobs/send-reminders';
import { send } from './tiers';
import type { TestApp } from './test-app';

export const SETTINGS_FIELDS = `pointsExpiringLeadDays lapsedAfterDays birthdayLeadDays cartAbandonedAfterHours tierDowngradeLeadDays frequencyCap { maxReminders perDays } priorities quietHours { start end } lapsedOfferId birthdayOfferId offerCodeValidDays`;
export const UPDATE_REMINDER_SETTINGS = `mutation($input: UpdateReminderSettingsInput!) { updateReminderSettings(input: $input) { __typename
  ... on ReminderSettingsPayload { settings { ${SETTINGS_FIELDS} } }
  ... on Error { code message } ... on InvalidInputError { issues { path message } } } }`;
export const REMINDERS = `query($status: ReminderStatus, $type: ReminderType, $memberId: ID, $first: Int) {
  reminders(status: $status, type: $type, memberId: $memberId, first: $first) { edges { node { id type memberId reason status suppressedBecause eventId data decidedAt dueAt } } } }`;

/** trackCart with the quote fields the tests compare. */
export const TRACK_CART = `mutation($input: TrackCartInput!) { trackCart(input: $input) { __typename
  ... on TrackCartPayload { cartId trackedAt member { id }
    quote { total { amount } discount { amount } totalAfterDiscount { amount } pointsEarned
      appliedOffers { offer { id } effect discount } lines { sku quantity unitPrice discount } } }
  ... on TooManyCartsError { limit } ... on Error { code message } ... on InvalidInputError { issues { path message } } } }`;

/** Changes the program's reminder settings as its admin; fails the test unless they were accepted. */
export async function setReminderSettings(app: TestApp, input: Record<string, unknown>) {
  const result = await send(app, UPDATE_REMINDER_SETTINGS, input);
  expect(result.__typename, JSON.stringify(result)).toBe('ReminderSettingsPayload');
  return result.settings;
}

/** Turns every reminder off and quiet hours too, but for the settings given (a test of one reminder type). */
export function remindOnly(app: TestApp, settings: Record<string, unknown>) {
  return setReminderSettings(app, {
    pointsExpiringLeadDays: [],
    lapsedAfterDays: [],
    birthdayLeadDays: [],
    cartAbandonedAfterHours: [],
    tierDowngradeLeadDays: [],
    quietHours: null,
    ...settings,
  });
}

/** Runs the reminder job for acme as of `now` (ISO), to the end. */
export async function runReminders(app: TestApp, now: string, programId = 'acme') {
  const run = await runJobNow(app.deps, sendReminders, { now: new Date(now), trigger: 'manual', programId });
  expect(run.error).toBeNull();
  expect(run.finishedAt).not.toBeNull();
  return run;
}

/** The program's recorded reminders (sent, held, suppressed), as the admin query returns them. */
export async function remindersOf(app: TestApp, filter: { status?: string; type?: string; memberId?: string } = {}) {
  const response = await app.graphql(REMINDERS, { ...filter, first: 100 }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.reminders.edges as Array<{ node: Record<string, any> }>).map((edge) => edge.node);
}
