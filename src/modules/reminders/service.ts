import type { ReminderRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import type { KeysetPage } from '../../platform/db/keyset';
import { createOffersService } from '../offers';
import { ExperimentNotFoundError, experimentsByIds } from '../experiments';
import { listReminders, saveSettings, storedSettings, type ReminderFilter } from './repository';
import { effectiveSettings, type ReminderSettings, type ReminderSettingsUpdate } from './settings';

export type RemindersService = ReturnType<typeof createRemindersService>;

/** A program admin's reminder settings and the record of reminders (sent, held, suppressed and why). */
export function createRemindersService({ db, clock }: { db: Database; clock: Clock }) {
  async function settings(programId: string): Promise<ReminderSettings> {
    const [stored] = await storedSettings(db, programId);
    return effectiveSettings(stored?.settings);
  }
  const offers = createOffersService({ db, clock });
  return {
    settings,
    /** Throws `OfferNotFoundError` for a win-back or birthday offer that is not the program's, `ExperimentNotFoundError` likewise. */
    async updateSettings(programId: string, update: ReminderSettingsUpdate): Promise<ReminderSettings> {
      for (const offerId of [update.lapsedOfferId, update.birthdayOfferId]) if (offerId) await offers.requireOffer(programId, offerId);
      if (update.experimentId && (await experimentsByIds(db, programId, [update.experimentId])).length === 0)
        throw new ExperimentNotFoundError(update.experimentId);
      const next = {
        ...(await settings(programId)),
        ...Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)),
      } as ReminderSettings;
      await saveSettings(db, programId, next, clock.now());
      return next;
    },
    list(programId: string, filter: ReminderFilter, page: KeysetPage): Promise<ReminderRow[]> {
      return listReminders(db, programId, filter, page);
    },
  };
}
