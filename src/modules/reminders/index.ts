/** The reminders module's public surface (DESIGN.md §2): settings, the record of reminders, the job's step. */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { createRemindersService, type RemindersService } from './service';
export { runReminderStep, type ReminderStep } from './run';
export { reminderTypes, defaultReminderSettings, type ReminderSettings, type ReminderType } from './settings';
