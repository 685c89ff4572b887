import { runReminderStep } from '../modules/reminders';
import type { Job } from './job';

/**
 * Emits the reminders that are due (points expiring, lapsed members, birthdays) under each
 * program's pressure control, and lets out those held by quiet hours. Idempotent for a `now`.
 */
export const sendRemindersJob = ({ chunkSize }: { chunkSize: number }): Job => ({
  name: 'send-reminders',
  scope: 'program',
  step: (deps, { programId, now, cursor }) => runReminderStep(deps.db, programId!, now, cursor, chunkSize),
});

/** Members per chunk: two set-based reads and one batch of two statements each. */
export const sendReminders = sendRemindersJob({ chunkSize: 500 });
