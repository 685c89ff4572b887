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

/**
 * Members per chunk: one read batch (and the tier forecast's alongside), one write batch. Small
 * enough that no single call runs past ~50 ms at 100,000 members (`npm run bench -- reminders`).
 */
export const sendReminders = sendRemindersJob({ chunkSize: 100 });
